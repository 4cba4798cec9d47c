package org.callibry.admin.i18n;

import java.util.Locale;
import org.callibry.shared.i18n.Messages;

/** This application's text bundle ({@code messages.properties} and its translations beside this class). */
public final class AdminText {
    public static final String BUNDLE = "org.callibry.admin.i18n.messages";

    private AdminText() {
    }

    public static Messages in(Locale locale) {
        return new Messages(BUNDLE, locale, AdminText.class.getClassLoader());
    }
}
