package dev.bulwark.platform.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import org.springframework.core.io.Resource;

/** Reads the RSA keys of the token signer from PEM files (X.509 public, PKCS#8 private). */
public final class Pem {

    private Pem() {
    }

    public static RSAPublicKey publicKey(Resource resource) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(der(resource, "PUBLIC KEY")));
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("Not an RSA public key: " + resource, e);
        }
    }

    public static RSAPrivateKey privateKey(Resource resource) {
        try {
            return (RSAPrivateKey) KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(der(resource, "PRIVATE KEY")));
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("Not an RSA PKCS#8 private key: " + resource, e);
        }
    }

    private static byte[] der(Resource resource, String type) {
        try {
            String text = resource.getContentAsString(StandardCharsets.US_ASCII);
            String body = text.replace("-----BEGIN " + type + "-----", "")
                    .replace("-----END " + type + "-----", "")
                    .replaceAll("\\s", "");
            return Base64.getDecoder().decode(body);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read key " + resource
                    + " (set BULWARK_JWT_PUBLIC_KEY_LOCATION / BULWARK_JWT_PRIVATE_KEY_LOCATION)", e);
        }
    }
}
