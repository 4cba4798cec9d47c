package org.callibry.server.recording.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.callibry.server.recording.RecordingFinished;
import org.callibry.shared.media.G711;
import org.callibry.shared.media.Goertzel;
import org.callibry.shared.media.TelephoneEvent;
import org.callibry.shared.media.Tones;
import org.callibry.shared.media.WavReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder on synthetic RTP payloads (20 ms G.711 frames of known tones, arrival times given):
 * <ul>
 * <li>mono: both sides' tones mixed, the length that of the call;</li>
 * <li>stereo: caller's tone left only, callee's right only, PCMU and PCMA;</li>
 * <li>jittered arrivals still give continuous audio; a pause of one side becomes silence in place;</li>
 * <li>a side sending faster than real time does not run ahead unboundedly;</li>
 * <li>telephone-event and other payload types are ignored;</li>
 * <li>an unwritable directory or a refused start: no exception, the event carries the error.</li>
 * </ul>
 */
class CallRecorderTest {
    private static final long FRAME_NANOS = 20_000_000L;
    private static final CallRecorder.Call CALL = new CallRecorder.Call("call-1@test", 7L, "1001", "1002");

    @TempDir
    Path tmp;

    private final CopyOnWriteArrayList<RecordingFinished> published = new CopyOnWriteArrayList<>();

    private CallRecorder recorder(Path wav, boolean stereo) {
        return new CallRecorder(wav, stereo, CALL, published::add, null);
    }

    /** Frame {@code k} (160 samples) of a tone, G.711-encoded with payload type {@code pt}. */
    private static byte[] frame(double frequency, int k, int pt) {
        short[] pcm = new short[160];
        Tones.add(pcm, 0, 160, frequency, 6000, 8000, 160L * k);
        return pt == 0 ? G711.encodeUlaw(pcm) : G711.encodeAlaw(pcm);
    }

    private static RecordingFinished await(CallRecorder r) throws Exception {
        return r.finished().get(10, TimeUnit.SECONDS);
    }

    @Test
    void mixesBothSidesIntoOneChannelOfTheCallsLength() throws Exception {
        Path wav = tmp.resolve("mono.wav");
        CallRecorder r = recorder(wav, false);
        long t0 = System.nanoTime();
        for (int k = 0; k < 100; k++) {
            long at = t0 + (k + 1) * FRAME_NANOS;
            r.packet(0, at, 0, frame(440, k, 0), 0, 160);
            r.packet(1, at + 3_000_000, 8, frame(1000, k, 8), 0, 160);
        }
        r.close(null);
        RecordingFinished e = await(r);
        assertThat(e.error()).isNull();
        assertThat(e.channels()).isEqualTo(1);
        assertThat(e.callId()).isEqualTo("call-1@test");
        assertThat(published).containsExactly(e);
        WavReader.Wav w = WavReader.read(wav);
        assertThat(w.channels()).isEqualTo(1);
        assertThat(w.sampleRate()).isEqualTo(8000);
        // two seconds of audio, give or take the start offset of one frame
        assertThat(w.durationMillis()).isBetween(1980L, 2060L);
        short[] middle = java.util.Arrays.copyOfRange(w.samples(), 4000, 12000);
        assertThat(Goertzel.share(middle, 0, middle.length, 8000, 440)).isBetween(0.35, 0.65);
        assertThat(Goertzel.share(middle, 0, middle.length, 8000, 1000)).isBetween(0.35, 0.65);
        assertThat(Files.exists(CallRecorder.sideFile(wav))).isTrue();
    }

    @Test
    void stereoPutsTheCallerLeftAndTheCalleeRight() throws Exception {
        Path wav = tmp.resolve("stereo.wav");
        CallRecorder r = recorder(wav, true);
        long t0 = System.nanoTime();
        for (int k = 0; k < 50; k++) {
            long at = t0 + (k + 1) * FRAME_NANOS;
            r.packet(0, at, 8, frame(697, k, 8), 0, 160);
            r.packet(1, at, 0, frame(1633, k, 0), 0, 160);
        }
        r.close(null);
        assertThat(await(r).channels()).isEqualTo(2);
        WavReader.Wav w = WavReader.read(wav);
        assertThat(w.channels()).isEqualTo(2);
        assertThat(w.durationMillis()).isBetween(980L, 1040L);
        short[] left = w.channel(0);
        short[] right = w.channel(1);
        assertThat(Goertzel.share(left, 800, 6400, 8000, 697)).isGreaterThan(0.9);
        assertThat(Goertzel.share(left, 800, 6400, 8000, 1633)).isLessThan(0.01);
        assertThat(Goertzel.share(right, 800, 6400, 8000, 1633)).isGreaterThan(0.9);
        assertThat(Goertzel.share(right, 800, 6400, 8000, 697)).isLessThan(0.01);
    }

    @Test
    void jitterIsAbsorbedAndAPauseStaysSilentInPlace() throws Exception {
        Path wav = tmp.resolve("jitter.wav");
        CallRecorder r = recorder(wav, true);
        long t0 = System.nanoTime();
        java.util.Random random = new java.util.Random(42);
        for (int k = 0; k < 150; k++) {
            long at = t0 + (k + 1) * FRAME_NANOS;
            // caller: up to 15 ms of jitter, bursts of two
            long jitter = random.nextInt(15_000_000) + (k % 5 == 0 ? 0 : 0);
            r.packet(0, at + jitter, 0, frame(500, k, 0), 0, 160);
            // callee: silent (no packets) from 1.0 s to 2.0 s
            if (k < 50 || k >= 100) {
                r.packet(1, at, 0, frame(1200, k, 0), 0, 160);
            }
        }
        r.close(null);
        await(r);
        WavReader.Wav w = WavReader.read(wav);
        assertThat(w.durationMillis()).isBetween(2980L, 3060L);
        short[] left = w.channel(0);
        short[] right = w.channel(1);
        // the caller's tone is continuous: every 20 ms block of the middle holds it
        for (int block = 10; block < 140; block++) {
            assertThat(Goertzel.share(left, block * 160, 160, 8000, 500)).as("block %d", block).isGreaterThan(0.8);
        }
        // the callee's pause sits at 1.0-2.0 s (allowing a frame either side)
        assertThat(Goertzel.share(right, 4000, 3200, 8000, 1200)).isGreaterThan(0.9);
        assertThat(energy(right, 8400, 7200)).isZero();
        assertThat(Goertzel.share(right, 17_000, 3200, 8000, 1200)).isGreaterThan(0.9);
    }

    @Test
    void aSideSendingTooFastDoesNotRunAhead() throws Exception {
        Path wav = tmp.resolve("fast.wav");
        CallRecorder r = recorder(wav, true);
        long t0 = System.nanoTime();
        for (int k = 0; k < 100; k++) {
            long at = t0 + (k + 1) * FRAME_NANOS;
            r.packet(1, at, 0, frame(800, k, 0), 0, 160);
            // the caller sends two frames per 20 ms for the whole two seconds
            r.packet(0, at, 0, frame(400, 2 * k, 0), 0, 160);
            r.packet(0, at + 1_000_000, 0, frame(400, 2 * k + 1, 0), 0, 160);
        }
        r.close(null);
        await(r);
        WavReader.Wav w = WavReader.read(wav);
        // without the bound the file would be about 4 s long (the caller's 200 frames end to end)
        assertThat(w.durationMillis()).isBetween(1980L, 2300L);
    }

    @Test
    void ignoresTelephoneEventsAndUnknownPayloadTypes() throws Exception {
        Path wav = tmp.resolve("dtmf.wav");
        CallRecorder r = recorder(wav, false);
        long t0 = System.nanoTime();
        byte[] event = TelephoneEvent.ofDigit('5', false, 10, 160).encode();
        for (int k = 0; k < 25; k++) {
            r.packet(0, t0 + (k + 1) * FRAME_NANOS, 101, event, 0, 4);
            r.packet(1, t0 + (k + 1) * FRAME_NANOS, 18, new byte[20], 0, 20);
        }
        r.close(null);
        await(r);
        WavReader.Wav w = WavReader.read(wav);
        assertThat(energy(w.samples(), 0, w.samples().length)).isZero();
    }

    @Test
    void anUnwritableDirectoryFailsTheRecordingNotTheCall() throws Exception {
        Path blocker = Files.writeString(tmp.resolve("not-a-dir"), "x");
        CallRecorder r = recorder(blocker.resolve("sub").resolve("x.wav"), false);
        long t0 = System.nanoTime();
        for (int k = 0; k < 10; k++) {
            r.packet(0, t0 + (k + 1) * FRAME_NANOS, 0, frame(440, k, 0), 0, 160);
        }
        r.close("BYE");
        RecordingFinished e = await(r);
        assertThat(e.error()).contains("cannot create").contains("BYE");
        assertThat(published).containsExactly(e);
        // packets after close are ignored without error
        r.packet(0, t0, 0, frame(440, 0, 0), 0, 160);
        r.close(null);
        assertThat(published).hasSize(1);
    }

    @Test
    void aRefusedStartRecordsNothingAndSaysWhy() throws Exception {
        Path wav = tmp.resolve("refused.wav");
        CallRecorder r = new CallRecorder(wav, false, CALL, published::add, "free disk space 1 MB is below the minimum");
        r.packet(0, System.nanoTime(), 0, frame(440, 0, 0), 0, 160);
        r.close(null);
        assertThat(await(r).error()).contains("free disk space");
        assertThat(wav).doesNotExist();
    }

    private static long energy(short[] s, int offset, int length) {
        long sum = 0;
        for (int i = offset; i < offset + length; i++) {
            sum += Math.abs(s[i]);
        }
        return sum;
    }
}
