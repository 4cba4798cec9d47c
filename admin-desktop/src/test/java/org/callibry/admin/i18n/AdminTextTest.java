package org.callibry.admin.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.callibry.shared.i18n.Messages;
import org.junit.jupiter.api.Test;

class AdminTextTest {

    @Test
    void everyLanguageHasEveryKey() {
        assertThat(Messages.problems(AdminText.BUNDLE, AdminText.class.getClassLoader())).isEmpty();
    }

    @Test
    void textFollowsTheChosenLanguage() {
        assertThat(AdminText.in(Locale.forLanguageTag("ru")).get("app.title")).isNotEqualTo(AdminText.in(Locale.ENGLISH).get("app.title"));
    }
}
