package org.callibry.server.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.callibry.server.api.RpcException;
import org.callibry.server.routing.Destination;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.dto.Routes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a route must be to be saved: masks that compile (the error names the field and the position),
 * rewrites that only use their mask's groups, gateways as {@code host[:port][;transport=...]}, known
 * time zones and proper hours.
 */
class RouteCompilerTest {

    private static void refused(RouteBuilder route, String field, String messagePart) {
        assertThatThrownBy(route::compiled).isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
            assertThat(e.data()).containsEntry("field", field);
            assertThat(e.getMessage()).contains(field + ": ").contains(messagePart);
        });
    }

    @Test
    void aBadRegexIsRefusedWithItsPosition() {
        refused(new RouteBuilder(1, "r").b("^8(\\d{10}$"), "bNumberMask", "Unclosed group near index 10");
        refused(new RouteBuilder(1, "r").a("[12"), "aNumberMask", "Unclosed character class near index 2");
        refused(new RouteBuilder(1, "r").aHost("*x"), "aHostMask", "Dangling meta character '*' near index 0");
        refused(new RouteBuilder(1, "r").bHost("a{2"), "bHostMask", "near index");
        refused(new RouteBuilder(1, "r").aRewrite("(", "x"), "aRewriteMask", "Unclosed group");
        assertThatThrownBy(new RouteBuilder(1, "r").b("^8(\\d{10}$")::compiled).isInstanceOfSatisfying(RpcException.class,
                e -> assertThat(e.data()).containsEntry("index", 10));
    }

    @Test
    void aRewriteMayOnlyUseGroupsItsMaskHas() {
        refused(new RouteBuilder(1, "r").b("^8(\\d{10})$").bRewrite("+7$2"), "bRewrite", "refers to group $2 but bNumberMask has 1 group");
        refused(new RouteBuilder(1, "r").bRewrite("+7$1"), "bRewrite", "has 0 groups");
        refused(new RouteBuilder(1, "r").b("^(\\d+)$").bRewrite("${rest}"), "bRewrite", "has no named groups");
        refused(new RouteBuilder(1, "r").b("^(\\d+)$").bRewrite("x$"), "bRewrite", "ends with $");
        refused(new RouteBuilder(1, "r").b("^(\\d+)$").bRewrite("x\\"), "bRewrite", "ends with a backslash");
        refused(new RouteBuilder(1, "r").b("^(\\d+)$").bRewrite("$x"), "bRewrite", "$ must be followed by");
        refused(new RouteBuilder(1, "r").b("^(\\d+)$").bRewrite("${x"), "bRewrite", "without a closing }");
        refused(new RouteBuilder(1, "r").aRewrite("^(\\d+)$", "$2"), "aRewrite", "aRewriteMask has 1 group");
        refused(new RouteBuilder(1, "r").aRewrite("^(\\d+)$", ""), "aRewrite", "is needed with aRewriteMask");
        // $12 with one group is group 1 followed by a literal 2, as Matcher reads it
        assertThat(new RouteBuilder(1, "r").b("^(\\d+)$").bRewrite("$12").compiled().target("a", "5").bNumber()).isEqualTo("52");
        assertThat(new RouteBuilder(1, "r").b("^(?<n>\\d+)$").bRewrite("${n}\\$").compiled().target("a", "5").bNumber()).isEqualTo("5$");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gw.example.net|gw.example.net|0|",
        "10.0.0.1:5080|10.0.0.1|5080|",
        "sip.example.com:5061;transport=TLS|sip.example.com|5061|tls",
        "127.0.0.1;transport=tcp|127.0.0.1|0|tcp",
        "[2001:db8::1]:5060;transport=udp|[2001:db8::1]|5060|udp",
        "[::1]|[::1]|0|",
        "localhost:65535|localhost|65535|"})
    void gatewaysAreParsed(String text, String host, int port, String transport) {
        Destination d = new RouteBuilder(1, "r").gateway(text).compiled().destination();
        assertThat(d).isEqualTo(new Destination.Gateway(host, port, transport));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "gw:0", "gw:65536", "gw:abc", "gw:", "gw;transport=sctp", "gw;maddr=1.2.3.4",
        "2001:db8::1", "[2001:db8::1", "[zz::1]", "999.1.1.1", "bad_host", "-gw.example", "gw..example", "[::1]x"})
    void badGatewaysAreRefused(String text) {
        refused(new RouteBuilder(1, "r").gateway(text), "destination", "");
    }

    @Test
    void destinationsOfTheOtherTypes() {
        assertThat(new RouteBuilder(1, "r").to(Routes.DestinationType.QUEUE, "support").compiled().destination())
                .isEqualTo(new Destination.MediaService(Destination.MediaService.Kind.QUEUE, "support"));
        assertThat(new RouteBuilder(1, "r").to(Routes.DestinationType.ECHO, "").compiled().destination())
                .isEqualTo(new Destination.MediaService(Destination.MediaService.Kind.ECHO, ""));
        assertThat(new RouteBuilder(1, "r").compiled().destination()).isEqualTo(new Destination.LocalAccount());
        refused(new RouteBuilder(1, "r").to(Routes.DestinationType.QUEUE, ""), "destination", "must name the queue");
        refused(new RouteBuilder(1, "r").to(Routes.DestinationType.LOCAL, "x"), "destination", "must be empty for LOCAL");
    }

    @Test
    void timeConditionsAreChecked() {
        refused(new RouteBuilder(1, "r").zone("Mars/Olympus"), "timeZone", "unknown time zone");
        refused(new RouteBuilder(1, "r").hours("09:00", null), "timeTo", "go together");
        refused(new RouteBuilder(1, "r").hours("09:00", "09:00"), "timeTo", "must differ");
        refused(new RouteBuilder(1, "r").hours("9h", "10:00"), "timeFrom", "HH:mm");
        refused(new RouteBuilder(1, "r").days(0), "days", "1 (Monday) to 7 (Sunday)");
        assertThat(new RouteBuilder(1, "r").days(1, 7).hours("22:00", "06:00").zone("Asia/Tokyo").compiled().dayMask())
                .isEqualTo(0b1000_0010);
    }
}
