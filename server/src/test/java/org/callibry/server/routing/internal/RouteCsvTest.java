package org.callibry.server.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.callibry.server.api.RpcException;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.dto.Routes;
import org.junit.jupiter.api.Test;

/**
 * The CSV form of the route table: written with a header, read back to the same routes; columns in any
 * order with defaults for missing ones; unknown columns and bad cells are refused naming the line and
 * the field. The RFC 4180 text itself (quoting, line ends, line numbers, malformed text) is tested
 * with the codec, {@code org.callibry.shared.csv.CsvTest}.
 */
class RouteCsvTest {

    @Test
    void exportedRoutesReadBackTheSame() {
        Routes.Route r = new RouteBuilder(7, "Long distance, \"Moscow\"").b("^8(\\d{10})$").bRewrite("+7$1")
                .gateway("gw.example.net:5080;transport=tcp").continueOnFailure().callerId("+74950000000").maxDuration(600)
                .days(1, 2, 3, 4, 5).hours("22:00", "06:00").zone("Europe/Moscow").aRewrite("^(\\d{4})$", "+7495000$1").build();
        Routes.Route plain = new RouteBuilder(8, "Local").b("^1\\d{3}$").build();
        String csv = RouteCsv.write(List.of(r, plain));
        assertThat(csv).startsWith(String.join(",", RouteCsv.HEADER) + "\r\n");
        List<RouteCsv.Row> rows = RouteCsv.read(csv);
        assertThat(rows).extracting(RouteCsv.Row::line).containsExactly(2, 3);
        assertThat(RouteEndpoint.draft(rows.get(0).route(), 0)).isEqualTo(withoutIdentity(r));
        assertThat(RouteEndpoint.draft(rows.get(1).route(), 0)).isEqualTo(withoutIdentity(plain));
    }

    @Test
    void columnsMayComeInAnyOrderAndMissingOnesTakeDefaults() {
        List<RouteCsv.Row> rows = RouteCsv.read("destinationType,bNumberMask,NAME\nECHO,^600$,Echo\n");
        Routes.Route r = RouteEndpoint.draft(rows.getFirst().route(), 10);
        assertThat(r.name()).isEqualTo("Echo");
        assertThat(r.bNumberMask()).isEqualTo("^600$");
        assertThat(r.destinationType()).isEqualTo(Routes.DestinationType.ECHO);
        assertThat(r.enabled()).isTrue();
        assertThat(r.relayMedia()).isTrue();
        assertThat(r.timeZone()).isEqualTo("UTC");
    }

    @Test
    void badHeadersAndCellsNameTheLineAndField() {
        assertRefused("name,colour\nx,red", 1, "colour", "unknown column 'colour'");
        assertRefused("name,bNumberMask\nx,1", 1, "destinationType", "the header has no destinationType column");
        assertRefused("name,destinationType\nok,LOCAL\nbad,TELEPORT", 3, "destinationType", "must be one of");
        assertRefused("name,destinationType,priority\nbad,LOCAL,ten", 2, "priority", "must be a whole number");
        assertRefused("name,destinationType,enabled\nbad,LOCAL,maybe", 2, "enabled", "must be true or false");
        assertRefused("name,destinationType\nbad,LOCAL,extra", 2, "csv", "3 fields where the header has 2");
        assertRefused("", 1, "csv", "no header row");
    }

    private static void assertRefused(String csv, int line, String field, String reason) {
        assertThatThrownBy(() -> RouteCsv.read(csv)).isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
            assertThat(e.data()).containsEntry("line", line).containsEntry("field", field);
            assertThat(e.getMessage()).startsWith("Invalid params: line " + line + ": " + field + ": ").contains(reason);
        });
    }

    private static Routes.Route withoutIdentity(Routes.Route r) {
        return new Routes.Route(0, r.name(), r.group(), 0, r.enabled(), r.aNumberMask(), r.aHostMask(), r.bNumberMask(),
                r.bHostMask(), r.bRewrite(), r.aRewriteMask(), r.aRewrite(), r.destinationType(), r.destination(),
                r.recordCall(), r.relayMedia(), r.maxDurationSeconds(), r.continueOnFailure(), r.callerId(), r.days(),
                r.timeFrom(), r.timeTo(), r.timeZone(), null, null);
    }
}
