package org.callibry.softphone.crm;

import static org.assertj.core.api.Assertions.assertThat;

import org.callibry.softphone.phone.Phone;
import org.junit.jupiter.api.Test;

class CallEventTest {

    @Test
    void anEventIsAJsonObjectForThePage() {
        Phone.CallInfo c = new Phone.CallInfo("c1", "1002", "Bob", true, Phone.CallState.RINGING, null);
        assertThat(CallEvent.json(c)).isEqualTo(
                "{\"callId\":\"c1\",\"state\":\"RINGING\",\"direction\":\"in\",\"peer\":\"1002\",\"peerName\":\"Bob\",\"reason\":null,\"account\":\"\",\"queue\":\"\",\"ending\":null,\"status\":0,\"serverCallId\":\"c1\"}");
        assertThat(CallEvent.script(c)).startsWith("window.callibryEvent && window.callibryEvent({");
    }

    @Test
    void aHostileCallerNameCannotBreakOutOfTheScript() {
        Phone.CallInfo c = new Phone.CallInfo("c1", "1002", "\");alert(1);//</script>\n", false, Phone.CallState.ACTIVE, "x\"y");
        String json = CallEvent.json(c);
        assertThat(json).contains("\"peerName\":\"\\\");alert(1);//\\u003c/script>\\n\"").contains("\"reason\":\"x\\\"y\"");
        assertThat(json).doesNotContain("</script>");
    }

    @Test
    void anEndedCallSaysWhyAsACode() {
        Phone.CallInfo c = new Phone.CallInfo("c2", "1003", "", false, Phone.CallState.ENDED, "busy (486)", "1001@pbx",
                new Phone.Ending("BUSY", 486, "busy (486)"));
        assertThat(CallEvent.json(c)).endsWith(",\"account\":\"1001@pbx\",\"queue\":\"\",\"ending\":\"BUSY\",\"status\":486,\"serverCallId\":\"c2\"}");
    }

    @Test
    void theServersCallIdIsPassedWhenKnown() {
        Phone.CallInfo c = new Phone.CallInfo("c4", "1002", "", false, Phone.CallState.DIALING, null, "", null, "",
                "a84b@192.0.2.1", "");
        assertThat(CallEvent.json(c)).endsWith(",\"serverCallId\":\"a84b@192.0.2.1\"}");
    }

    @Test
    void aQueueCallNamesItsQueue() {
        Phone.CallInfo c = new Phone.CallInfo("c3", "+74951234567", "", true, Phone.CallState.RINGING, null, "1001@pbx", null,
                "Sales \"A\"");
        assertThat(CallEvent.json(c)).contains(",\"account\":\"1001@pbx\",\"queue\":\"Sales \\\"A\\\"\",\"ending\":null");
    }
}
