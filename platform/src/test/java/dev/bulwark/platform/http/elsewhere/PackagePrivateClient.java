package dev.bulwark.platform.http.elsewhere;

import org.springframework.web.service.annotation.GetExchange;

import dev.bulwark.platform.http.ResilientClients;

/** A service's client as services declare them: package-private, in a package of their own. */
public final class PackagePrivateClient {

    interface Downstream {
        @GetExchange("/read")
        String read();
    }

    private PackagePrivateClient() {
    }

    public static String readThrough(ResilientClients clients) {
        return clients.create("downstream", Downstream.class).read();
    }
}
