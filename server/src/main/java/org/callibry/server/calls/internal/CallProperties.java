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
 */
@ConfigurationProperties("callibry.sip")
record CallProperties(
        @DefaultValue({"408", "5xx"}) List<String> failoverCodes,
        @DefaultValue("60s") Duration noAnswerTimeout) {

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
