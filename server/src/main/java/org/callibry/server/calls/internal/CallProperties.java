package org.callibry.server.calls.internal;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The proxy's settings, under {@code callibry.sip.*} with the rest of SIP.
 *
 * @param failoverCodes   final responses after which the next route target is tried: codes or classes ({@code 5xx})
 * @param noAnswerTimeout a ringing call not answered by then is cancelled (the role of timer C, RFC 3261 §16.8)
 * @param silentBranchTimeout an INVITE branch with no answer at all, not even 100 Trying, is given up after this and
 *                        the next target tried, as after a 408 (Kamailio's {@code fr_timer}); RFC 3261's timer B
 *                        would wait 32 s, retransmitting to a callee that is gone or drowning. 0 leaves it to timer B
 */
@ConfigurationProperties("callibry.sip")
record CallProperties(
        @DefaultValue({"408", "5xx"}) List<String> failoverCodes,
        @DefaultValue("60s") Duration noAnswerTimeout,
        @DefaultValue("8s") Duration silentBranchTimeout) {

    /** The retransmission of an unanswered INVITE (at 0.5, 1.5, 3.5, 7.5 ... s) at which it is given up; 0 = never. */
    int silentBranchRetransmissions() {
        long millis = silentBranchTimeout == null ? 0 : silentBranchTimeout.toMillis();
        int count = 0;
        for (long at = 500; at <= millis && count < 5; at = at * 2 + 500) {
            count++; // the last retransmission due within the timeout; timer B (32 s) ends the sixth
        }
        return count;
    }

    boolean failsOver(int code) {
        for (String c : failoverCodes) {
            String s = c.trim().toLowerCase(Locale.ROOT);
            if (s.endsWith("xx") ? code / 100 == s.charAt(0) - '0' : s.equals(Integer.toString(code))) {
                return true;
            }
        }
        return false;
    }
}
