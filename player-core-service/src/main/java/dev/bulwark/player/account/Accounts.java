package dev.bulwark.player.account;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.bulwark.events.player.PlayerRegistered;
import dev.bulwark.platform.messaging.Outbox;
import dev.bulwark.platform.security.Roles;
import dev.bulwark.platform.web.ApiException;

/** Registration and login. The new account and its {@code PlayerRegistered} event commit together. */
@Service
class Accounts {

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final Outbox outbox;
    private final TokenIssuer tokens;
    private final Clock clock;

    Accounts(JdbcClient jdbc, PasswordEncoder passwords, Outbox outbox, TokenIssuer tokens, Clock clock) {
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.outbox = outbox;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Transactional
    AuthResponse register(RegisterRequest request) {
        UUID playerId = UUID.randomUUID();
        String displayName = request.displayName() == null ? request.username() : request.displayName();
        Instant now = clock.instant();
        try {
            jdbc.sql("""
                    INSERT INTO player (player_id, username, display_name, password_hash, created_at)
                    VALUES (:id, :username, :displayName, :hash, :now)""")
                    .param("id", playerId).param("username", request.username()).param("displayName", displayName)
                    .param("hash", passwords.encode(request.password()))
                    .param("now", java.sql.Timestamp.from(now))
                    .update();
        }
        catch (DuplicateKeyException e) {
            throw ApiException.conflict("name-taken", "That username or display name is taken");
        }
        outbox.publish(new PlayerRegistered(playerId, request.username(), displayName, now), playerId.toString());
        return response(playerId);
    }

    @Transactional(readOnly = true)
    AuthResponse login(LoginRequest request) {
        var account = jdbc.sql("SELECT player_id, password_hash FROM player WHERE lower(username) = lower(:username)")
                .param("username", request.username())
                .query((rs, n) -> new Object[] { rs.getObject(1, UUID.class), rs.getString(2) })
                .optional();
        if (account.isEmpty() || !passwords.matches(request.password(), (String) account.get()[1])) {
            throw new ApiException(org.springframework.http.HttpStatus.UNAUTHORIZED, "bad-credentials",
                    "Unknown username or wrong password");
        }
        return response((UUID) account.get()[0]);
    }

    private AuthResponse response(UUID playerId) {
        TokenIssuer.IssuedToken token = tokens.issue(playerId.toString(), Roles.PLAYER);
        return new AuthResponse(playerId, token.value(), token.expiresIn());
    }
}
