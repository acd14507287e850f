package dev.bulwark.player.operator;

import dev.bulwark.platform.security.Roles;

/** What an operator may do: ADMIN acts, VIEWER only reads. The name is the token's role. */
enum OperatorRole {
    ADMIN(Roles.ADMIN), VIEWER(Roles.VIEWER);

    private final String tokenRole;

    OperatorRole(String tokenRole) {
        this.tokenRole = tokenRole;
    }

    String tokenRole() {
        return tokenRole;
    }
}
