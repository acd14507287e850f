package dev.bulwark.crdt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Feeds a canonical encoding of a state into SHA-256: every string is its UTF-8 length (4 bytes,
 * big-endian) then its bytes, every number 8 bytes big-endian, every collection its size first and
 * then its items in canonical order, so no two different states share an encoding. The digest is
 * a contract between regions (they compare it): changing this encoding is a breaking change.
 */
final class Canonical {

    private final MessageDigest sha256;

    private Canonical(String type) {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        text(type);
    }

    /** A digest of a state of the named type (the type's name is hashed first). */
    static Canonical of(String type) {
        return new Canonical(type);
    }

    Canonical text(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        sha256.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha256.update(bytes);
        return this;
    }

    Canonical number(long n) {
        sha256.update(ByteBuffer.allocate(8).putLong(n).array());
        return this;
    }

    Canonical vector(VersionVector v) {
        number(v.counters().size());
        for (Map.Entry<String, Long> e : v.counters().entrySet()) { // sorted by replica
            text(e.getKey()).number(e.getValue());
        }
        return this;
    }

    /** Hex of the SHA-256 so far. */
    String hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }
}
