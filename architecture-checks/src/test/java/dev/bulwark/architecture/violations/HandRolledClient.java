package dev.bulwark.architecture.violations;

import org.springframework.web.client.RestClient;

/** A deliberate violation: the checks prove on it that the HTTP client rule catches what it must. */
public class HandRolledClient {

    public String fetchWallet() {
        return RestClient.create("http://localhost:8082").get().uri("/api/v1/catalog").retrieve().body(String.class);
    }
}
