package dev.bulwark.platform.security;

import java.util.UUID;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Rules about whose resource a caller may touch, used from {@code @PreAuthorize} as
 * {@code @access.isPlayer(#playerId)} and friends, so that every controller states its rule.
 */
public class Access {

    /** The caller is this player. */
    public boolean isPlayer(UUID playerId) {
        return playerId != null && hasRole(Roles.PLAYER) && playerId.toString().equals(subject());
    }

    /**
     * The caller is this player, a game server or an operator (a viewer too): the readers of a
     * player's own data. Only for reads.
     */
    public boolean isPlayerOrTrusted(UUID playerId) {
        return isPlayer(playerId) || hasRole(Roles.GAME_SERVER) || isOperator();
    }

    /** The caller is this player or an operator, a viewer too. Only for reads. */
    public boolean isPlayerOrOperator(UUID playerId) {
        return isPlayer(playerId) || isOperator();
    }

    /** An operator who may read: {@link Roles#ADMIN} or {@link Roles#VIEWER}. Only for reads. */
    public boolean isOperator() {
        return hasRole(Roles.ADMIN) || hasRole(Roles.VIEWER);
    }

    /** The caller is this player or an operator. */
    public boolean isPlayerOrAdmin(UUID playerId) {
        return isPlayer(playerId) || hasRole(Roles.ADMIN);
    }

    public boolean hasRole(String role) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_" + role));
    }

    /** The token's subject: a player id, or a game server's or operator's client id. */
    public String subject() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth instanceof JwtAuthenticationToken jwt ? jwt.getToken().getSubject() : null;
    }
}
