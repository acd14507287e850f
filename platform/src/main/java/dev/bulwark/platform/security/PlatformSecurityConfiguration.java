package dev.bulwark.platform.security;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import dev.bulwark.platform.messaging.Inbox;
import dev.bulwark.platform.web.Problems;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Deny by default: only health (its bare status; details need an operator), the probe paths, API
 * docs and the paths a service names as open are reachable without a token; the other actuator
 * endpoints (metrics, circuit breakers, bulkheads) need an operator, except metrics on a management
 * port of their own, which only the scraper can reach; everything else needs a token signed by
 * player-core's key, for this issuer and audience. Errors are problem+json like every other error.
 */
@AutoConfiguration
@EnableMethodSecurity
@EnableConfigurationProperties(SecurityProperties.class)
public class PlatformSecurityConfiguration {

    /** Distinct verified tokens kept (~2 KB each): the players active within the cache's ten minutes, per instance. */
    private static final int VERIFIED_TOKENS = 10_000;
    private static final List<String> ALWAYS_OPEN = List.of("/actuator/health/**", "/actuator/info", "/livez",
            "/readyz", "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html", "/error");

    /** Signature checked once per token, validity (expiry, issuer, audience, ban) on every request: {@link CachingJwtDecoder}. */
    @Bean
    @ConditionalOnMissingBean
    JwtDecoder jwtDecoder(SecurityProperties properties, BanList bans) {
        NimbusJwtDecoder verifying = NimbusJwtDecoder.withPublicKey(Pem.publicKey(properties.publicKeyLocation())).build();
        verifying.setJwtValidator(jwt -> OAuth2TokenValidatorResult.success());
        return new CachingJwtDecoder(verifying, new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(properties.issuer()), audience(properties.audience()),
                notBanned(bans)), VERIFIED_TOKENS, Duration.ofMinutes(10));
    }

    /**
     * No observations of the security filter chain, of authentication or of authorization: each
     * wrapped every one of the chain's filters (and each check) in an observation of its own on
     * every request, a tenth of an economy write's CPU (docs/benchmarks.md). The request's own
     * observation ({@code http.server.requests}: metrics, trace) stays, and its status says what
     * security decided.
     */
    @Bean
    @ConditionalOnMissingBean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    BanList banList(JdbcClient jdbc, Clock clock) {
        return new BanList(jdbc, clock);
    }

    @Bean
    BanListener banListener(Inbox inbox, BanList bans, Environment environment) {
        return new BanListener(inbox, bans, environment.getRequiredProperty("spring.application.name"));
    }

    @Bean
    AuthorityLeases authorityLeases(SecurityProperties properties, Clock clock) {
        return new AuthorityLeases(Pem.publicKey(properties.publicKeyLocation()), properties.issuer(), clock);
    }

    /**
     * A banned player's tokens stop working at once, however long they were issued for, and the
     * ones issued before a ban stay refused after it is lifted. So do a disabled operator's
     * (subject {@code operator:<name>}). Game servers' tokens are not looked up: nobody bans them.
     */
    static OAuth2TokenValidator<Jwt> notBanned(BanList bans) {
        OAuth2Error banned = new OAuth2Error("invalid_token", "The player is banned or the operator disabled", null);
        return jwt -> {
            List<String> roles = jwt.getClaimAsStringList("roles");
            boolean checked = roles != null && roles.contains(Roles.PLAYER)
                    || jwt.getSubject() != null && jwt.getSubject().startsWith(Roles.OPERATOR_SUBJECT_PREFIX);
            return checked && bans.refuses(jwt.getSubject(), jwt.getIssuedAt())
                    ? OAuth2TokenValidatorResult.failure(banned)
                    : OAuth2TokenValidatorResult.success();
        };
    }

    static OAuth2TokenValidator<Jwt> audience(String audience) {
        OAuth2Error wrongAudience = new OAuth2Error("invalid_token", "The token is not for " + audience, null);
        return jwt -> jwt.getAudience() != null && jwt.getAudience().contains(audience)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(wrongAudience);
    }

    @Bean
    JwtAuthenticationConverter jwtAuthenticationConverter() {
        JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
        roles.setAuthoritiesClaimName("roles");
        roles.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(roles);
        return converter;
    }

    /**
     * The firewall's refusals ({@code //}, {@code ;}, {@code /./}, encoded separators in the
     * path) as problem+json instead of an error dispatch to Boot's default body.
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler(JsonMapper mapper) {
        return (request, response, e) -> write(response, mapper, Problems.of(HttpStatus.BAD_REQUEST,
                "malformed-request", "The request path is not in canonical form"));
    }

    @Bean(name = "access")
    Access access() {
        return new Access();
    }

    @Bean
    @ConditionalOnMissingBean
    SecurityFilterChain securityFilterChain(HttpSecurity http, SecurityProperties properties,
            JwtAuthenticationConverter converter, JsonMapper mapper, Environment environment) throws Exception {
        List<String> open = new ArrayList<>(ALWAYS_OPEN);
        open.addAll(properties.openPaths());
        // With a management port of its own (deployments set BULWARK_MANAGEMENT_PORT), no actuator
        // endpoint is served on the service port, and the management port is reachable only by
        // Prometheus (the NetworkPolicy, compose's unpublished port), which cannot present our
        // short-lived tokens. Without one (the local stack), metrics are an operator's read.
        if (ManagementPortType.get(environment) == ManagementPortType.DIFFERENT) {
            open.add("/actuator/prometheus");
        }
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(open.toArray(String[]::new)).permitAll()
                        .requestMatchers("/actuator/**").hasRole(Roles.ADMIN)
                        .anyRequest().authenticated())
                .oauth2ResourceServer(rs -> rs
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(converter))
                        .authenticationEntryPoint((request, response, e) -> {
                            bearer.commence(request, response, e);
                            write(response, mapper, Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized",
                                    "A valid bearer token is required"));
                        })
                        .accessDeniedHandler((request, response, e) -> write(response, mapper,
                                Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Not allowed for this caller"))))
                .exceptionHandling(ex -> ex.accessDeniedHandler((request, response, e) -> write(response, mapper,
                        Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Not allowed for this caller"))));
        return http.build();
    }

    private static void write(HttpServletResponse response, JsonMapper mapper, ProblemDetail problem)
            throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        mapper.writeValue(response.getOutputStream(), problem);
    }
}
