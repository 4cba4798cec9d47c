package org.callibry.softphone.crm;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded browser's address for a call: a template such as
 * {@code https://crm.example/card?phone={caller}&id={callId}} whose variables are replaced by the call's
 * values, URL-encoded (RFC 3986 query form). Unknown variables are refused when the template is set,
 * so a typo shows at once instead of producing a wrong page. {@code {apiUrl}} (the server's HTTP API, no
 * trailing slash) is put in as it is, so the default template {@link #CONSOLE} opens the server's
 * operator console.
 */
public final class UrlTemplate {
    public static final Set<String> VARIABLES = Set.of("caller", "callerName", "called", "callId", "direction", "queue",
            "agent", "account", "wait", "language", "apiUrl");
    /** Put in as they are, not encoded: an address (the server's API without its trailing slash) that starts the template. */
    static final Set<String> RAW = Set.of("apiUrl");
    /** The default: the server's operator console with the call's shared id, number, queue and wait, in the phone's language. */
    public static final String CONSOLE = "{apiUrl}/console/?callId={callId}&caller={caller}&queue={queue}&wait={wait}&lang={language}";
    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z]+)}");

    private final String template;

    public UrlTemplate(String template) {
        Matcher m = VARIABLE.matcher(template);
        while (m.find()) {
            if (!VARIABLES.contains(m.group(1))) {
                throw new IllegalArgumentException("unknown variable {" + m.group(1) + "}; known: " + String.join(", ",
                        VARIABLES.stream().sorted().map(v -> "{" + v + "}").toList()));
            }
        }
        this.template = template;
    }

    /** The address with every variable replaced; a variable without a value becomes empty. */
    public String expand(Map<String, String> values) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.getOrDefault(m.group(1), "");
            v = v == null ? "" : v;
            m.appendReplacement(out, Matcher.quoteReplacement(RAW.contains(m.group(1)) ? v
                    : URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20")));
        }
        m.appendTail(out);
        return out.toString();
    }
}
