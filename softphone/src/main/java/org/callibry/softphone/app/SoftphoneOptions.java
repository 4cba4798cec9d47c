package org.callibry.softphone.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.callibry.softphone.settings.ServerAddress;

/**
 * Command-line options for provisioning and kiosk use. Each one overrides the saved setting for this
 * run only: {@code --server HOST[:PORT]}, {@code --user}, {@code --password}, {@code --auto-answer},
 * {@code --config-dir DIR}, {@code --lang en|ru}, {@code --theme light|dark}, {@code --api URL}.
 */
public record SoftphoneOptions(Optional<String> server, Optional<String> user, Optional<String> password,
                               boolean autoAnswer, Optional<Path> configDir, Optional<String> language,
                               Optional<String> theme, Optional<String> api) {

    /** A bad command line: the message says which option and why. */
    public static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }

    public static final String USAGE = """
            Usage: softphone [options]
              --server HOST[:PORT]   SIP server (port 5060 when omitted)
              --user USER            SIP account (user part)
              --password PASSWORD    its password
              --auto-answer          answer incoming calls at once (headset operators)
              --config-dir DIR       settings, contacts and history live here
              --lang en|ru           language of this run
              --theme light|dark     colour theme of this run
              --api URL              the server's HTTP API (http://SIP host:8080/ when omitted)
            """;

    public static SoftphoneOptions parse(String... args) {
        String server = null;
        String user = null;
        String password = null;
        boolean autoAnswer = false;
        Path configDir = null;
        String lang = null;
        String theme = null;
        String api = null;
        List<String> rest = new ArrayList<>(List.of(args));
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--auto-answer" -> autoAnswer = true;
                case "--server", "--user", "--password", "--config-dir", "--lang", "--theme", "--api" -> {
                    if (value == null) {
                        if (i + 1 >= rest.size() || rest.get(i + 1).startsWith("--")) {
                            throw new UsageException(a + " needs a value");
                        }
                        value = rest.get(++i);
                    }
                    switch (a) {
                        case "--server" -> server = checkServer(value);
                        case "--user" -> user = value;
                        case "--password" -> password = value;
                        case "--config-dir" -> configDir = Path.of(value);
                        case "--lang" -> lang = oneOf(a, value, "en", "ru");
                        case "--api" -> api = checkUrl(value);
                        default -> theme = oneOf(a, value, "light", "dark");
                    }
                }
                default -> throw new UsageException("unknown option " + a);
            }
        }
        return new SoftphoneOptions(Optional.ofNullable(server), Optional.ofNullable(user), Optional.ofNullable(password),
                autoAnswer, Optional.ofNullable(configDir), Optional.ofNullable(lang), Optional.ofNullable(theme),
                Optional.ofNullable(api));
    }

    private static String checkUrl(String value) {
        try {
            java.net.URI u = new java.net.URI(value);
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                return value;
            }
        } catch (java.net.URISyntaxException e) {
            // refused below
        }
        throw new UsageException("--api needs an http:// or https:// URL, not '" + value + "'");
    }

    private static String oneOf(String option, String value, String... allowed) {
        for (String a : allowed) {
            if (a.equals(value)) {
                return value;
            }
        }
        throw new UsageException(option + " must be one of " + String.join(", ", allowed) + ", not '" + value + "'");
    }

    private static String checkServer(String value) {
        try {
            ServerAddress.parse(value);
            return value;
        } catch (IllegalArgumentException e) {
            throw new UsageException("--server " + e.getMessage());
        }
    }
}
