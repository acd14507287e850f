package dev.bulwark.player.operator;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.bulwark.events.Envelope;
import dev.bulwark.events.player.OperatorDisabled;
import dev.bulwark.platform.messaging.Outbox;
import dev.bulwark.platform.ratelimit.RateLimit;
import dev.bulwark.platform.ratelimit.RateLimits;
import dev.bulwark.platform.security.BanList;
import dev.bulwark.platform.security.Roles;
import dev.bulwark.platform.security.SecurityProperties;
import dev.bulwark.platform.web.ApiException;
import dev.bulwark.player.account.TokenIssuer;

/**
 * Operator accounts: created by an ADMIN (the first one from configuration), signed in with a
 * password for a token whose subject is {@code operator:<username>} and whose role is the
 * operator's. Sign-ins are limited per username and per address before the password is checked,
 * and an unknown username costs the same bcrypt comparison as a known one.
 */
@Component
class Operators implements ApplicationRunner {

    static final String SUBJECT_PREFIX = Roles.OPERATOR_SUBJECT_PREFIX;

    private static final Logger log = LoggerFactory.getLogger(Operators.class);

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final TokenIssuer tokens;
    private final SecurityProperties security;
    private final OperatorProperties properties;
    private final Clock clock;
    private final RateLimit perOperator;
    private final RateLimit perAddress;
    private final String unknownOperatorHash;
    private final Outbox outbox;
    private final BanList banList;

    Operators(JdbcClient jdbc, PasswordEncoder passwords, TokenIssuer tokens, SecurityProperties security,
            OperatorProperties properties, Clock clock, RateLimits rateLimits, Outbox outbox, BanList banList) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.banList = banList;
        this.passwords = passwords;
        this.tokens = tokens;
        this.security = security;
        this.properties = properties;
        this.clock = clock;
        this.perOperator = rateLimits.limit("operator-sign-ins", properties.signInsPerOperator(),
                properties.signInsPerOperator(), properties.signInPeriod(), "Too many sign-in attempts for this operator");
        this.perAddress = rateLimits.limit("operator-sign-ins-per-address", properties.signInsPerAddress(),
                properties.signInsPerAddress(), properties.signInPeriod(),
                "Too many operator sign-in attempts from this address");
        this.unknownOperatorHash = passwords.encode(UUID.randomUUID().toString());
    }

    record Operator(String username, OperatorRole role, String createdBy, Instant createdAt, Instant disabledAt,
            String disabledBy, String disabledReason) {
    }

    record SignedIn(String accessToken, long expiresIn, String username, OperatorRole role) {
    }

    /** Creates the configured first ADMIN while there is no operator at all; a no-op afterwards. */
    @Override
    public void run(ApplicationArguments args) {
        if (!properties.bootstraps()) {
            return;
        }
        if (properties.bootstrapPassword() == null || properties.bootstrapPassword().length() < 12) {
            throw new IllegalStateException("bulwark.operators.bootstrap-password must have at least 12 characters");
        }
        Long existing = jdbc.sql("SELECT count(*) FROM operator").query(Long.class).single();
        if (existing == 0) {
            insert(properties.bootstrapUsername(), properties.bootstrapPassword(), OperatorRole.ADMIN, "bootstrap");
            log.info("Created the first operator '{}' (ADMIN) from bulwark.operators.bootstrap-username",
                    properties.bootstrapUsername());
        }
    }

    @Transactional
    Operator create(String username, String password, OperatorRole role, String createdBy) {
        if (!insert(username, password, role, createdBy)) {
            throw ApiException.conflict("operator-exists", "An operator named " + username + " exists");
        }
        audit(createdBy, SUBJECT_PREFIX + normalise(username), "CREATE_OPERATOR", role.name());
        return find(username).orElseThrow();
    }

    /**
     * Disables an operator: they cannot sign in, and every service refuses the tokens they hold
     * (player-core at once, the others when {@code OperatorDisabled} reaches their ban list,
     * within moments). Disabling a disabled operator changes nothing; an ADMIN cannot disable
     * themselves (so the last ADMIN cannot lock everybody out by mistake).
     */
    @Transactional
    Operator disable(String username, String disabledBy, String reason) {
        String name = normalise(username);
        String subject = SUBJECT_PREFIX + name;
        if (subject.equals(disabledBy)) {
            throw ApiException.conflict("cannot-disable-self", "An operator cannot disable their own account");
        }
        Instant now = clock.instant();
        int disabled = jdbc.sql("""
                UPDATE operator SET disabled_at = :at, disabled_by = :by, disabled_reason = :reason
                WHERE username = :username AND disabled_at IS NULL""")
                .param("at", Timestamp.from(now)).param("by", disabledBy).param("reason", reason)
                .param("username", name).update();
        Operator operator = find(name).orElseThrow(() -> ApiException.notFound("Operator " + name));
        if (disabled == 1) {
            Envelope event = outbox.publish(new OperatorDisabled(subject, disabledBy, reason, now),
                    OperatorDisabled.aggregateOf(subject).toString());
            banList.recordBan(subject, null, reason, event.sequence(), event.occurredAt());
            audit(disabledBy, subject, "DISABLE_OPERATOR", reason);
        }
        return operator;
    }

    private void audit(String adminId, String subject, String action, String reason) {
        jdbc.sql("INSERT INTO admin_audit_log (admin_id, subject, action, reason, at) VALUES (:admin, :subject, :action, :reason, :at)")
                .param("admin", adminId).param("subject", subject).param("action", action).param("reason", reason)
                .param("at", Timestamp.from(clock.instant())).update();
    }

    private boolean insert(String username, String password, OperatorRole role, String createdBy) {
        return jdbc.sql("""
                INSERT INTO operator (username, password_hash, role, created_by, created_at)
                VALUES (:username, :hash, :role, :by, :at) ON CONFLICT DO NOTHING""")
                .param("username", normalise(username)).param("hash", passwords.encode(password))
                .param("role", role.name()).param("by", createdBy).param("at", Timestamp.from(clock.instant()))
                .update() == 1;
    }

    List<Operator> list() {
        return jdbc.sql("SELECT * FROM operator ORDER BY username")
                .query(Operators::operator).list();
    }

    private Optional<Operator> find(String username) {
        return jdbc.sql("SELECT * FROM operator WHERE username = :username")
                .param("username", normalise(username)).query(Operators::operator).optional();
    }

    SignedIn signIn(String username, String password, String address) {
        String name = normalise(username);
        perAddress.acquire(address);
        perOperator.acquire(name);
        Optional<StoredOperator> stored = jdbc.sql("""
                SELECT password_hash, role FROM operator WHERE username = :username AND disabled_at IS NULL""")
                .param("username", name)
                .query((rs, n) -> new StoredOperator(rs.getString(1), OperatorRole.valueOf(rs.getString(2))))
                .optional();
        boolean matches = passwords.matches(password, stored.map(StoredOperator::passwordHash).orElse(unknownOperatorHash));
        if (stored.isEmpty() || !matches) {
            throw ApiException.unauthorized("bad-credentials", "Unknown operator or wrong password");
        }
        OperatorRole role = stored.get().role();
        Instant now = clock.instant();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(tokens.issuer())
                .audience(List.of(security.audience()))
                .subject(SUBJECT_PREFIX + name)
                .issuedAt(now)
                .expiresAt(now.plus(properties.tokenTtl()))
                .id(UUID.randomUUID().toString())
                .claim("roles", List.of(role.tokenRole()))
                .build();
        return new SignedIn(tokens.sign(claims, "JWT"), properties.tokenTtl().toSeconds(), name, role);
    }

    private static String normalise(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    private static Operator operator(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        java.sql.Timestamp disabledAt = rs.getTimestamp("disabled_at");
        return new Operator(rs.getString("username"), OperatorRole.valueOf(rs.getString("role")),
                rs.getString("created_by"), rs.getTimestamp("created_at").toInstant(),
                disabledAt == null ? null : disabledAt.toInstant(), rs.getString("disabled_by"),
                rs.getString("disabled_reason"));
    }

    private record StoredOperator(String passwordHash, OperatorRole role) {
    }
}
