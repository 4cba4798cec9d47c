package org.callibry.server.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.server.recording.CallRecordings;
import org.callibry.server.recording.internal.Mp3Frames;
import org.callibry.server.calls.CallEnded;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.client.RpcErrorException;
import org.callibry.shared.api.dto.Cdrs;
import org.callibry.shared.api.dto.Page;
import org.callibry.shared.api.dto.Recordings;
import org.callibry.shared.media.G711;
import org.callibry.shared.media.Tones;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Call recordings through the real server: a call recorded with the relay's {@link CallRecordings},
 * converted to MP3 and catalogued, then
 * <ul>
 * <li>{@code recording.list/get} with filters, the MP3's duration matching the call's;</li>
 * <li>{@code GET /api/recordings/{id}.mp3}: whole file, Range (206 with Content-Range, the right bytes), 416;</li>
 * <li>tenant isolation: another tenant's customer sees nothing and gets not-found; operators are refused;</li>
 * <li>the CDR of the call carries the recording's id;</li>
 * <li>{@code recording.delete} removes the row and the file.</li>
 * </ul>
 */
class RecordingApiIT extends ApiTestSupport {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Autowired
    CallRecordings recorders;

    @Autowired
    ApplicationEventPublisher events;

    private static <T> T await(Supplier<T> query, Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        T value = query.get();
        while (!done.test(value)) {
            assertThat(System.nanoTime()).as("within %s, got %s", TIMEOUT, value).isLessThan(deadline);
            Thread.sleep(50);
            value = query.get();
        }
        return value;
    }

    /** Records {@code seconds} of a 440 Hz caller and a 1 kHz callee as the relay would, and waits until it is ready. */
    private Recordings.Recording record(String callId, long tenant, String a, String b, int seconds) throws Exception {
        CallRecordings.Recorder r = recorders.start(callId, tenant, a, b, false);
        long t0 = System.nanoTime();
        for (int k = 0; k < seconds * 50; k++) {
            short[] caller = new short[160];
            short[] callee = new short[160];
            Tones.add(caller, 0, 160, 440, 6000, 8000, 160L * k);
            Tones.add(callee, 0, 160, 1000, 6000, 8000, 160L * k);
            long at = t0 + (k + 1) * 20_000_000L;
            r.packet(0, at, 0, G711.encodeUlaw(caller), 0, 160);
            r.packet(1, at, 8, G711.encodeAlaw(callee), 0, 160);
        }
        r.close(null);
        CallibryClient admin = admin();
        Page<Recordings.Recording> page = await(() -> admin.recordings().list(Recordings.ListParams.ofCall(callId)),
                p -> p.total() == 1 && p.items().getFirst().state() != Recordings.State.CONVERTING);
        assertThat(Files.exists(r.wav())).as("the WAV is deleted after conversion").isFalse();
        return page.items().getFirst();
    }

    private static void assertCode(ThrowingCallable call, int code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private HttpResponse<byte[]> get(CallibryClient client, long id, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base().resolve("api/recordings/" + id + ".mp3"))
                .header("Authorization", "Bearer " + client.token()).GET();
        if (range != null) {
            b.header("Range", range);
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    @Test
    void aRecordedCallIsListedAndDownloadableWithRanges() throws Exception {
        Fixture f = fixture();
        String callId = "rec-" + UUID.randomUUID() + "@test";
        Recordings.Recording rec = record(callId, f.tenant().id(), "5551001", "5552002", 3);
        assertThat(rec.state()).isEqualTo(Recordings.State.READY);
        assertThat(rec.error()).isNull();
        assertThat(rec.tenantId()).isEqualTo(f.tenant().id());
        assertThat(rec.aNumber()).isEqualTo("5551001");
        assertThat(rec.channels()).isEqualTo(1);
        assertThat(rec.durationMs()).isBetween(2950L, 3100L);
        assertThat(rec.sizeBytes()).isPositive();

        CallibryClient customer = as(f.customer());
        assertThat(customer.recordings().get(rec.id())).isEqualTo(rec);
        assertThat(customer.recordings().list(new Recordings.ListParams(null, "555200", null, null, null, null, null)).items())
                .extracting(Recordings.Recording::id).contains(rec.id());
        assertThat(customer.recordings().list(new Recordings.ListParams(null, null, Instant.now().plusSeconds(60), null,
                null, null, null)).items()).isEmpty();
        assertThat(as(f.supervisor()).recordings().get(rec.id())).isEqualTo(rec);

        byte[] mp3 = customer.downloadRecording(rec.id());
        assertThat(mp3).hasSize((int) rec.sizeBytes());
        Mp3Frames.Info info = Mp3Frames.scan(mp3);
        assertThat(info.sampleRate()).isEqualTo(8000);
        assertThat(info.channels()).isEqualTo(1);
        assertThat(info.durationMillis()).isBetween(rec.durationMs(), rec.durationMs() + 300);

        HttpResponse<byte[]> whole = get(customer, rec.id(), null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("audio/mpeg"));
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");

        HttpResponse<byte[]> part = get(customer, rec.id(), "bytes=100-1099");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 100-1099/" + mp3.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(mp3, 100, 1100));
        HttpResponse<byte[]> tail = get(customer, rec.id(), "bytes=-200");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(mp3, mp3.length - 200, mp3.length));
        HttpResponse<byte[]> beyond = get(customer, rec.id(), "bytes=" + (mp3.length + 10) + "-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + mp3.length);
    }

    @Test
    void anotherTenantSeesNothingAndOperatorsAreRefused() throws Exception {
        Fixture f = fixture();
        Fixture other = fixture();
        String callId = "rec-" + UUID.randomUUID() + "@test";
        Recordings.Recording rec = record(callId, f.tenant().id(), "5553001", "5553002", 1);

        CallibryClient stranger = as(other.customer());
        assertThat(stranger.recordings().list(Recordings.ListParams.ofCall(callId)).total()).isZero();
        assertThat(stranger.recordings().list(Recordings.ListParams.all()).items())
                .allSatisfy(r -> assertThat(r.tenantId()).isEqualTo(other.tenant().id()));
        assertCode(() -> stranger.recordings().get(rec.id()), ErrorCodes.NOT_FOUND);
        assertCode(() -> stranger.downloadRecording(rec.id()), ErrorCodes.NOT_FOUND);
        assertCode(() -> stranger.recordings().delete(rec.id()), ErrorCodes.NOT_FOUND);
        assertCode(() -> stranger.recordings().list(new Recordings.ListParams(null, null, null, null, f.tenant().id(), null,
                null)), ErrorCodes.FORBIDDEN);
        assertThat(get(stranger, rec.id(), null).statusCode()).isEqualTo(404);
        assertCode(() -> as(f.operator()).recordings().get(rec.id()), ErrorCodes.FORBIDDEN);
        assertCode(() -> as(f.operator()).downloadRecording(rec.id()), ErrorCodes.FORBIDDEN);
        assertCode(() -> anonymous().downloadRecording(rec.id()), ErrorCodes.UNAUTHENTICATED);
        assertThat(admin().recordings().get(rec.id()).id()).isEqualTo(rec.id());
    }

    @Test
    void theCdrOfARecordedCallCarriesTheRecordingAndDeleteRemovesIt() throws Exception {
        Fixture f = fixture();
        String callId = "rec-" + UUID.randomUUID() + "@test";
        String a = "7" + (1_000_000 + (int) (Math.random() * 8_000_000));
        Recordings.Recording rec = record(callId, f.tenant().id(), a, "5554002", 1);
        Instant started = Instant.now().minusSeconds(5);
        events.publishEvent(new CallEnded(callId, a, "5554002", a, "5554002", "192.0.2.10:5060",
                "sip:5554002@192.0.2.20:5060", "Local", f.tenant().id(), started, started.plusSeconds(1),
                started.plusSeconds(3), CallEnded.Disposition.ANSWERED, 200, "BYE"));
        CallibryClient customer = as(f.customer());
        Cdrs.SearchParams search = Cdrs.SearchParams.of(new Cdrs.Filter(a, null, null, null, null, null, null, null), null, null);
        List<Cdrs.Cdr> cdrs = await(() -> customer.cdrs(search).items(), l -> l.size() == 1);
        assertThat(cdrs.getFirst().recordingId()).isEqualTo(rec.id());

        customer.recordings().delete(rec.id());
        assertCode(() -> customer.recordings().get(rec.id()), ErrorCodes.NOT_FOUND);
        assertCode(() -> customer.downloadRecording(rec.id()), ErrorCodes.NOT_FOUND);
        assertThat(customer.cdrs(search).items().getFirst().recordingId()).isNull();
    }
}
