package org.callibry.server.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callibry.server.routing.internal.RouteBuilder.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.callibry.server.routing.Destination;
import org.callibry.server.routing.RouteQuery;
import org.callibry.server.routing.RouteTarget;
import org.callibry.server.routing.RoutingDecision;
import org.callibry.shared.api.dto.Routes;
import org.junit.jupiter.api.Test;

/**
 * The routing decision over a snapshot. Scenarios: masks match the whole value; the A-host mask
 * matches the From host or the source address; B- and A-number rewrites with numbered and named
 * groups; priority order and ties by id; the continue-on-failure chain; days and hours, across
 * midnight and in other time zones; disabled and broken routes skipped; route.test's reasons; the
 * prefix index gives the same decisions as a plain scan.
 */
class RouteSnapshotTest {
    private static final Instant WEDNESDAY_NOON_UTC = Instant.parse("2026-11-25T12:00:00Z");

    private static RouteQuery call(String a, String b) {
        return new RouteQuery(a, "example.com", "192.0.2.10", b, "demo.callibry.test", WEDNESDAY_NOON_UTC);
    }

    private static RouteQuery at(String b, String instant) {
        return new RouteQuery("1001", "example.com", "192.0.2.10", b, "demo.callibry.test", Instant.parse(instant));
    }

    private static List<Long> routeIds(RoutingDecision d) {
        return d.targets().stream().map(RouteTarget::routeId).toList();
    }

    @Test
    void aMaskMustMatchTheWholeValue() {
        RouteSnapshot s = snapshot(new RouteBuilder(1, "ext").b("1\\d{3}"), new RouteBuilder(2, "exact").b("600"));
        assertThat(routeIds(s.decide(call("1", "1001")))).containsExactly(1L);
        assertThat(s.decide(call("1", "10011")).routable()).isFalse();
        assertThat(s.decide(call("1", "91001")).routable()).isFalse();
        assertThat(routeIds(s.decide(call("1", "600")))).containsExactly(2L);
        assertThat(s.decide(call("1", "6000")).routable()).isFalse();
        assertThat(s.decide(call("1", "60")).routable()).isFalse();
    }

    @Test
    void anEmptyMaskMatchesAnything() {
        RouteSnapshot s = snapshot(new RouteBuilder(1, "all"));
        assertThat(s.decide(call("", "")).routable()).isTrue();
        assertThat(s.decide(new RouteQuery(null, null, null, null, null, null)).routable()).isTrue();
    }

    @Test
    void aHostMaskMatchesTheFromHostOrTheSourceAddress() {
        RouteSnapshot s = snapshot(new RouteBuilder(1, "from carrier").aHost("^(carrier\\.example\\.net|203\\.0\\.113\\.5)$"));
        RouteQuery byHost = new RouteQuery("1", "carrier.example.net", "198.51.100.1", "2", "x", WEDNESDAY_NOON_UTC);
        RouteQuery byAddress = new RouteQuery("1", "spoofed.example.org", "203.0.113.5", "2", "x", WEDNESDAY_NOON_UTC);
        RouteQuery neither = new RouteQuery("1", "spoofed.example.org", "198.51.100.1", "2", "x", WEDNESDAY_NOON_UTC);
        assertThat(s.decide(byHost).routable()).isTrue();
        assertThat(s.decide(byAddress).routable()).isTrue();
        assertThat(s.decide(neither).routable()).isFalse();
        assertThat(s.explain(neither).skipped().getFirst().reason())
                .isEqualTo("aHostMask ^(carrier\\.example\\.net|203\\.0\\.113\\.5)$ matches neither aHost spoofed.example.org"
                        + " nor source address 198.51.100.1");
    }

    @Test
    void bHostAndANumberMasksTakePart() {
        RouteSnapshot s = snapshot(new RouteBuilder(1, "vip").a("^100[12]$").bHost("^demo\\.callibry\\.test$"));
        assertThat(s.decide(call("1001", "5")).routable()).isTrue();
        assertThat(s.decide(call("1003", "5")).routable()).isFalse();
        assertThat(s.decide(new RouteQuery("1001", "h", "s", "5", "other.test", WEDNESDAY_NOON_UTC)).routable()).isFalse();
    }

    @Test
    void rewritesCalledNumberWithCaptureGroup() {
        RouteSnapshot s = snapshot(new RouteBuilder(1, "long distance").b("^8(\\d{10})$").bRewrite("+7$1")
                .gateway("gw.example.net:5080;transport=TCP").maxDuration(3600).callerId("+74951234567"));
        RouteTarget t = s.decide(call("1001", "84951234567")).targets().getFirst();
        assertThat(t.bNumber()).isEqualTo("+74951234567");
        assertThat(t.aNumber()).isEqualTo("1001");
        assertThat(t.destination()).isEqualTo(new Destination.Gateway("gw.example.net", 5080, "tcp"));
        assertThat(t.maxDuration()).isEqualTo(Duration.ofHours(1));
        assertThat(t.callerId()).isEqualTo("+74951234567");
        assertThat(t.routeName()).isEqualTo("long distance");
    }

    @Test
    void rewritesWithNamedGroupsAndTheANumber() {
        RouteSnapshot s = snapshot(new RouteBuilder(1, "intl").b("^00(?<cc>\\d{1,3})-(?<rest>\\d+)$").bRewrite("+${cc}${rest}")
                .aRewrite("^(\\d{4})$", "+7495123$1"));
        RouteTarget t = s.decide(call("1001", "0044-2071234567")).targets().getFirst();
        assertThat(t.bNumber()).isEqualTo("+442071234567");
        assertThat(t.aNumber()).isEqualTo("+74951231001");
        // an A-number the A-rewrite mask does not match stays as it is
        assertThat(s.decide(call("anonymous", "0044-2071234567")).targets().getFirst().aNumber()).isEqualTo("anonymous");
    }

    @Test
    void aRewriteWithoutAMaskReplacesTheWholeNumberAndLiteralsAreKept() {
        RouteSnapshot s = snapshot(new RouteBuilder(1, "fixed").b("^600$").bRewrite("echo\\$").aRewrite("", "+70000000000"));
        RouteTarget t = s.decide(call("1001", "600")).targets().getFirst();
        assertThat(t.aNumber()).isEqualTo("+70000000000");
        assertThat(t.bNumber()).isEqualTo("echo$");
    }

    @Test
    void lowerPriorityIsEvaluatedFirstAndTiesGoById() {
        RouteSnapshot s = snapshot(new RouteBuilder(1, "late").b("^5\\d+$").priority(100),
                new RouteBuilder(3, "tie b").b("^55$").priority(50),
                new RouteBuilder(2, "tie a").b("^5.*$").priority(50));
        assertThat(routeIds(s.decide(call("1", "55")))).containsExactly(2L);
        assertThat(routeIds(s.decide(call("1", "57")))).containsExactly(2L);
        assertThat(routeIds(snapshot(new RouteBuilder(1, "late").b("^5\\d+$").priority(100)).decide(call("1", "57"))))
                .containsExactly(1L);
    }

    @Test
    void continueOnFailureChainsTheNextMatchingRoutes() {
        RouteSnapshot s = snapshot(
                new RouteBuilder(1, "primary").b("^8(\\d{10})$").bRewrite("+7$1").gateway("10.0.0.1").continueOnFailure(),
                new RouteBuilder(2, "other prefix").b("^9\\d+$").gateway("10.0.0.9"),
                new RouteBuilder(3, "secondary").b("^8(\\d{10})$").gateway("10.0.0.2:5080").continueOnFailure(),
                new RouteBuilder(4, "last resort").b("^8\\d+$").gateway("10.0.0.3"),
                new RouteBuilder(5, "never reached").b("^8\\d+$").gateway("10.0.0.4"));
        RoutingDecision d = s.decide(call("1001", "84951234567"));
        assertThat(routeIds(d)).containsExactly(1L, 3L, 4L);
        assertThat(d.targets()).extracting(RouteTarget::bNumber).containsExactly("+74951234567", "84951234567", "84951234567");
        assertThat(d.targets()).extracting(RouteTarget::continueOnFailure).containsExactly(true, true, false);
    }

    @Test
    void aChainEndsWhenNoFurtherRouteMatches() {
        RouteSnapshot s = snapshot(new RouteBuilder(1, "only").b("^7\\d+$").continueOnFailure(),
                new RouteBuilder(2, "other").b("^8\\d+$"));
        assertThat(routeIds(s.decide(call("1", "71")))).containsExactly(1L);
    }

    @Test
    void disabledRoutesAreSkipped() {
        RouteSnapshot s = snapshot(new RouteBuilder(1, "off").b("^600$").disabled(),
                new RouteBuilder(2, "on").b("^600$").to(Routes.DestinationType.ECHO, ""));
        assertThat(routeIds(s.decide(call("1", "600")))).containsExactly(2L);
        Routes.TestResult r = s.explain(call("1", "600"));
        assertThat(r.skipped()).extracting(Routes.Skipped::reason).containsExactly("disabled");
        assertThat(r.targets()).extracting(Routes.Target::destinationType).containsExactly(Routes.DestinationType.ECHO);
    }

    @Test
    void weekdayBusinessHoursInTheRoutesTimeZone() {
        // 09:00-18:00 Moscow time (UTC+3), Monday to Friday
        RouteSnapshot s = snapshot(new RouteBuilder(1, "office").b("^700$").days(1, 2, 3, 4, 5).hours("09:00", "18:00")
                .zone("Europe/Moscow"));
        assertThat(s.decide(at("700", "2026-11-25T06:00:00Z")).routable()).as("Wed 09:00 Moscow").isTrue();
        assertThat(s.decide(at("700", "2026-11-25T05:59:59Z")).routable()).as("Wed 08:59:59 Moscow").isFalse();
        assertThat(s.decide(at("700", "2026-11-25T14:59:59Z")).routable()).as("Wed 17:59:59 Moscow").isTrue();
        assertThat(s.decide(at("700", "2026-11-25T15:00:00Z")).routable()).as("Wed 18:00 Moscow, end excluded").isFalse();
        assertThat(s.decide(at("700", "2026-11-28T08:00:00Z")).routable()).as("Saturday").isFalse();
        // Friday 23:30 UTC is already Saturday 02:30 in Moscow
        assertThat(snapshot(new RouteBuilder(1, "fri").days(5).zone("Europe/Moscow")).decide(at("700", "2026-11-27T23:30:00Z"))
                .routable()).isFalse();
        assertThat(snapshot(new RouteBuilder(1, "fri").days(5)).decide(at("700", "2026-11-27T23:30:00Z")).routable()).isTrue();
    }

    @Test
    void hoursAcrossMidnight() {
        RouteSnapshot s = snapshot(new RouteBuilder(1, "night").hours("22:00", "06:00"));
        assertThat(s.decide(at("1", "2026-11-25T22:00:00Z")).routable()).isTrue();
        assertThat(s.decide(at("1", "2026-11-25T23:59:59Z")).routable()).isTrue();
        assertThat(s.decide(at("1", "2026-11-26T00:00:00Z")).routable()).isTrue();
        assertThat(s.decide(at("1", "2026-11-26T05:59:00Z")).routable()).isTrue();
        assertThat(s.decide(at("1", "2026-11-26T06:00:00Z")).routable()).isFalse();
        assertThat(s.decide(at("1", "2026-11-26T12:00:00Z")).routable()).isFalse();
        assertThat(s.decide(at("1", "2026-11-26T21:59:59Z")).routable()).isFalse();
    }

    @Test
    void aTimeZoneWithDaylightSavingTime() {
        RouteSnapshot s = snapshot(new RouteBuilder(1, "ny").hours("09:00", "17:00").zone("America/New_York"));
        assertThat(s.decide(at("1", "2026-07-01T13:00:00Z")).routable()).as("09:00 EDT").isTrue();
        assertThat(s.decide(at("1", "2026-12-01T13:00:00Z")).routable()).as("08:00 EST").isFalse();
        assertThat(s.decide(at("1", "2026-12-01T14:00:00Z")).routable()).as("09:00 EST").isTrue();
    }

    @Test
    void timedRoutesFallThroughToTheNextRoute() {
        RouteSnapshot s = snapshot(new RouteBuilder(1, "office").b("^700$").days(1, 2, 3, 4, 5).hours("09:00", "18:00")
                        .to(Routes.DestinationType.QUEUE, "support"),
                new RouteBuilder(2, "after hours").b("^700$").to(Routes.DestinationType.VOICEMAIL, "support"));
        assertThat(s.decide(at("700", "2026-11-25T10:00:00Z")).targets().getFirst().destination())
                .isEqualTo(new Destination.MediaService(Destination.MediaService.Kind.QUEUE, "support"));
        RouteQuery sunday = at("700", "2026-11-29T10:00:00Z");
        assertThat(routeIds(s.decide(sunday))).containsExactly(2L);
        assertThat(s.explain(sunday).skipped().getFirst().reason())
                .isEqualTo("outside its hours (days 1,2,3,4,5 09:00-18:00 UTC; it is Sun 10:00 there)");
    }

    @Test
    void explainGivesAReasonForEveryRouteBeforeTheMatch() {
        RouteSnapshot s = snapshot(new RouteBuilder(1, "long distance").b("^8(\\d{10})$"),
                new RouteBuilder(2, "off").disabled(),
                new RouteBuilder(3, "bhost").b("^1\\d+$").bHost("^other\\.test$"),
                new RouteBuilder(4, "anum").b("^1\\d+$").a("^2\\d{3}$"),
                new RouteBuilder(5, "ext").b("^1\\d+$"),
                new RouteBuilder(6, "after").b("^12345$"));
        Routes.TestResult r = s.explain(call("1001", "12345"));
        assertThat(r.time()).isEqualTo(WEDNESDAY_NOON_UTC);
        assertThat(r.skipped()).extracting(Routes.Skipped::reason).containsExactly(
                "bNumberMask ^8(\\d{10})$ does not match 12345",
                "disabled",
                "bHostMask ^other\\.test$ does not match demo.callibry.test",
                "aNumberMask ^2\\d{3}$ does not match 1001");
        assertThat(r.targets()).extracting(Routes.Target::routeName).containsExactly("ext");
        assertThat(r.targets().getFirst().priority()).isEqualTo(50);
    }

    @Test
    void aBrokenStoredRouteNeverMatches() {
        Routes.Route bad = new RouteBuilder(1, "bad").b("^8(").build();
        RouteSnapshot s = new RouteSnapshot(List.of(RouteCompiler.compileStored(bad), new RouteBuilder(2, "ok").compiled()));
        assertThat(routeIds(s.decide(call("1", "8(")))).containsExactly(2L);
        assertThat(s.explain(call("1", "8(")).skipped().getFirst().reason()).startsWith("invalid: ");
    }

    @Test
    void literalPrefixesOfMasks() {
        assertThat(Mask.compile("^8(\\d{10})$").prefixes()).containsExactly("8");
        assertThat(Mask.compile("^1\\d{3}$").prefixes()).containsExactly("1");
        assertThat(Mask.compile("\\+7495\\d+").prefixes()).containsExactly("+7495");
        assertThat(Mask.compile("^(\\+7|8)495\\d+$").prefixes()).containsExactly("+7495", "8495");
        assertThat(Mask.compile("^(?:\\+7|8)(?<code>495|499)\\d{7}$").prefixes()).containsExactly("+7495", "+7499", "8495", "8499");
        assertThat(Mask.compile("^[78]9\\d+$").prefixes()).containsExactly("79", "89");
        assertThat(Mask.compile("^(8|84)\\d*$").prefixes()).as("prefix-free").containsExactly("8");
        assertThat(Mask.compile("^12|34$").prefixes()).containsExactly("12", "34");
        assertThat(Mask.compile("^1(2|3)$").prefixes()).containsExactly("12", "13");
        assertThat(Mask.compile("^1(2|3)?4$").prefixes()).containsExactly("1");
        assertThat(Mask.compile("^1(2|\\d)4$").prefixes()).containsExactly("1");
        assertThat(Mask.compile("^1(2+|3)4$").prefixes()).containsExactly("12", "13");
        assertThat(Mask.compile("^12?3$").prefixes()).containsExactly("1");
        assertThat(Mask.compile("^12*3$").prefixes()).containsExactly("1");
        assertThat(Mask.compile("^12+3$").prefixes()).containsExactly("12");
        assertThat(Mask.compile("^1{2}$").prefixes()).containsExactly("1");
        assertThat(Mask.compile("^1{0,2}5$").prefixes()).isEmpty();
        assertThat(Mask.compile("^1[|]2$").prefixes()).containsExactly("1|2");
        assertThat(Mask.compile("^[]a]x$").prefixes()).containsExactly("]x", "ax");
        assertThat(Mask.compile("^\\d+|8$").prefixes()).as("one alternative may start with anything").isEmpty();
        assertThat(Mask.compile("(?i)abc").prefixes()).isEmpty();
        assertThat(Mask.compile("ab(?i)c").prefixes()).isEmpty();
        assertThat(Mask.compile("\\Q1|2\\E").prefixes()).isEmpty();
        assertThat(Mask.compile("^\\x41$").prefixes()).isEmpty();
        assertThat(Mask.compile("^[^8]1$").prefixes()).isEmpty();
        assertThat(Mask.compile("^[1-3]1$").prefixes()).isEmpty();
    }

    @Test
    void literalAndRequiredParts() {
        assertThat(Mask.compile("^600$").literal()).isEqualTo("600");
        assertThat(Mask.compile("600").literal()).isEqualTo("600");
        assertThat(Mask.compile("^(600)$").literal()).isEqualTo("600");
        assertThat(Mask.compile("^(8|84)$").literal()).as("two strings are no literal").isNull();
        assertThat(Mask.compile("^a.c$").literal()).isNull();
        assertThat(Mask.compile("^\\d8495(\\d{7})$").required()).isEqualTo("8495");
        assertThat(Mask.compile("^\\d{3}12?34\\d$").required()).isEqualTo("34");
        assertThat(Mask.compile("^\\d{3}12+345$").required()).as("a repeated character ends a run").isEqualTo("345");
        assertThat(Mask.compile("^\\d123|\\d456$").required()).isEmpty();
        assertThat(Mask.compile("^(?i)abc$").required()).isEmpty();
        Mask m = Mask.compile("^(8|84)$");
        assertThat(m.matches("84")).isTrue();
        assertThat(m.matches("8")).isTrue();
        assertThat(m.matches("85")).isFalse();
    }

    @Test
    void theMaskAnalysisNeverRulesOutAMatch() {
        Random random = new Random(7);
        String[] values = new String[3000];
        for (int v = 0; v < values.length; v++) {
            StringBuilder b = new StringBuilder();
            for (int n = random.nextInt(7); n > 0; n--) {
                b.append("128+|".charAt(random.nextInt(5)));
            }
            values[v] = b.toString();
        }
        for (int round = 0; round < 2000; round++) {
            String regex = randomRegex(random, 0);
            Mask m;
            try {
                m = Mask.compile(regex);
            } catch (java.util.regex.PatternSyntaxException e) {
                continue;
            }
            for (String v : values) {
                if (m.pattern().matcher(v).matches()) {
                    assertThat(m.matches(v)).as("%s on %s", regex, v).isTrue();
                    if (!m.prefixes().isEmpty()) {
                        assertThat(m.prefixes().stream().filter(v::startsWith).count()).as("%s on %s", regex, v).isEqualTo(1);
                    }
                } else {
                    assertThat(m.matches(v)).as("%s on %s", regex, v).isFalse();
                }
            }
        }
    }

    private static String randomRegex(Random r, int depth) {
        StringBuilder b = new StringBuilder(r.nextBoolean() ? "^" : "");
        for (int n = 1 + r.nextInt(4); n > 0; n--) {
            String item = switch (r.nextInt(depth > 1 ? 7 : 10)) {
                case 0, 1, 2 -> String.valueOf("128".charAt(r.nextInt(3)));
                case 3 -> "\\+";
                case 4 -> "[" + "12+]".substring(r.nextInt(3));
                case 5 -> r.nextBoolean() ? "\\d" : ".";
                case 6 -> "[^1]";
                case 7 -> "(" + randomRegex(r, depth + 1) + "|" + randomRegex(r, depth + 1) + ")";
                case 8 -> "(?:" + randomRegex(r, depth + 1) + ")";
                default -> "(?<g" + depth + ">" + randomRegex(r, depth + 1) + ")";
            };
            b.append(item).append(List.of("", "", "", "?", "*", "+", "{2}", "{0,1}", "{1}", "+?").get(r.nextInt(10)));
        }
        if (r.nextInt(4) == 0) {
            b.append("$");
        }
        if (depth == 0 && r.nextInt(5) == 0) {
            b.append("|").append(randomRegex(r, 1));
        }
        return b.toString();
    }

    @Test
    void theIndexDecidesAsAPlainScanDoes() {
        Random random = new Random(42);
        String[] masks = {"", "^8(\\d{10})$", "^8\\d+$", "^1\\d{3}$", "^10\\d{2}$", "^600$", "60.", "^6(0|1)\\d$", "^1|8.*$",
            "^\\+7(\\d+)$", "(?i)x.*", "^8495\\d*$", "^84?\\d*$", ".*5$", "^(\\+7|8)(495|499)\\d*$", "^[+8]\\d*$",
            "^(8|84)\\d*$", "^\\d(49)\\d*$", "^(1|6)0+\\d$", "^(60[01])$"};
        String[] aMasks = {"^100[0-4]$", "^(1001|2000)$", "^2\\d+$", "^\\d+$"};
        for (int round = 0; round < 50; round++) {
            List<RouteBuilder> routes = new ArrayList<>();
            for (int i = 1; i <= 30; i++) {
                RouteBuilder r = new RouteBuilder(i, "r" + i).priority(random.nextInt(5) * 10).b(masks[random.nextInt(masks.length)]);
                if (random.nextInt(4) == 0) {
                    r.continueOnFailure();
                }
                if (random.nextInt(6) == 0) {
                    r.disabled();
                }
                if (random.nextInt(4) == 0) {
                    r.a(aMasks[random.nextInt(aMasks.length)]);
                }
                routes.add(r);
            }
            RouteSnapshot s = snapshot(routes.toArray(RouteBuilder[]::new));
            for (String b : List.of("84951234567", "8495", "1001", "1099", "600", "601", "609", "+74951234567", "X12", "", "5",
                    "845", "19", "84991234567", "+7499", "8", "84", "1005", "6001")) {
                for (String a : List.of("1001", "2000")) {
                    RouteQuery q = call(a, b);
                    List<Long> scanned = s.explain(q).targets().stream().map(Routes.Target::routeId).toList();
                    assertThat(routeIds(s.decide(q))).as("round %d, a=%s b=%s", round, a, b).isEqualTo(scanned);
                }
            }
        }
    }
}
