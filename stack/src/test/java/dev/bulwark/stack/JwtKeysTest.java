package dev.bulwark.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class JwtKeysTest {

    @TempDir
    Path directory;

    @Test
    void writesAMatchingRsaPairAsPemOnceAndKeepsIt() throws Exception {
        JwtKeys keys = new JwtKeys(directory);
        keys.createIfAbsent();
        String publicPem = Files.readString(path(keys.publicKeyLocation()));
        String privatePem = Files.readString(path(keys.privateKeyLocation()));

        KeyFactory rsa = KeyFactory.getInstance("RSA");
        RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(
                new X509EncodedKeySpec(der(publicPem, "PUBLIC KEY")));
        RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) rsa.generatePrivate(
                new PKCS8EncodedKeySpec(der(privatePem, "PRIVATE KEY")));
        assertThat(publicKey.getModulus().bitLength()).isEqualTo(2048);
        assertThat(privateKey.getModulus()).isEqualTo(publicKey.getModulus());

        keys.createIfAbsent();
        assertThat(Files.readString(path(keys.publicKeyLocation()))).isEqualTo(publicPem);
    }

    private static Path path(String springLocation) {
        assertThat(springLocation).startsWith("file:/");
        return Path.of(URI.create("file://" + springLocation.substring("file:".length())));
    }

    private static byte[] der(String pem, String type) {
        assertThat(pem).startsWith("-----BEGIN " + type + "-----\n").endsWith("-----END " + type + "-----\n");
        String body = pem.replace("-----BEGIN " + type + "-----", "").replace("-----END " + type + "-----", "");
        return Base64.getMimeDecoder().decode(body);
    }
}
