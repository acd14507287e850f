package dev.bulwark.player.account;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bulwark.events.player.PlayerRegistered;
import dev.bulwark.platform.messaging.Outbox;
import dev.bulwark.platform.ratelimit.RateLimit;
import dev.bulwark.platform.ratelimit.RateLimits;
import dev.bulwark.platform.security.BanList;
import dev.bulwark.platform.security.Roles;
import dev.bulwark.platform.web.ApiException;

/** Registration, login, refresh and client credentials. A new account and its event commit together. */
@Service
class Accounts {

    private final AccountRepository accounts;
    private final PasswordEncoder passwords;
    private final Outbox outbox;
    private final TokenIssuer tokens;
    private final RefreshTokens refreshTokens;
    private final SignInThrottle throttle;
    private final RateLimit registrations;
    private final ClientCredentials clients;
    private final BanList bans;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Regions regions;
    /** Compared against when the username is unknown, so both cases cost one bcrypt check. */
    private final String unknownUserHash;

    Accounts(AccountRepository accounts, PasswordEncoder passwords, Outbox outbox, TokenIssuer tokens, RefreshTokens refreshTokens,
            SignInThrottle throttle, ClientCredentials clients, BanList bans, TransactionTemplate transactions,
            Clock clock, RateLimits rateLimits, AuthProperties properties, Regions regions) {
        this.regions = regions;
        this.accounts = accounts;
        this.passwords = passwords;
        this.outbox = outbox;
        this.tokens = tokens;
        this.refreshTokens = refreshTokens;
        this.throttle = throttle;
        this.clients = clients;
        this.bans = bans;
        this.transactions = transactions;
        this.clock = clock;
        this.unknownUserHash = passwords.encode(UUID.randomUUID().toString());
        AuthProperties.AddressLimit limit = properties.registrationsPerAddress();
        this.registrations = rateLimits.limit("registrations-per-address", limit.capacity(), limit.capacity(),
                limit.period(), "Too many registrations from this address");
    }

    /**
     * Each starts with the starter grant, so a farm of accounts is a farm of GOLD: registrations
     * are limited per client address (the bucket is taken before the account is made; a refused
     * or failed registration still counts), and new accounts cannot trade at once (the economy's
     * new-account restriction).
     *
     * <p>The address's bucket is taken and the password hashed before the transaction opens: the
     * bucket takes a pooled connection of its own (and a row lock that every registration from
     * one address queues on), and bcrypt takes tens of milliseconds. Done inside, 200 concurrent
     * registrations held all ten connections while each waited for an eleventh.
     */
    AuthResponse register(RegisterRequest request, String address) {
        // Refused before the address's bucket is taken: bad input changes nothing.
        String homeRegion = regions.homeFor(request.region());
        registrations.acquire(address);
        if (request.password().toLowerCase().contains(request.username().toLowerCase())) {
            throw ApiException.badRequest("weak-password", "The password must not contain the username");
        }
        String passwordHash = passwords.encode(request.password());
        return transactions.execute(tx -> create(request, homeRegion, passwordHash, address));
    }

    private AuthResponse create(RegisterRequest request, String homeRegion, String passwordHash, String address) {
        CharacterClass characterClass = request.characterClass() == null ? CharacterClass.ADVENTURER
                : request.characterClass();
        Instant now = clock.instant();
        Account account = Account.register(UUID.randomUUID(), request.username(),
                request.displayName() == null ? request.username() : request.displayName(),
                passwordHash, characterClass, homeRegion, now);
        try {
            // Flushed here, not at commit: the unique indexes answer a taken name inside this method.
            accounts.save(account);
            accounts.flush();
        }
        catch (DataIntegrityViolationException e) {
            if (!isUniqueViolation(e)) {
                throw e;
            }
            throw ApiException.conflict("name-taken", "That username or display name is taken");
        }
        // The address that made the account is its owner's: exempt from the per-account ceiling.
        throttle.succeeded(SignInThrottle.Kind.USER, request.username(), address);
        UUID playerId = account.id();
        outbox.publish(new PlayerRegistered(playerId, account.username(), account.displayName(), now,
                account.homeRegion()),
                playerId.toString());
        return response(playerId, refreshTokens.open(playerId));
    }

    /**
     * Not one transaction: the attempt must stay counted when the password is wrong, so the
     * throttle writes on its own and only the successful sign-in's token row is transactional.
     */
    AuthResponse login(LoginRequest request, String address) {
        throttle.attempt(SignInThrottle.Kind.USER, request.username(), address);
        Optional<Account> account = accounts.findByUsername(request.username());
        boolean matches = passwords.matches(request.password(),
                account.map(Account::passwordHash).orElse(unknownUserHash));
        if (account.isEmpty() || !matches) {
            throw new SignInRefusal(SignInRefusal.Reason.BAD_CREDENTIALS, "Unknown username or wrong password");
        }
        UUID playerId = account.get().id();
        if (bans.isBanned(playerId.toString())) {
            throw new SignInRefusal(SignInRefusal.Reason.BANNED, "This account is banned");
        }
        throttle.succeeded(SignInThrottle.Kind.USER, request.username(), address);
        return transactions.execute(tx -> response(playerId, refreshTokens.open(playerId)));
    }

    /** A refusal still commits: a reused token's family must stay revoked. */
    @Transactional(noRollbackFor = TokenRefusal.class)
    AuthResponse refresh(RefreshRequest request) {
        RefreshTokens.Rotated rotated = refreshTokens.rotate(request.refreshToken());
        if (bans.isBanned(rotated.playerId().toString())) {
            refreshTokens.revokeAll(rotated.playerId());
            throw new TokenRefusal(TokenRefusal.Reason.BANNED, "This account is banned");
        }
        return response(rotated.playerId(), rotated.refreshToken());
    }

    /** Throttled as login is: an operator's secret must not be open to brute force. */
    ClientTokenResponse clientToken(ClientTokenRequest request, String address) {
        throttle.attempt(SignInThrottle.Kind.CLIENT, request.clientId(), address);
        AuthProperties.Client client = clients.authenticate(request.clientId(), request.clientSecret());
        throttle.succeeded(SignInThrottle.Kind.CLIENT, request.clientId(), address);
        TokenIssuer.IssuedToken token = tokens.issue(client.id(), client.role());
        return new ClientTokenResponse(token.value(), token.expiresIn());
    }

    private AuthResponse response(UUID playerId, String refreshToken) {
        TokenIssuer.IssuedToken token = tokens.issue(playerId.toString(), Roles.PLAYER);
        return new AuthResponse(playerId, token.value(), refreshToken, token.expiresIn());
    }

    /** PostgreSQL's unique_violation; a check constraint failing is a bug, not a taken name. */
    private static boolean isUniqueViolation(DataIntegrityViolationException e) {
        return e.getMostSpecificCause() instanceof SQLException sql && "23505".equals(sql.getSQLState());
    }
}
