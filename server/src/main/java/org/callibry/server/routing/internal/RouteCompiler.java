package org.callibry.server.routing.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import org.callibry.server.api.RpcException;
import org.callibry.server.routing.Destination;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.dto.Routes;

/**
 * Checks a route and compiles it for evaluation. Everything a route holds is checked here, at save
 * time: every mask compiles, every rewrite only uses groups its mask has, a gateway is a valid
 * {@code host[:port][;transport=...]}, the time zone exists and the hours make a window. A fault is an
 * invalid-params error naming the field (and, for a regular expression, the position of the fault).
 */
final class RouteCompiler {
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern NUMERIC = Pattern.compile("[0-9]+");

    private RouteCompiler() {
    }

    /** Compiles a route, or throws {@link RpcException} (invalid params) naming the field at fault. */
    static CompiledRoute compile(Routes.Route r) {
        if (r.name() == null || r.name().isBlank()) {
            throw RpcException.invalid("name", "must not be blank");
        }
        Mask aNumber = mask("aNumberMask", r.aNumberMask());
        Mask aHost = mask("aHostMask", r.aHostMask());
        Mask bNumber = mask("bNumberMask", r.bNumberMask());
        Mask bHost = mask("bHostMask", r.bHostMask());
        Pattern bBy = bNumber == null ? CompiledRoute.ANYTHING : bNumber.pattern();
        String bRewrite = rewrite("bRewrite", r.bRewrite(), bBy, "bNumberMask");
        Mask aRewriteMask = mask("aRewriteMask", r.aRewriteMask());
        Pattern aBy = aRewriteMask == null ? CompiledRoute.ANYTHING : aRewriteMask.pattern();
        String aRewrite = rewrite("aRewrite", r.aRewrite(), aBy, "aRewriteMask");
        if (aRewrite == null && aRewriteMask != null) {
            throw RpcException.invalid("aRewrite", "is needed with aRewriteMask");
        }
        Destination destination = destination(r.destinationType(), r.destination());
        ZoneId zone = zone(r.timeZone());
        int dayMask = 0;
        for (Integer d : r.days() == null ? List.<Integer>of() : r.days()) {
            if (d == null || d < 1 || d > 7) {
                throw RpcException.invalid("days", "must be ISO days of the week, 1 (Monday) to 7 (Sunday)");
            }
            dayMask |= 1 << d;
        }
        int from = time("timeFrom", r.timeFrom());
        int to = time("timeTo", r.timeTo());
        if ((from < 0) != (to < 0)) {
            throw RpcException.invalid(from < 0 ? "timeFrom" : "timeTo", "timeFrom and timeTo go together");
        }
        if (from >= 0 && from == to) {
            throw RpcException.invalid("timeTo", "must differ from timeFrom (to < from spans midnight)");
        }
        Integer max = r.maxDurationSeconds();
        if (max != null && max <= 0) {
            throw RpcException.invalid("maxDurationSeconds", "must be positive");
        }
        String callerId = r.callerId() == null || r.callerId().isEmpty() ? null : r.callerId();
        return new CompiledRoute(r, aNumber, aHost, bNumber, bHost, bBy, bRewrite, aBy, aRewrite, destination,
                max == null ? null : Duration.ofSeconds(max), callerId, dayMask, from, to, zone, null);
    }

    /** Like {@link #compile}, but a stored route that no longer compiles becomes one that never matches. */
    static CompiledRoute compileStored(Routes.Route r) {
        try {
            return compile(r);
        } catch (RpcException e) {
            return new CompiledRoute(r, null, null, null, null, CompiledRoute.ANYTHING, null, CompiledRoute.ANYTHING, null,
                    new Destination.LocalAccount(), null, null, 0, -1, -1, ZoneId.of("UTC"), "invalid: " + e.getMessage());
        }
    }

    private static Mask mask(String field, String regex) {
        if (regex == null || regex.isEmpty()) {
            return null;
        }
        try {
            return Mask.compile(regex);
        } catch (PatternSyntaxException e) {
            String reason = e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : "");
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("field", field);
            data.put("reason", reason);
            data.put("index", e.getIndex());
            throw new RpcException(ErrorCodes.INVALID_PARAMS, "Invalid params: " + field + ": " + reason, data);
        }
    }

    /**
     * Checks a replacement string as {@link java.util.regex.Matcher#appendReplacement} reads it: a
     * backslash quotes the next character, {@code $n} and {@code ${name}} refer to groups that must exist.
     */
    private static String rewrite(String field, String replacement, Pattern by, String maskField) {
        if (replacement == null || replacement.isEmpty()) {
            return null;
        }
        int groups = by.matcher("").groupCount();
        Map<String, Integer> named = by.namedGroups();
        int n = replacement.length();
        for (int i = 0; i < n; i++) {
            char c = replacement.charAt(i);
            if (c == '\\') {
                if (++i >= n) {
                    throw RpcException.invalid(field, "ends with a backslash (write \\\\ for one)");
                }
            } else if (c == '$') {
                if (++i >= n) {
                    throw RpcException.invalid(field, "ends with $ (write \\$ for a dollar sign)");
                }
                char d = replacement.charAt(i);
                if (d == '{') {
                    int close = replacement.indexOf('}', i);
                    if (close < 0) {
                        throw RpcException.invalid(field, "${ without a closing } at index " + (i - 1));
                    }
                    String name = replacement.substring(i + 1, close);
                    if (!named.containsKey(name)) {
                        throw RpcException.invalid(field, "refers to group ${" + name + "} but " + maskField
                                + (named.isEmpty() ? " has no named groups" : " names only " + named.keySet()));
                    }
                    i = close;
                } else if (d >= '0' && d <= '9') {
                    // as Matcher does: the first digit always belongs to the reference, later ones while the group exists
                    int ref = d - '0';
                    if (ref > groups) {
                        throw RpcException.invalid(field, "refers to group $" + ref + " but " + maskField + " has "
                                + groups + (groups == 1 ? " group" : " groups"));
                    }
                    while (i + 1 < n && Character.isDigit(replacement.charAt(i + 1))
                            && ref * 10 + (replacement.charAt(i + 1) - '0') <= groups) {
                        ref = ref * 10 + (replacement.charAt(++i) - '0');
                    }
                } else {
                    throw RpcException.invalid(field, "$ must be followed by a group number or {name} at index " + (i - 1)
                            + " (write \\$ for a dollar sign)");
                }
            }
        }
        return replacement;
    }

    static Destination destination(Routes.DestinationType type, String text) {
        String d = text == null ? "" : text.strip();
        if (type == null) {
            throw RpcException.invalid("destinationType", "must not be null");
        }
        return switch (type) {
            case LOCAL -> {
                if (!d.isEmpty()) {
                    throw RpcException.invalid("destination", "must be empty for LOCAL (the B-number picks the account)");
                }
                yield new Destination.LocalAccount();
            }
            case GATEWAY -> gateway(d);
            default -> {
                if (d.isEmpty() && (type == Routes.DestinationType.QUEUE || type == Routes.DestinationType.IVR
                        || type == Routes.DestinationType.DIALER)) {
                    throw RpcException.invalid("destination", "must name the " + type.name().toLowerCase(Locale.ROOT));
                }
                yield new Destination.MediaService(CompiledRoute.MEDIA.get(type), d);
            }
        };
    }

    /** {@code host[:port][;transport=udp|tcp|tls]}; an IPv6 address goes in brackets (RFC 3261 §19.1.1, §25.1). */
    static Destination.Gateway gateway(String d) {
        if (d.isEmpty()) {
            throw RpcException.invalid("destination", "a gateway needs host[:port][;transport=udp|tcp|tls]");
        }
        String hostPort = d;
        String transport = null;
        int semi = d.indexOf(';');
        if (semi >= 0) {
            hostPort = d.substring(0, semi);
            for (String param : d.substring(semi + 1).split(";", -1)) {
                String[] kv = param.split("=", 2);
                if (kv.length != 2 || !kv[0].equalsIgnoreCase("transport")) {
                    throw RpcException.invalid("destination", "unknown parameter '" + param + "' (only transport=udp|tcp|tls)");
                }
                transport = kv[1].toLowerCase(Locale.ROOT);
                if (!List.of("udp", "tcp", "tls").contains(transport)) {
                    throw RpcException.invalid("destination", "transport must be udp, tcp or tls, not '" + kv[1] + "'");
                }
            }
        }
        String host;
        String port = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0 || !IPV6.matcher(hostPort.substring(1, close)).matches() || hostPort.substring(1, close).indexOf(':') < 0) {
                throw RpcException.invalid("destination", "'" + hostPort + "' is not a bracketed IPv6 address");
            }
            host = hostPort.substring(0, close + 1);
            String rest = hostPort.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw RpcException.invalid("destination", "expected :port after " + host);
                }
                port = rest.substring(1);
            }
        } else {
            int colon = hostPort.indexOf(':');
            if (colon >= 0 && hostPort.indexOf(':', colon + 1) >= 0) {
                throw RpcException.invalid("destination", "an IPv6 address goes in brackets: [" + hostPort + "]");
            }
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            port = colon < 0 ? null : hostPort.substring(colon + 1);
            checkHost(host);
        }
        int portNumber = 0;
        if (port != null) {
            if (!NUMERIC.matcher(port).matches() || port.length() > 5 || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw RpcException.invalid("destination", "port must be 1-65535, not '" + port + "'");
            }
            portNumber = Integer.parseInt(port);
        }
        return new Destination.Gateway(host, portNumber, transport);
    }

    private static void checkHost(String host) {
        String[] labels = host.endsWith(".") ? host.substring(0, host.length() - 1).split("\\.", -1) : host.split("\\.", -1);
        boolean ok = !host.isEmpty() && host.length() <= 253;
        boolean numeric = labels.length == 4;
        for (String label : labels) {
            ok &= LABEL.matcher(label).matches();
            numeric &= NUMERIC.matcher(label).matches();
        }
        if (ok && numeric) {
            for (String label : labels) {
                ok &= label.length() <= 3 && Integer.parseInt(label) <= 255;
            }
        }
        if (!ok) {
            throw RpcException.invalid("destination", "'" + host + "' is not a host name or IP address");
        }
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id == null || id.isEmpty() ? "UTC" : id);
        } catch (DateTimeException e) {
            throw RpcException.invalid("timeZone", "unknown time zone '" + id + "' (use an IANA id such as Europe/Moscow)");
        }
    }

    private static int time(String field, String hhmm) {
        if (hhmm == null || hhmm.isEmpty()) {
            return -1;
        }
        try {
            return LocalTime.parse(hhmm).toSecondOfDay();
        } catch (DateTimeException e) {
            throw RpcException.invalid(field, "must be HH:mm");
        }
    }

    /** {@code 1,2,3,4,5}: days as stored and shown. */
    static String days(List<Integer> days) {
        return days == null ? "" : days.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
