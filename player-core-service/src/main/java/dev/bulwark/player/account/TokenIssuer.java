package dev.bulwark.player.account;

import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.stereotype.Component;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import dev.bulwark.platform.security.Pem;

/**
 * Issues RS256 access tokens, and signs other tokens (authority leases) with the same key, whose
 * public half every service trusts.
 */
@Component
public class TokenIssuer {

    private final NimbusJwtEncoder encoder;
    private final RSAPublicKey publicKey;
    private final TokenProperties properties;
    private final Clock clock;
    private final String keyId;

    TokenIssuer(TokenProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.publicKey = Pem.publicKey(properties.publicKeyLocation());
        this.keyId = Integer.toHexString(publicKey.getModulus().hashCode());
        this.encoder = NimbusJwtEncoder.withKeyPair(publicKey, Pem.privateKey(properties.privateKeyLocation()))
                .jwkPostProcessor(jwk -> jwk.keyID(keyId))
                .build();
    }

    /** Signs claims with the service key; {@code type} becomes the JOSE {@code typ} header. */
    public String sign(JwtClaimsSet claims, String type) {
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).keyId(keyId).type(type).build();
        return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
    }

    /** The issuer every service expects, for tokens signed with {@link #sign}. */
    public String issuer() {
        return properties.issuer();
    }

    IssuedToken issue(String subject, String role) {
        Instant now = clock.instant();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(properties.issuer())
                .audience(List.of(properties.audience()))
                .subject(subject)
                .issuedAt(now)
                .expiresAt(now.plus(properties.accessTokenTtl()))
                .id(UUID.randomUUID().toString())
                .claim("roles", List.of(role))
                .build();
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).keyId(keyId).build();
        String token = encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
        return new IssuedToken(token, properties.accessTokenTtl().toSeconds());
    }

    /** The public key as a JWKS document. */
    Map<String, Object> jwks() {
        RSAKey key = new RSAKey.Builder(publicKey).keyID(keyId).keyUse(KeyUse.SIGNATURE)
                .algorithm(com.nimbusds.jose.JWSAlgorithm.RS256).build();
        return new JWKSet(key).toJSONObject();
    }

    record IssuedToken(String value, long expiresIn) {
    }
}
