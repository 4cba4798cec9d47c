package org.callibry.shared.i18n;

import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * User-facing text of a desktop application: a key looked up in the bundle of the chosen language,
 * English being the base bundle. The apps keep one bundle each and list their complete languages.
 */
public final class Messages {
    /** The languages every Callibry application is translated into. */
    public static final List<Locale> LANGUAGES = List.of(Locale.ENGLISH, Locale.forLanguageTag("ru"));

    private final ResourceBundle bundle;

    public Messages(String baseName, Locale locale, ClassLoader loader) {
        this.bundle = ResourceBundle.getBundle(baseName, locale, loader,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public String get(String key) {
        return bundle.getString(key);
    }

    /** The text of {@code key} when the bundle has one (for texts chosen by a code from elsewhere). */
    public java.util.Optional<String> find(String key) {
        return bundle.containsKey(key) ? java.util.Optional.of(bundle.getString(key)) : java.util.Optional.empty();
    }

    /** {@link BundleAudit#problems} for every translated language of {@link #LANGUAGES}. */
    public static List<String> problems(String baseName, ClassLoader loader) {
        return BundleAudit.problems(baseName, loader,
                LANGUAGES.stream().filter(l -> !l.equals(Locale.ENGLISH)).toArray(Locale[]::new));
    }
}
