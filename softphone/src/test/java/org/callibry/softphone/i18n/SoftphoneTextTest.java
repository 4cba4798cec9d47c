package org.callibry.softphone.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.callibry.shared.i18n.Messages;
import org.junit.jupiter.api.Test;

class SoftphoneTextTest {

    @Test
    void everyLanguageHasEveryKey() {
        assertThat(Messages.problems(SoftphoneText.BUNDLE, SoftphoneText.class.getClassLoader())).isEmpty();
    }

    @Test
    void textFollowsTheChosenLanguage() {
        assertThat(SoftphoneText.in(Locale.forLanguageTag("ru")).get("app.title")).isNotEqualTo(SoftphoneText.in(Locale.ENGLISH).get("app.title"));
    }
}
