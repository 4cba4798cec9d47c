package org.callibry.server.relay.rtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Just enough of an SDP body (RFC 4566) for a relay: the connection address and port of each media
 * line, its formats, direction and RTCP port, and a rewrite that points every active stream at the
 * relay while keeping all other lines as they were. Lines are kept verbatim; CRLF is written.
 */
public final class Sdp {
    /** RFC 3264 §5.1 direction attributes. */
    public enum Direction {
        SENDRECV, SENDONLY, RECVONLY, INACTIVE;

        public static Direction of(String attribute) {
            return switch (attribute) {
                case "sendonly" -> SENDONLY;
                case "recvonly" -> RECVONLY;
                case "inactive" -> INACTIVE;
                case "sendrecv" -> SENDRECV;
                default -> null;
            };
        }

        public String attribute() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One m= section. */
    public static final class Media {
        public final List<String> lines = new ArrayList<>();
        public String type;
        public int port;
        public String proto;
        public List<String> formats = List.of();
        public String connection; // media-level c= address, or null
        public Direction direction; // media-level, or null
        public int rtcpPort; // a=rtcp (RFC 3605), or 0

        /** Address the stream's media comes from / goes to: media-level c=, else session-level. */
        public String address(Sdp sdp) {
            return connection != null ? connection : sdp.connection;
        }

        public Direction direction(Sdp sdp) {
            return direction != null ? direction : sdp.direction != null ? sdp.direction : Direction.SENDRECV;
        }

        /** RTP payload type of the first format, or -1. */
        public int firstPayloadType() {
            for (String f : formats) {
                try {
                    return Integer.parseInt(f);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
            return -1;
        }

        /** The payload type whose a=rtpmap names {@code encoding} (e.g. telephone-event), or -1. */
        public int payloadTypeOf(String encoding) {
            String prefix = encoding.toLowerCase(Locale.ROOT) + "/";
            for (String l : lines) {
                if (l.startsWith("a=rtpmap:")) {
                    int sp = l.indexOf(' ');
                    if (sp > 0 && l.substring(sp + 1).toLowerCase(Locale.ROOT).startsWith(prefix)) {
                        try {
                            return Integer.parseInt(l.substring(9, sp));
                        } catch (NumberFormatException e) {
                            return -1;
                        }
                    }
                }
            }
            return -1;
        }

        public boolean active() {
            return port != 0;
        }
    }

    public final List<String> session = new ArrayList<>();
    public final List<Media> media = new ArrayList<>();
    public String connection; // session-level c= address
    public Direction direction; // session-level

    /** Parses an SDP body; throws {@link IllegalArgumentException} naming the offending line. */
    public static Sdp parse(String body) {
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException("empty SDP");
        }
        Sdp sdp = new Sdp();
        Media current = null;
        for (String raw : body.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new IllegalArgumentException("SDP line is not <type>=<value>: " + abbreviate(line));
            }
            if (line.startsWith("m=")) {
                current = new Media();
                String[] f = line.substring(2).split(" +");
                if (f.length < 3) {
                    throw new IllegalArgumentException("bad SDP media line: " + abbreviate(line));
                }
                current.type = f[0];
                String port = f[1];
                int slash = port.indexOf('/');
                try {
                    current.port = Integer.parseInt(slash < 0 ? port : port.substring(0, slash));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad port in SDP media line: " + abbreviate(line));
                }
                if (current.port < 0 || current.port > 65535) {
                    throw new IllegalArgumentException("bad port in SDP media line: " + abbreviate(line));
                }
                current.proto = f[2];
                current.formats = List.of(f).subList(3, f.length);
                current.lines.add(line);
                sdp.media.add(current);
                continue;
            }
            if (line.startsWith("c=")) {
                String[] f = line.substring(2).split(" +");
                if (f.length < 3 || !f[0].equals("IN")) {
                    throw new IllegalArgumentException("bad SDP connection line: " + abbreviate(line));
                }
                String addr = f[2];
                int slash = addr.indexOf('/');
                addr = slash < 0 ? addr : addr.substring(0, slash); // multicast TTL
                if (current == null) {
                    sdp.connection = addr;
                } else {
                    current.connection = addr;
                }
            } else if (line.startsWith("a=")) {
                Direction d = Direction.of(line.substring(2));
                if (d != null) {
                    if (current == null) {
                        sdp.direction = d;
                    } else {
                        current.direction = d;
                    }
                } else if (line.startsWith("a=rtcp:") && current != null) {
                    String v = line.substring(7).split(" ")[0];
                    try {
                        current.rtcpPort = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("bad a=rtcp line: " + abbreviate(line));
                    }
                }
            }
            (current == null ? sdp.session : current.lines).add(line);
        }
        if (sdp.media.isEmpty()) {
            throw new IllegalArgumentException("SDP has no m= line");
        }
        for (Media m : sdp.media) {
            if (m.active() && m.address(sdp) == null) {
                throw new IllegalArgumentException("SDP media '" + m.type + "' has no c= line");
            }
        }
        return sdp;
    }

    /** True when this SDP puts its sender on hold: sendonly/inactive, or the RFC 2543 c=0.0.0.0. */
    public boolean holds(Media m) {
        Direction d = m.direction(this);
        return d == Direction.SENDONLY || d == Direction.INACTIVE || "0.0.0.0".equals(m.address(this));
    }

    /**
     * Writes the SDP with every active stream pointing at {@code address}: ports from {@code ports}
     * (RTP; RTCP is the next port), ICE attributes removed (the relay is the only candidate), and the
     * direction of stream i replaced by {@code directions[i]} when that is not null.
     *
     * @param replaceOrigin also put the relay address into the o= line
     */
    public String rewrite(String address, int[] ports, Direction[] directions, boolean replaceOrigin) {
        String ipVersion = address.indexOf(':') >= 0 ? "IP6" : "IP4";
        StringBuilder out = new StringBuilder(512);
        boolean sessionConnection = false;
        for (String l : session) {
            if (l.startsWith("c=")) {
                out.append("c=IN ").append(ipVersion).append(' ').append(address).append("\r\n");
                sessionConnection = true;
            } else if (l.startsWith("o=") && replaceOrigin) {
                String[] f = l.split(" +");
                if (f.length >= 6) {
                    f[4] = ipVersion;
                    f[5] = address;
                }
                out.append(String.join(" ", f)).append("\r\n");
            } else if (isIce(l) || (Direction.of(l.length() > 2 ? l.substring(2) : "") != null && hasDirectionOverride(directions))) {
                continue; // session-level direction moves to the media level when we set one
            } else {
                out.append(l).append("\r\n");
            }
        }
        for (int i = 0; i < media.size(); i++) {
            Media m = media.get(i);
            if (!m.active()) {
                m.lines.forEach(l -> out.append(l).append("\r\n"));
                continue;
            }
            int port = ports[i];
            Direction override = directions == null ? null : directions[i];
            boolean directionWritten = false;
            boolean connectionWritten = false;
            for (String l : m.lines) {
                if (l.startsWith("m=")) {
                    String[] f = l.substring(2).split(" +");
                    f[1] = Integer.toString(port);
                    out.append("m=").append(String.join(" ", f)).append("\r\n");
                    if (!sessionConnection) {
                        out.append("c=IN ").append(ipVersion).append(' ').append(address).append("\r\n");
                        connectionWritten = true;
                    }
                } else if (l.startsWith("c=")) {
                    if (!connectionWritten) {
                        out.append("c=IN ").append(ipVersion).append(' ').append(address).append("\r\n");
                        connectionWritten = true;
                    }
                } else if (l.startsWith("a=rtcp:")) {
                    out.append("a=rtcp:").append(port + 1).append("\r\n");
                } else if (isIce(l)) {
                    continue;
                } else if (Direction.of(l.substring(2)) != null && l.startsWith("a=")) {
                    out.append("a=").append(override != null ? override.attribute() : l.substring(2)).append("\r\n");
                    directionWritten = true;
                } else {
                    out.append(l).append("\r\n");
                }
            }
            if (!directionWritten) {
                Direction d = override != null ? override : hasDirectionOverride(directions) ? m.direction(this) : null;
                if (d != null) {
                    out.append("a=").append(d.attribute()).append("\r\n");
                }
            }
        }
        return out.toString();
    }

    private static boolean hasDirectionOverride(Direction[] directions) {
        if (directions != null) {
            for (Direction d : directions) {
                if (d != null) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isIce(String l) {
        return l.startsWith("a=candidate:") || l.startsWith("a=ice-") || l.equals("a=end-of-candidates")
                || l.startsWith("a=remote-candidates");
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    private static final java.util.regex.Pattern LITERAL = java.util.regex.Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** The IP address of a c= line; a host name is refused (no DNS lookups driven by SDP on the call path). */
    public static java.net.InetAddress literal(String address) {
        if (address == null || !LITERAL.matcher(address).matches()) {
            throw new IllegalArgumentException("SDP connection address must be an IP address, not " + address);
        }
        try {
            return java.net.InetAddress.getByName(address);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("bad SDP connection address " + address);
        }
    }
}
