package dev.bulwark.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The RSA key pair player-core signs tokens with and every service verifies them with. Generated once and kept,
 * so tokens stay valid across restarts of the stack. The names match the services' fallback location
 * (.bulwark/keys/public.pem) for runs without the environment the stack sets.
 */
final class JwtKeys {

    private final Path privateKey;
    private final Path publicKey;

    JwtKeys(Path directory) {
        this.privateKey = directory.resolve("private.pem");
        this.publicKey = directory.resolve("public.pem");
    }

    void createIfAbsent() throws IOException {
        if (Files.exists(privateKey) && Files.exists(publicKey)) {
            return;
        }
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            pair = generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no RSA key generator", e);
        }
        Files.createDirectories(privateKey.getParent());
        // getEncoded() gives PKCS#8 for the private and X.509 SubjectPublicKeyInfo for the public key.
        Files.writeString(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(privateKey, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
    }

    /** As a Spring resource location, which is how the services read it. */
    String privateKeyLocation() {
        return "file:" + privateKey.toAbsolutePath();
    }

    String publicKeyLocation() {
        return "file:" + publicKey.toAbsolutePath();
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
