package org.callibry.softphone.i18n;

import java.util.Locale;
import org.callibry.shared.i18n.Messages;

/** This application's text bundle ({@code messages.properties} and its translations beside this class). */
public final class SoftphoneText {
    public static final String BUNDLE = "org.callibry.softphone.i18n.messages";

    private SoftphoneText() {
    }

    public static Messages in(Locale locale) {
        return new Messages(BUNDLE, locale, SoftphoneText.class.getClassLoader());
    }
}
