package org.callibry.server.sip.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key and certificate of the SIP TLS listening point: the configured PKCS#12 file, or a
 * self-signed one made once with the JDK's {@code keytool} and kept in the data directory, so a demo
 * works out of the box and phones that pinned it keep trusting it across restarts.
 */
final class TlsKeystore {
    private static final Logger log = LoggerFactory.getLogger(TlsKeystore.class);

    private TlsKeystore() {
    }

    static Path ensure(SipProperties properties, Path dataDir) throws IOException, InterruptedException {
        if (!properties.tlsKeystore().isBlank()) {
            Path configured = Path.of(properties.tlsKeystore());
            if (!Files.isReadable(configured)) {
                throw new IOException("callibry.sip.tls-keystore " + configured + " is not readable");
            }
            return configured;
        }
        Path file = dataDir.toAbsolutePath().resolve("sip-tls.p12");
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(file.getParent());
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        String host = properties.advertisedAddress().isBlank() ? "callibry" : properties.advertisedAddress();
        Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "callibry-sip", "-keyalg", "RSA",
                "-keysize", "2048", "-sigalg", "SHA256withRSA", "-validity", "3650", "-dname", "CN=" + host,
                "-ext", "SAN=ip:127.0.0.1,dns:localhost" + (host.matches("[0-9.]+") ? ",ip:" + host : ",dns:" + host),
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", properties.tlsKeystorePassword(),
                "-keypass", properties.tlsKeystorePassword()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(file)) {
            throw new IOException("keytool could not make a self-signed certificate: " + out);
        }
        log.warn("Generated a self-signed certificate for SIP over TLS in {} (set callibry.sip.tls-keystore for a real one)", file);
        return file;
    }
}
