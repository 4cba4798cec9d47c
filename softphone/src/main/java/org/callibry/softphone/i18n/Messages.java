package org.callibry.softphone.i18n;

import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The one way this application gets user-facing text: a key looked up in the bundle of the chosen
 * language. English is the base; {@link #LANGUAGES} lists the complete translations.
 */
public final class Messages {
    public static final String BUNDLE = "org.callibry.softphone.i18n.messages";
    public static final List<Locale> LANGUAGES = List.of(Locale.ENGLISH, Locale.forLanguageTag("ru"));

    private final ResourceBundle bundle;

    public Messages(Locale locale) {
        this.bundle = ResourceBundle.getBundle(BUNDLE, locale, Messages.class.getClassLoader(),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public String get(String key) {
        return bundle.getString(key);
    }
}
