package org.callibry.server.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code callibry.roles}: both by default, either alone, case and spaces ignored, unknown or no role refused. */
class RolesTest {

    @Test
    void readsTheRoles() {
        Roles both = new Roles(List.of("signaling", "media"));
        assertThat(both.signaling()).isTrue();
        assertThat(both.media()).isTrue();
        Roles mediaNode = new Roles(List.of(" Media "));
        assertThat(mediaNode.signaling()).isFalse();
        assertThat(mediaNode.media()).isTrue();
        assertThat(new Roles(List.of("signaling")).media()).isFalse();
    }

    @Test
    void refusesUnknownOrMissingRoles() {
        assertThatThrownBy(() -> new Roles(List.of("media", "sbc"))).hasMessageContaining("unknown role 'sbc'");
        assertThatThrownBy(() -> new Roles(List.of(" "))).hasMessageContaining("at least one");
    }
}
