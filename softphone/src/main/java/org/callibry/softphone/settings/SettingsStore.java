package org.callibry.softphone.settings;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import org.callibry.softphone.app.SoftphoneOptions;

/**
 * Settings in {@code softphone.properties} of the user's config directory ({@code $XDG_CONFIG_HOME} or
 * {@code ~/.config}, then {@code callibry-softphone}). Written to a temporary file and moved into
 * place, so a crash never leaves half a file; an unreadable file gives the defaults, never a crash.
 */
public final class SettingsStore {
    private final Path dir;

    public SettingsStore(Path dir) {
        this.dir = dir;
    }

    public static Path defaultDirectory() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("callibry-softphone");
    }

    public Path directory() {
        return dir;
    }

    private Path file() {
        return dir.resolve("softphone.properties");
    }

    public Settings load() {
        Settings d = Settings.defaults();
        Properties p = new Properties();
        if (Files.exists(file())) {
            try (Reader r = Files.newBufferedReader(file(), StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                return d;
            }
        }
        return new Settings(p.getProperty("server", d.server()), p.getProperty("transport", d.transport()),
                p.getProperty("user", d.user()), p.getProperty("password", d.password()),
                p.getProperty("displayName", d.displayName()), Boolean.parseBoolean(p.getProperty("autoAnswer", "false")),
                p.getProperty("language", d.language()), p.getProperty("theme", d.theme()),
                p.getProperty("microphone", d.microphone()), p.getProperty("speaker", d.speaker()),
                p.getProperty("ringDevice", d.ringDevice()), p.getProperty("crmUrlTemplate", d.crmUrlTemplate()),
                p.getProperty("crmLoadOn", d.crmLoadOn()), p.getProperty("stunServer", d.stunServer()),
                Boolean.parseBoolean(p.getProperty("dtmfInfo", "false")), p.getProperty("apiUrl", d.apiUrl()),
                p.getProperty("apiUser", d.apiUser()), p.getProperty("apiPassword", d.apiPassword()),
                p.getProperty("tlsFingerprint", d.tlsFingerprint()), moreAccounts(p));
    }

    /** {@code account.1.server}, {@code account.1.user}, ... up to the first number missing. */
    private static java.util.List<Settings.Account> moreAccounts(Properties p) {
        java.util.List<Settings.Account> all = new java.util.ArrayList<>();
        for (int i = 1; p.getProperty("account." + i + ".user") != null; i++) {
            String k = "account." + i + ".";
            all.add(new Settings.Account(p.getProperty(k + "server", ""), p.getProperty(k + "transport", "udp"),
                    p.getProperty(k + "user"), p.getProperty(k + "password", ""), p.getProperty(k + "displayName", "")));
        }
        return all;
    }

    public void save(Settings s) throws IOException {
        Files.createDirectories(dir);
        Properties p = new Properties();
        p.setProperty("server", s.server());
        p.setProperty("transport", s.transport());
        p.setProperty("user", s.user());
        p.setProperty("password", s.password());
        p.setProperty("displayName", s.displayName());
        p.setProperty("autoAnswer", Boolean.toString(s.autoAnswer()));
        p.setProperty("language", s.language());
        p.setProperty("theme", s.theme());
        p.setProperty("microphone", s.microphone());
        p.setProperty("speaker", s.speaker());
        p.setProperty("ringDevice", s.ringDevice());
        p.setProperty("crmUrlTemplate", s.crmUrlTemplate());
        p.setProperty("crmLoadOn", s.crmLoadOn());
        p.setProperty("stunServer", s.stunServer());
        p.setProperty("dtmfInfo", Boolean.toString(s.dtmfInfo()));
        p.setProperty("apiUrl", s.apiUrl());
        p.setProperty("apiUser", s.apiUser());
        p.setProperty("apiPassword", s.apiPassword());
        p.setProperty("tlsFingerprint", s.tlsFingerprint());
        for (int i = 0; i < s.moreAccounts().size(); i++) {
            Settings.Account a = s.moreAccounts().get(i);
            String k = "account." + (i + 1) + ".";
            p.setProperty(k + "server", a.server());
            p.setProperty(k + "transport", a.transport());
            p.setProperty(k + "user", a.user());
            p.setProperty(k + "password", a.password());
            p.setProperty(k + "displayName", a.displayName());
        }
        Path tmp = Files.createTempFile(dir, "softphone", ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "Callibry softphone settings");
        }
        try {
            Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The saved settings with this run's command-line options on top (not saved). */
    public static Settings effective(Settings saved, SoftphoneOptions o) {
        Settings s = saved;
        s = o.server().map(s::withServer).orElse(s);
        s = o.user().map(s::withUser).orElse(s);
        s = o.password().map(s::withPassword).orElse(s);
        s = o.autoAnswer() ? s.withAutoAnswer(true) : s;
        s = o.language().map(s::withLanguage).orElse(s);
        s = o.api().map(s::withApiUrl).orElse(s);
        return o.theme().map(s::withTheme).orElse(s);
    }
}
