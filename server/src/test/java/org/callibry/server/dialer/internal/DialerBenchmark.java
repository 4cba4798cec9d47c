package org.callibry.server.dialer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.dto.Campaigns;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Not a test: the dialer benchmark of {@code docs/performance.md}. For each rate of
 * {@code dialer.bench.rates} (25, 50, 100, 150, 200 calls/s) a PLAY campaign of rate × 20 numbers
 * (calls per second = the rate, 1,000 at once at most) dials a SIPp gateway that answers at once; each
 * answered call hears a 1-second message and the media server hangs up. Measured: originations per
 * second over the steady part (progress sampled every second, the first and last 3 s left out), the
 * attempts that did not end ANSWERED, and the server process's CPU over the window. Run it with
 * <pre>mvn -B -Pbench -pl server -am verify -Dexec.skip -Dit.test=DialerBenchmark -Dtest=NoSuch -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * ({@code -Ddialer.bench.rates=25,50} and {@code -Ddialer.bench.seconds=15} choose the steps).
 * Prints a Markdown table and writes it to {@code server/target/dialer-benchmark.md}.
 */
@TestPropertySource(properties = {"callibry.dialer.max-calls-per-second=1000", "callibry.dialer.max-channels=1000",
        "callibry.dialer.max-load=1000"})
class DialerBenchmark extends DialerTestSupport {
    static final List<Integer> RATES = java.util.Arrays.stream(System.getProperty("dialer.bench.rates", "25,50,100,150,200")
            .split(",")).map(String::strip).map(Integer::valueOf).toList();
    static final int SECONDS = Integer.getInteger("dialer.bench.seconds", 20);

    @Test
    void originationsPerSecond() throws Exception {
        long message = audio(1);
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<String> rows = new ArrayList<>();
        rows.add("| offered calls/s | numbers | originations/s (steady) | not answered | at once max | server CPU | CPU per call |");
        rows.add("|---|---|---|---|---|---|---|");
        for (int rate : RATES) {
            int n = rate * SECONDS;
            Campaigns.Campaign c = create(new Campaigns.Create(tenantId, unique("Bench" + rate), Campaigns.OnAnswer.PLAY,
                    List.of(message), 1, null, null, "1001", 1000, Math.min(200, rate), 15, null, null, null, null, null));
            StringBuilder csv = new StringBuilder("number\r\n");
            // numbers must be unique across steps: each step has a prefix and a gateway route of its own
            String stepPrefix = prefix.substring(0, 5) + String.format("%01d", RATES.indexOf(rate));
            stepGateway(stepPrefix);
            for (int i = 0; i < n; i++) {
                csv.append(stepPrefix).append(String.format("%05d", i)).append("\r\n");
            }
            numbers(c.id(), csv.toString());
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            control(Methods.CAMPAIGN_START, c.id());
            List<long[]> samples = new ArrayList<>(); // {nanos, dialled, inFlight}
            int most = 0;
            while (true) {
                Campaigns.Campaign now = get(c.id());
                samples.add(new long[] {System.nanoTime(), now.progress().dialled(), now.progress().inFlight()});
                most = Math.max(most, now.progress().inFlight());
                if (now.status() == Campaigns.Status.FINISHED || System.nanoTime() - t0 > (SECONDS * 4L + 30) * 1_000_000_000L) {
                    break;
                }
                Thread.sleep(1000);
            }
            long cpu1 = os.getProcessCpuTime();
            long t1 = System.nanoTime();
            Campaigns.Campaign done = get(c.id());
            // steady part: from 3 s after the start to 3 s before the last number was dialled
            long lastDial = samples.stream().filter(s -> s[1] >= n).mapToLong(s -> s[0]).min().orElse(t1);
            long from = t0 + 3_000_000_000L;
            long to = lastDial - 3_000_000_000L;
            long[] a = samples.stream().filter(s -> s[0] >= from).findFirst().orElse(samples.getFirst());
            long[] b = samples.stream().filter(s -> s[0] <= to).reduce((x, y) -> y).orElse(samples.getLast());
            double rateSeen = b[0] > a[0] ? (b[1] - a[1]) / ((b[0] - a[0]) / 1e9) : 0;
            long notAnswered = done.progress().dialled() - done.progress().answered();
            double cores = (cpu1 - cpu0) / (double) (t1 - t0);
            rows.add(String.format(Locale.ROOT, "| %d | %,d | %.1f | %d | %d | %.2f cores | %.1f ms |", rate, n, rateSeen, notAnswered,
                    most, cores, rateSeen > 0 ? cores * 1000 / (n / ((t1 - t0) / 1e9)) : 0));
            System.out.println(rows.getLast());
            assertThat(done.status()).as("campaign at %d/s finished", rate).isEqualTo(Campaigns.Status.FINISHED);
        }
        String table = String.join("\n", rows) + "\n";
        System.out.println(table);
        Files.writeString(Path.of("target/dialer-benchmark.md"), table);
    }

    /** The number upload: 100,000 lines with a name and two variables, parsed, checked against the DNC list, stored. */
    @Test
    void uploadOf100000Numbers() throws Exception {
        int n = Integer.getInteger("dialer.bench.upload", 100_000);
        Campaigns.Campaign c = create(new Campaigns.Create(tenantId, unique("Upload"), Campaigns.OnAnswer.PLAY, List.of(audio(1)), 1,
                null, null, "1001", 10, 5, 30, null, null, null, null, null));
        StringBuilder csv = new StringBuilder("number,name,balance,due\r\n");
        for (int i = 0; i < n; i++) {
            csv.append("+7900").append(String.format("%07d", i)).append(",Customer ").append(i).append(',').append(i % 5000)
                    .append(".50,2026-12-31\r\n");
        }
        long t0 = System.nanoTime();
        Campaigns.Upload up = numbers(c.id(), csv.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        Map<String, Map<String, String>> results = results(c.id());
        double export = (System.nanoTime() - t1) / 1e9;
        String line = String.format(Locale.ROOT, "| %,d numbers (%.1f MB) | upload %.2f s (%,.0f numbers/s) | results CSV %.2f s |", n,
                csv.length() / 1e6, seconds, n / seconds, export);
        System.out.println(line);
        Files.writeString(Path.of("target/dialer-upload-benchmark.md"), line + "\n");
        assertThat(up.added()).isEqualTo(n);
        assertThat(results).hasSize(n);
    }

    private void stepGateway(String stepPrefix) throws Exception {
        java.util.Map<String, Object> route = new java.util.LinkedHashMap<>();
        int port = org.callibry.shared.testing.FreePorts.udpAndTcp();
        open.add(org.callibry.server.testing.Sipp.start(tmp, null, "uas.xml", port, "-timeout", "600s", "-recv_timeout", "60000"));
        route.put("name", unique("bench"));
        route.put("priority", 2);
        route.put("bNumberMask", "^" + stepPrefix + "\\d{5}$");
        route.put("destinationType", "GATEWAY");
        route.put("destination", "127.0.0.1:" + port);
        route.put("relayMedia", false);
        admin.call("route.create", route, tools.jackson.databind.JsonNode.class);
    }
}
