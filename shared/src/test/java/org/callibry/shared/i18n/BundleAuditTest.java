package org.callibry.shared.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class BundleAuditTest {
    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void aCompleteTranslationHasNoProblems() {
        assertThat(BundleAudit.problems("org.callibry.shared.i18n.complete", loader, Locale.forLanguageTag("ru"))).isEmpty();
    }

    @Test
    void reportsMissingAndExtraKeys() {
        assertThat(BundleAudit.problems("org.callibry.shared.i18n.partial", loader, Locale.forLanguageTag("ru")))
                .containsExactly("ru: missing key farewell", "ru: key extra is not in the base bundle");
    }

    @Test
    void reportsALanguageWithoutAFile() {
        assertThat(BundleAudit.problems("org.callibry.shared.i18n.complete", loader, Locale.GERMAN))
                .containsExactly("de: no bundle file");
    }
}
