package org.callibry.server.portal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class KpiPageTest {
    @Test
    void chartJsonCannotEndItsScriptElementAndReadsBackUnchanged() {
        String name = "</script><meta http-equiv=\"refresh\" content=\"0;url=https://evil/\"> & co";
        JsonMapper json = JsonMapper.builder().build();
        String raw = KpiPage.inScript(json.writeValueAsString(java.util.Map.of("labels", java.util.List.of(name))));

        assertThat(raw).doesNotContain("<").doesNotContain(">").doesNotContain("&");
        assertThat(json.readTree(raw).get("labels").get(0).asString()).isEqualTo(name);
    }
}
