package org.callibry.softphone.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.callibry.shared.media.Goertzel;
import org.junit.jupiter.api.Test;

/** Scenarios: European and US ringback and the ringtone have their frequencies and cadence, and repeat. */
class RingerTest {
    private static short[] record(AudioSource source, int millis) {
        short[] out = new short[millis * 8];
        for (int at = 0; at < out.length; at += AudioFrame.SAMPLES) {
            short[] f = source.read();
            assertThat(f).hasSize(AudioFrame.SAMPLES);
            System.arraycopy(f, 0, out, at, AudioFrame.SAMPLES);
        }
        return out;
    }

    /** Share of the energy at {@code hz} in the 100 ms starting at {@code fromMs}. */
    private static double share(short[] s, int fromMs, double hz) {
        return Goertzel.share(s, fromMs * 8, 800, AudioFrame.SAMPLE_RATE, hz);
    }

    private static double rms(short[] s, int fromMs, int millis) {
        short[] part = java.util.Arrays.copyOfRange(s, fromMs * 8, (fromMs + millis) * 8);
        return AudioFrame.rms(part);
    }

    @Test
    void europeanRingbackIs425HzOneSecondOnFourOff() {
        short[] s = record(Ringer.ringback(), 10_000);
        for (int t : new int[] {0, 450, 880, 5000, 5500}) {
            assertThat(share(s, t, 425)).as("425 Hz at %d ms", t).isGreaterThan(0.9);
        }
        assertThat(rms(s, 1000, 4000)).isZero();
        assertThat(rms(s, 6000, 4000)).isZero();
    }

    @Test
    void usRingbackIs440Plus480HzTwoSecondsOnFourOff() {
        short[] s = record(Ringer.ringbackUs(), 7000);
        for (int t : new int[] {0, 1000, 1900, 6000}) {
            assertThat(share(s, t, 440)).as("440 Hz at %d ms", t).isBetween(0.4, 0.6);
            assertThat(share(s, t, 480)).as("480 Hz at %d ms", t).isBetween(0.4, 0.6);
        }
        assertThat(rms(s, 2000, 4000)).isZero();
    }

    @Test
    void ringtoneIsADoubleRingOf400And450Hz() {
        short[] s = record(Ringer.ringtone(), 6000);
        for (int t : new int[] {0, 300, 600, 900, 3000, 3600}) {
            assertThat(share(s, t, 400) + share(s, t, 450)).as("tone at %d ms", t).isGreaterThan(0.85);
        }
        assertThat(rms(s, 400, 200)).isZero();
        assertThat(rms(s, 1000, 2000)).isZero();
        assertThat(rms(s, 4000, 2000)).isZero();
    }
}
