package org.callibry.softphone.sip;

import gov.nist.core.net.SecurityManagerProvider;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.SSLEngine;
import java.net.Socket;

/**
 * The trust managers for a {@link TlsTrust}, found by JAIN-SIP stack name (JAIN-SIP instantiates
 * {@link TlsNetworkLayer} by class name, so each {@link UserAgent} registers its trust under its stack
 * name first). A refused server certificate is
 * remembered with its SHA-256 fingerprint, so that the agent can say "certificate not trusted" and
 * the user can choose to accept exactly that certificate.
 */
public final class TlsTrustProvider implements SecurityManagerProvider {
    /** The trust and the last refusal of one stack. */
    static final class Decision {
        final TlsTrust trust;
        final String serverHost;
        volatile String refusedFingerprint;
        volatile String refusal;

        Decision(TlsTrust trust, String serverHost) {
            this.trust = trust;
            this.serverHost = serverHost;
        }
    }

    private static final Map<String, Decision> BY_STACK = new ConcurrentHashMap<>();
    private Decision decision;

    static Decision register(String stackName, TlsTrust trust, String serverHost) {
        Decision d = new Decision(trust, serverHost);
        BY_STACK.put(stackName, d);
        return d;
    }

    static void unregister(String stackName) {
        BY_STACK.remove(stackName);
    }

    @Override
    public void init(Properties properties) {
        decision = BY_STACK.getOrDefault(properties.getProperty("javax.sip.STACK_NAME"), new Decision(TlsTrust.systemDefault(), null));
    }

    /** The server host name the certificate must name (RFC 5922 §7.2), or null when a fingerprint pins it. */
    String hostToVerify() {
        return decision.trust instanceof TlsTrust.Fingerprint ? null : decision.serverHost;
    }

    @Override
    public KeyManager[] getKeyManagers(boolean client) {
        return new KeyManager[0];
    }

    @Override
    public TrustManager[] getTrustManagers(boolean client) {
        try {
            X509ExtendedTrustManager base = switch (decision.trust) {
                case TlsTrust.SystemDefault s -> fromStore(null);
                case TlsTrust.TrustStore t -> {
                    char[] pw = t.password() == null ? null : t.password().toCharArray();
                    yield fromStore(KeyStore.getInstance(t.file().toFile(), pw));
                }
                case TlsTrust.Fingerprint f -> null;
            };
            return new TrustManager[] {new Remembering(base, decision)};
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot load the TLS trust store: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager fromStore(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(store);
        for (TrustManager m : f.getTrustManagers()) {
            if (m instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** SHA-256 of the DER encoding, lower-case hex. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks as the trust says (the socket's parameters add the host name check) and remembers a refusal. */
    private static final class Remembering extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager base;
        private final Decision decision;

        Remembering(X509ExtendedTrustManager base, Decision decision) {
            this.base = base;
            this.decision = decision;
        }

        @FunctionalInterface
        private interface Check {
            void run() throws CertificateException;
        }

        private void check(X509Certificate[] chain, Check baseCheck) throws CertificateException {
            String presented = chain == null || chain.length == 0 ? "" : fingerprint(chain[0]);
            try {
                if (base == null) {
                    java.util.Set<String> wanted = ((TlsTrust.Fingerprint) decision.trust).sha256();
                    if (!wanted.contains(presented)) {
                        throw new CertificateException("certificate fingerprint " + presented + " is not an accepted one");
                    }
                } else {
                    baseCheck.run();
                }
                decision.refusal = null;
            } catch (CertificateException e) {
                decision.refusedFingerprint = presented;
                decision.refusal = e.getMessage();
                throw e;
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain, () -> base.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain, () -> base.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, () -> base.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("the softphone accepts no TLS clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("the softphone accepts no TLS clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the softphone accepts no TLS clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return base == null ? new X509Certificate[0] : base.getAcceptedIssuers();
        }
    }
}
