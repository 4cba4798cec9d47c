package org.callibry.server.crm;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which URLs configured by tenants the server may call (IVR lookups, webhooks, CRM lookups). Tenants
 * write these URLs, so a URL must not become a way into the server's own network: a host that resolves
 * to a loopback, private, link-local (cloud metadata), shared (100.64/10), unique-local or unspecified
 * address is refused unless the URL is under one of the operator's allowed prefixes (a property such
 * as {@code callibry.ivr.http.allow}, e.g. the demo's own {@code http://127.0.0.1:8080/demo/} or a CRM
 * inside the network): the same scheme, host and port ({@code :*} for any port) and a path under the
 * prefix's path on a segment bound. Public hosts are allowed. Only {@code http} and {@code https}, no user
 * part ({@code user@host}), no dot segments or encoded separators in the path; callers must not follow
 * redirects (a public URL could point inside). The name is resolved here and again by the HTTP
 * client: a name whose answer changes between the two (DNS rebinding) is out of this check's reach; list
 * internal services by address.
 */
public final class UrlGuard {
    private final List<URI> allowed;
    private final String property;

    /**
     * @param allowedPrefixes URLs ({@code scheme://host[:port][/path]}) allowed although they lead inside;
     *                        {@code :*} as the port matches any port
     * @param property        the property that lists them, named in the refusal
     */
    public UrlGuard(List<String> allowedPrefixes, String property) {
        this.allowed = allowedPrefixes == null ? List.of()
                : allowedPrefixes.stream().map(String::strip).filter(p -> !p.isEmpty()).map(p -> URI.create(p.replace(":*", ":0")))
                .toList();
        this.property = property;
    }

    /** Empty when {@code url} may be fetched, else why not. */
    public Optional<String> refuse(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("only http and https URLs are fetched, not " + (scheme.isEmpty() ? "this one" : scheme));
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("the URL names no host");
        }
        if (url.getRawUserInfo() != null) {
            return Optional.of("a URL with a user part (before @) is not fetched; send credentials in a header");
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || path.contains("\\") || dotSegment(path)) {
            return Optional.of("a path with dot segments or encoded separators is not fetched");
        }
        if (allowed.stream().anyMatch(a -> within(url, a))) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            return Optional.of("unknown host " + host);
        }
        for (InetAddress a : addresses) {
            if (internal(a)) {
                return Optional.of(host + " is an address of the server's own network (" + a.getHostAddress()
                        + "); the operator may allow it in " + property);
            }
        }
        return Optional.empty();
    }

    private static boolean dotSegment(String path) {
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /** Same scheme, host and port as the allowed prefix (port 0: any), and a path under its path on a segment bound. */
    private static boolean within(URI url, URI prefix) {
        if (!url.getScheme().equalsIgnoreCase(String.valueOf(prefix.getScheme()))
                || !url.getHost().equalsIgnoreCase(String.valueOf(prefix.getHost()))
                || prefix.getPort() != 0 && port(url) != port(prefix)) {
            return false;
        }
        String base = prefix.getRawPath() == null ? "" : prefix.getRawPath();
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        if (base.isEmpty() || base.equals("/")) {
            return true;
        }
        return path.equals(base) || path.startsWith(base.endsWith("/") ? base : base + "/");
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** Is {@code a} an address of the server's own network (or no real destination)? */
    public static boolean internal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc; // unique local fc00::/7
        }
        return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64 // shared address space 100.64.0.0/10
                || (b[0] & 0xff) == 0; // "this network" 0.0.0.0/8
    }
}
