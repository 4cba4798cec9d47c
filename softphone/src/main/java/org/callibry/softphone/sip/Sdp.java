package org.callibry.softphone.sip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * SDP offer/answer for one audio stream (RFC 3264): the offer lists PCMU, PCMA and telephone-event;
 * the answer keeps the first codec of the offer this phone supports, plus telephone-event when
 * offered. Parsing takes the first audio {@code m=} line and ignores what it does not use.
 */
public final class Sdp {
    /** PCMU, RFC 3551 static payload type. */
    public static final int PCMU = 0;
    /** PCMA, RFC 3551 static payload type. */
    public static final int PCMA = 8;
    /** The dynamic payload type this phone offers for telephone-event. */
    public static final int TELEPHONE_EVENT = 101;

    private static final Map<Integer, String> SUPPORTED = Map.of(PCMU, "PCMU", PCMA, "PCMA");

    private Sdp() {
    }

    /**
     * An offer from {@code address}:{@code port}: PCMU 0, PCMA 8, telephone-event 101 (0-16). A re-offer
     * in the same session keeps {@code sessionId} and increments {@code sessionVersion} (RFC 3264 §8).
     */
    public static String offer(String address, int port, long sessionId, long sessionVersion, MediaDirection direction) {
        return body(address, port, sessionId, sessionVersion, List.of(PCMU, PCMA), TELEPHONE_EVENT, direction);
    }

    /**
     * The answer to {@code offer} (RFC 3264 §6): the offer's first codec this phone supports, the
     * offer's telephone-event payload type when present, and the direction that fits the offer's.
     * Empty when no codec is common (the caller answers 488).
     */
    public static Optional<String> answer(SessionDescription offer, String address, int port, long sessionId, long sessionVersion,
                                          MediaDirection wanted) {
        Optional<Integer> codec = offer.payloadTypes().stream()
                .filter(pt -> pt != offer.telephoneEvent())
                .filter(pt -> SUPPORTED.containsKey(pt) || SUPPORTED.containsValue(encodingName(offer, pt)))
                .findFirst();
        if (codec.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(body(address, port, sessionId, sessionVersion, List.of(codec.get()), offer.telephoneEvent(),
                offer.direction().answer(wanted)));
    }

    private static String encodingName(SessionDescription d, int pt) {
        String e = d.encodings().get(pt);
        return e == null ? "" : e.toUpperCase(Locale.ROOT);
    }

    private static String body(String address, int port, long id, long version, List<Integer> codecs, int telephoneEvent,
                               MediaDirection direction) {
        String ip = address.contains(":") ? "IP6" : "IP4";
        StringBuilder m = new StringBuilder("m=audio ").append(port).append(" RTP/AVP");
        codecs.forEach(pt -> m.append(' ').append(pt));
        if (telephoneEvent >= 0) {
            m.append(' ').append(telephoneEvent);
        }
        StringBuilder s = new StringBuilder()
                .append("v=0\r\n")
                .append("o=callibry ").append(id)
                .append(' ').append(version).append(" IN ").append(ip).append(' ').append(address).append("\r\n")
                .append("s=Callibry softphone\r\n")
                .append("c=IN ").append(ip).append(' ').append(address).append("\r\n")
                .append("t=0 0\r\n")
                .append(m).append("\r\n");
        for (int pt : codecs) {
            s.append("a=rtpmap:").append(pt).append(' ').append(SUPPORTED.getOrDefault(pt, "PCMU")).append("/8000\r\n");
        }
        if (telephoneEvent >= 0) {
            s.append("a=rtpmap:").append(telephoneEvent).append(" telephone-event/8000\r\n");
            s.append("a=fmtp:").append(telephoneEvent).append(" 0-16\r\n");
        }
        s.append("a=ptime:20\r\n");
        s.append("a=").append(direction.attribute()).append("\r\n");
        return s.toString();
    }

    /** The first audio stream of an SDP body; empty when there is none or the body is malformed. */
    public static Optional<SessionDescription> parse(String body) {
        if (body == null) {
            return Optional.empty();
        }
        String sessionAddress = null;
        String mediaAddress = null;
        int port = -1;
        List<Integer> pts = new ArrayList<>();
        Map<Integer, String> encodings = new LinkedHashMap<>();
        MediaDirection sessionDirection = MediaDirection.SENDRECV;
        MediaDirection mediaDirection = null;
        boolean inAudio = false;
        boolean audioSeen = false;
        try {
            for (String raw : body.split("\r?\n")) {
                String line = raw.strip();
                if (line.length() < 2 || line.charAt(1) != '=') {
                    continue;
                }
                char type = line.charAt(0);
                String value = line.substring(2);
                if (type == 'm') {
                    if (audioSeen) {
                        inAudio = false; // only the first audio stream
                        continue;
                    }
                    String[] f = value.split(" +");
                    inAudio = f[0].equals("audio");
                    if (inAudio) {
                        audioSeen = true;
                        port = Integer.parseInt(f[1]);
                        for (int i = 3; i < f.length; i++) {
                            int pt = Integer.parseInt(f[i]);
                            pts.add(pt);
                            if (pt == PCMU || pt == PCMA) {
                                encodings.put(pt, SUPPORTED.get(pt)); // RFC 3551 §6: static types need no rtpmap
                            }
                        }
                    }
                } else if (type == 'c') {
                    String[] f = value.split(" +");
                    String address = f[2].contains("/") ? f[2].substring(0, f[2].indexOf('/')) : f[2];
                    if (inAudio) {
                        mediaAddress = address;
                    } else if (!audioSeen) {
                        sessionAddress = address;
                    }
                } else if (type == 'a' && (inAudio || !audioSeen)) {
                    MediaDirection d = direction(value);
                    if (d != null) {
                        if (inAudio) {
                            mediaDirection = d;
                        } else {
                            sessionDirection = d;
                        }
                    } else if (inAudio && value.startsWith("rtpmap:")) {
                        String[] f = value.substring(7).split(" +", 2);
                        encodings.put(Integer.parseInt(f[0]), f[1].split("/")[0]);
                    }
                }
            }
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
        String address = mediaAddress != null ? mediaAddress : sessionAddress;
        if (!audioSeen || address == null) {
            return Optional.empty();
        }
        int telephoneEvent = encodings.entrySet().stream()
                .filter(e -> e.getValue().equalsIgnoreCase("telephone-event") && pts.contains(e.getKey()))
                .mapToInt(Map.Entry::getKey).findFirst().orElse(-1);
        MediaDirection direction = mediaDirection != null ? mediaDirection : sessionDirection;
        // RFC 3264 §8.4: c=0.0.0.0 is the old way (RFC 2543) to put a stream on hold
        if (address.equals("0.0.0.0") && direction == MediaDirection.SENDRECV) {
            direction = MediaDirection.SENDONLY;
        }
        return Optional.of(new SessionDescription(address, port, pts, encodings, telephoneEvent, direction));
    }

    private static MediaDirection direction(String attribute) {
        for (MediaDirection d : MediaDirection.values()) {
            if (d.attribute().equals(attribute)) {
                return d;
            }
        }
        return null;
    }
}
