package org.callibry.admin.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.callibry.shared.i18n.BundleAudit;
import org.junit.jupiter.api.Test;

class MessagesTest {

    @Test
    void everyLanguageHasEveryKey() {
        assertThat(BundleAudit.problems(Messages.BUNDLE, Messages.class.getClassLoader(),
                Messages.LANGUAGES.stream().filter(l -> !l.equals(Locale.ENGLISH)).toArray(Locale[]::new))).isEmpty();
    }

    @Test
    void textFollowsTheChosenLanguage() {
        assertThat(new Messages(Locale.forLanguageTag("ru")).get("language.ru")).isEqualTo("Русский");
        assertThat(new Messages(Locale.ENGLISH).get("language.ru")).isEqualTo("Russian");
    }
}
