package dev.bulwark.console;

import java.io.Serializable;
import java.time.Instant;

import jakarta.servlet.http.HttpSession;

/**
 * Who is signed in to this browser session, with the token player-core issued them. The token
 * stays on the server (in the session), never in the page or a script-readable cookie.
 */
record SignedInOperator(String username, String role, String token, Instant expiresAt) implements Serializable {

    static final String ATTRIBUTE = "bulwark.operator";

    public boolean admin() {
        return "ADMIN".equals(role);
    }

    static SignedInOperator of(HttpSession session) {
        return session == null ? null : (SignedInOperator) session.getAttribute(ATTRIBUTE);
    }
}
