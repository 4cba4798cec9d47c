package org.callibry.softphone.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;
import org.callibry.shared.media.Goertzel;
import org.callibry.shared.media.Tones;
import org.junit.jupiter.api.Test;

/**
 * Scenarios with fake javax.sound lines (no sound hardware needed): a 48 kHz microphone delivers
 * 8 kHz frames with its tone and a level; a reader that falls behind loses the oldest audio, not
 * more than {@link DeviceSource#MAX_QUEUED_FRAMES} frames of delay; a 44.1 kHz speaker gets the tone
 * at its rate; a full speaker buffer drops frames instead of blocking.
 */
class DeviceLinesTest {
    /** A microphone at 48 kHz playing a 1 kHz sine in real time, 20 ms per read. */
    private static TargetDataLine microphone(AtomicLong position) {
        AudioFormat format = AudioDevices.format(48000);
        return (TargetDataLine) Proxy.newProxyInstance(TargetDataLine.class.getClassLoader(),
                new Class<?>[] {TargetDataLine.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getFormat" -> format;
                    case "isOpen" -> true;
                    case "read" -> {
                        byte[] b = (byte[]) args[0];
                        int len = (int) args[2];
                        Thread.sleep(len / 2 / 48);
                        long at = position.getAndAdd(len / 2);
                        short[] pcm = new short[len / 2];
                        Tones.add(pcm, 0, pcm.length, 1000, 10000, 48000, at);
                        for (int i = 0; i < pcm.length; i++) {
                            b[(int) args[1] + 2 * i] = (byte) pcm[i];
                            b[(int) args[1] + 2 * i + 1] = (byte) (pcm[i] >> 8);
                        }
                        yield len;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "fake microphone";
                    default -> null;
                });
    }

    private static SourceDataLine speaker(ByteArrayOutputStream played, AtomicInteger available) {
        AudioFormat format = AudioDevices.format(44100);
        return (SourceDataLine) Proxy.newProxyInstance(SourceDataLine.class.getClassLoader(),
                new Class<?>[] {SourceDataLine.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getFormat" -> format;
                    case "available" -> available.get();
                    case "write" -> {
                        played.write((byte[]) args[0], (int) args[1], (int) args[2]);
                        yield args[2];
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "fake speaker";
                    default -> null;
                });
    }

    @Test
    void microphoneAt48kHzGivesEightKilohertzFramesWithItsTone() throws Exception {
        try (DeviceSource source = new DeviceSource(microphone(new AtomicLong()))) {
            source.start();
            Thread.sleep(100);
            short[] joined = new short[800];
            for (int i = 0; i < 5; i++) {
                Thread.sleep(20);
                System.arraycopy(source.read(), 0, joined, i * 160, 160);
            }
            assertThat(source.deviceRate()).isEqualTo(48000);
            assertThat(Goertzel.share(joined, 160, 640, 8000, 1000)).isGreaterThan(0.9);
            assertThat(source.meter().level()).isGreaterThan(0.15);
        }
    }

    @Test
    void aReaderThatFallsBehindLosesTheOldestAudio() throws Exception {
        try (DeviceSource source = new DeviceSource(microphone(new AtomicLong()))) {
            source.start();
            Thread.sleep(300);
            assertThat(source.overruns()).isPositive();
            int frames = 0;
            while (frames < 20 && source.underruns() == 0) {
                source.read();
                frames++;
            }
            assertThat(frames - 1).isLessThanOrEqualTo(DeviceSource.MAX_QUEUED_FRAMES + 2);
        }
    }

    @Test
    void speakerAt44kHzPlaysTheToneAtItsRate() {
        ByteArrayOutputStream played = new ByteArrayOutputStream();
        DeviceSink sink = new DeviceSink(speaker(played, new AtomicInteger(1 << 20)));
        sink.start();
        ToneSource tone = new ToneSource(10000, 440);
        for (int i = 0; i < 50; i++) {
            sink.write(tone.read());
        }
        byte[] bytes = played.toByteArray();
        short[] pcm = new short[bytes.length / 2];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) ((bytes[2 * i] & 0xFF) | (bytes[2 * i + 1] << 8));
        }
        // two frames of silence first, then one second of tone
        assertThat(pcm.length).isBetween(52 * 882 - 10, 52 * 882 + 10);
        assertThat(Goertzel.share(pcm, 4410, 22050, 44100, 440)).isGreaterThan(0.9);
        assertThat(sink.meter().peak()).isGreaterThan(9000);
        assertThat(sink.dropped()).isZero();
    }

    @Test
    void aFullSpeakerDropsFramesInsteadOfBlocking() {
        DeviceSink sink = new DeviceSink(speaker(new ByteArrayOutputStream(), new AtomicInteger(0)));
        sink.write(AudioFrame.silence());
        sink.write(AudioFrame.silence());
        assertThat(sink.dropped()).isEqualTo(2);
    }
}
