package org.callibry.server.crm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scenarios: dotted paths and JSON pointers find the same value; array elements by index; numbers and
 * booleans read as text; missing, null, empty and container values are absent; '~' and '/' inside a
 * dotted step are escaped (RFC 6901 §3); empty steps are refused; the URL template encodes the number.
 */
class FieldPathTest {
    private static final JsonNode ANSWER = JsonMapper.builder().build().readTree("""
            {"data": {"contact": {"name": " Ivan Petrov ", "vip": true, "score": 7, "empty": "", "none": null,
             "a/b": "slash", "tags": ["x"]}}, "items": [{"name": "first"}, {"name": "second"}]}""");

    @Test
    void dottedPathsAndPointersFindTheSameValue() {
        assertThat(FieldPath.text(ANSWER, "data.contact.name")).isEqualTo("Ivan Petrov");
        assertThat(FieldPath.text(ANSWER, "/data/contact/name")).isEqualTo("Ivan Petrov");
        assertThat(FieldPath.text(ANSWER, "items.1.name")).isEqualTo("second");
        assertThat(FieldPath.text(ANSWER, "data.contact.a/b")).isEqualTo("slash");
    }

    @Test
    void scalarsReadAsTextAndNothingElse() {
        assertThat(FieldPath.text(ANSWER, "data.contact.vip")).isEqualTo("true");
        assertThat(FieldPath.text(ANSWER, "data.contact.score")).isEqualTo("7");
        assertThat(FieldPath.text(ANSWER, "data.contact.empty")).isNull();
        assertThat(FieldPath.text(ANSWER, "data.contact.none")).isNull();
        assertThat(FieldPath.text(ANSWER, "data.contact.tags")).isNull();
        assertThat(FieldPath.text(ANSWER, "data.contact.missing")).isNull();
        assertThat(FieldPath.text(ANSWER, null)).isNull();
    }

    @Test
    void refusesEmptySteps() {
        assertThatThrownBy(() -> FieldPath.pointer("data..name")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldPath.pointer(".name")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldPath.pointer(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theUrlTemplateEncodesTheNumberAndNamesTheTenant() {
        LookupConfig c = new LookupConfig(42, "https://crm.example.com/t/{tenantId}/find?phone={number}", null, null, "name",
                null, null, 1000, 60, true, Instant.EPOCH);
        assertThat(c.url("+7 495&x").toString()).isEqualTo("https://crm.example.com/t/42/find?phone=%2B7+495%26x");
    }
}
