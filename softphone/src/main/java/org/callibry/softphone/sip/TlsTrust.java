package org.callibry.softphone.sip;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * How the softphone decides to trust the server's TLS certificate: the JDK's default trust store, a
 * trust store file of its own, or exactly one certificate given by its SHA-256 fingerprint (what the
 * user accepted once when the server presented a self-signed certificate).
 */
public sealed interface TlsTrust {
    /** The JDK's trust store (certificates signed by a public CA). */
    record SystemDefault() implements TlsTrust {
    }

    /** A trust store file (PKCS12 or JKS, by the file's content). */
    record TrustStore(Path file, String password) implements TlsTrust {
        public TrustStore {
            Objects.requireNonNull(file, "file");
        }
    }

    /**
     * Only the certificates whose SHA-256 fingerprints (hex, colons and case ignored) are these: those
     * the user accepted (one per server with a self-signed certificate).
     */
    record Fingerprint(java.util.Set<String> sha256) implements TlsTrust {
        public Fingerprint {
            sha256 = sha256.stream().map(TlsTrust::normalize).collect(java.util.stream.Collectors.toUnmodifiableSet());
        }
    }

    static TlsTrust systemDefault() {
        return new SystemDefault();
    }

    static TlsTrust trustStore(Path file, String password) {
        return new TrustStore(file, password);
    }

    /** {@code sha256}: one fingerprint, or several separated by commas. */
    public static TlsTrust fingerprint(String sha256) {
        return new Fingerprint(java.util.Arrays.stream(sha256.split(",")).map(String::strip).filter(f -> !f.isEmpty())
                .collect(java.util.stream.Collectors.toSet()));
    }

    /** Lower-case hex without separators. */
    static String normalize(String fingerprint) {
        return fingerprint.replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
    }
}
