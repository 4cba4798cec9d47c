package org.callibry.softphone.crm;

import org.callibry.softphone.phone.Phone;

/**
 * A call event for the CRM page, as the JavaScript object the softphone passes to the page's
 * {@code window.callibryEvent(event)} when it defines one: {@code {"callId", "state", "direction",
 * "peer", "peerName", "reason", "account", "queue", "ending", "status", "serverCallId"}} ({@code queue}: the server's
 * queue that offered the call, empty when none; {@code ending}: why it ended, a code such as BUSY or
 * REMOTE_HANGUP, with the SIP {@code status}; null while the call goes on), {@code serverCallId} (the id the
 * server keeps the call's records and notes by: see {@link org.callibry.softphone.phone.Phone.CallInfo#sharedCallId()}). Text is JSON-escaped
 * (RFC 8259 §7), so a caller name cannot break out of the script.
 */
public final class CallEvent {
    private CallEvent() {
    }

    public static String json(Phone.CallInfo c) {
        return "{\"callId\":" + str(c.id()) + ",\"state\":" + str(c.state().name()) + ",\"direction\":"
                + str(c.incoming() ? "in" : "out") + ",\"peer\":" + str(c.peer()) + ",\"peerName\":" + str(c.peerName())
                + ",\"reason\":" + str(c.reason()) + ",\"account\":" + str(c.account()) + ",\"queue\":" + str(c.queue())
                + ",\"ending\":" + str(c.ending() == null ? null : c.ending().kind())
                + ",\"status\":" + (c.ending() == null ? 0 : c.ending().status())
                + ",\"serverCallId\":" + str(c.sharedCallId()) + "}";
    }

    /** The script the page runs for an event (nothing when the page defines no handler). */
    public static String script(Phone.CallInfo c) {
        return "window.callibryEvent && window.callibryEvent(" + json(c) + ")";
    }

    /** {@code s} as a JSON string literal (null as {@code null}). */
    static String quote(String s) {
        return str(s);
    }

    private static String str(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '<' -> b.append("\\u003c"); // no "</script>" inside a page
                case '\u2028', '\u2029' -> b.append(String.format("\\u%04x", (int) ch));
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
