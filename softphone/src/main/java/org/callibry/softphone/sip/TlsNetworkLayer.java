package org.callibry.softphone.sip;

import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * JAIN-SIP's sockets for one {@link UserAgent}: plain ones as usual, TLS ones from an SSL context
 * whose trust is the agent's {@link TlsTrust} (JAIN-SIP instantiates this class by name; the agent's
 * trust is found by the stack name). The softphone presents no client certificate.
 */
public final class TlsNetworkLayer implements NetworkLayer {
    private static final int CONNECT_TIMEOUT_MS = 4000;
    private SSLContext context;
    private TlsTrustProvider provider;

    @Override
    public void setSipStack(SipStackImpl stack) {
        provider = new TlsTrustProvider();
        provider.init(stack.getConfigurationProperties());
        try {
            context = SSLContext.getInstance("TLS");
            context.init(provider.getKeyManagers(true), provider.getTrustManagers(true), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return new ServerSocket(port, backlog, bindAddress);
    }

    @Override
    public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return (SSLServerSocket) context.getServerSocketFactory().createServerSocket(port, backlog, bindAddress);
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return createSocket(address, port, myAddress, 0);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress, int myPort) throws IOException {
        Socket s = new Socket();
        if (myAddress != null) {
            s.bind(new InetSocketAddress(myAddress, myPort));
        }
        s.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
        return s;
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
        return createSSLSocket(address, port, null);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        Socket plain = createSocket(address, port, myAddress, 0);
        String host = provider.hostToVerify();
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, host == null ? address.getHostAddress() : host,
                port, true);
        SSLParameters parameters = s.getSSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        if (host != null) {
            // RFC 5922 §7.2: the certificate must name the server we meant to reach (SAN DNS name or IP address)
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        s.setSSLParameters(parameters);
        return s;
    }

    @Override
    public DatagramSocket createDatagramSocket() throws SocketException {
        return new DatagramSocket();
    }

    @Override
    public DatagramSocket createDatagramSocket(int port, InetAddress bindAddress) throws SocketException {
        return bindAddress == null ? new DatagramSocket(port) : new DatagramSocket(port, bindAddress);
    }
}
