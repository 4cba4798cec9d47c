package org.callibry.softphone.sip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The Replaces header value (RFC 3891 §6.1). Scenarios: the RFC's example parsed; parameters in any
 * order, any case, with extras such as early-only; a value without tags; the value a transferor writes
 * reads back the same.
 */
class ReplacesTest {
    @Test
    void parsesTheRfcExample() {
        Replaces r = Replaces.parse("425928@bobster.example.org;to-tag=7743;from-tag=6472");

        assertThat(r).isEqualTo(new Replaces("425928@bobster.example.org", "7743", "6472"));
    }

    @Test
    void takesTagsInAnyOrderAndCaseIgnoringOtherParameters() {
        Replaces r = Replaces.parse(" 98asjd8@test.com ; FROM-TAG=abc ;early-only; To-Tag=xyz");

        assertThat(r).isEqualTo(new Replaces("98asjd8@test.com", "xyz", "abc"));
    }

    @Test
    void aValueWithoutTagsHasNone() {
        assertThat(Replaces.parse("only-a-call-id")).isEqualTo(new Replaces("only-a-call-id", null, null));
    }

    @Test
    void writtenValueReadsBack() {
        Replaces r = new Replaces("a84b4c76e66710@pc33.example.com", "8348", "1928301774");

        assertThat(r.toString()).isEqualTo("a84b4c76e66710@pc33.example.com;to-tag=8348;from-tag=1928301774");
        assertThat(Replaces.parse(r.toString())).isEqualTo(r);
    }
}
