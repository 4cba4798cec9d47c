package org.callibry.shared.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Tone generation checked with Goertzel: amplitudes, dual tones, DTMF-like detection, resampling. */
class TonesTest {

    @Test
    void aSineHasItsAmplitudeAtItsFrequencyOnly() {
        short[] s = Tones.sine(1000, 10_000, 8000, 8000);
        assertThat(s).contains((short) 10_000);
        assertThat(Math.sqrt(Goertzel.power(s, 8000, 1000))).isCloseTo(10_000, within(50.0));
        assertThat(Goertzel.power(s, 8000, 1300)).isLessThan(1.0);
        assertThat(Goertzel.share(s, 0, s.length, 8000, 1000)).isCloseTo(1.0, within(0.01));
    }

    @Test
    void aDualToneHoldsBothAndDominantFindsThem() {
        // DTMF '5': 770 Hz + 1336 Hz, one 20 ms frame
        short[] s = Tones.dual(770, 1336, 8000, 8000, 160);
        double[] rows = {697, 770, 852, 941};
        double[] cols = {1209, 1336, 1477, 1633};
        assertThat(Goertzel.dominant(s, 8000, rows)).isEqualTo(770);
        assertThat(Goertzel.dominant(s, 8000, cols)).isEqualTo(1336);
        assertThat(Goertzel.share(s, 0, 160, 8000, 770)).isBetween(0.35, 0.65);
    }

    @Test
    void silenceHasNoPowerAndLoudSumsClip() {
        assertThat(Goertzel.power(new short[400], 8000, 440)).isZero();
        assertThat(Goertzel.share(new short[400], 0, 400, 8000, 440)).isZero();
        short[] loud = Tones.dual(300, 300, 30_000, 8000, 200);
        assertThat(loud).contains(Short.MAX_VALUE).contains((short) -32768);
    }

    @Test
    void blockwiseGenerationContinuesThePhase() {
        short[] whole = Tones.sine(440, 5000, 8000, 320);
        short[] parts = new short[320];
        Tones.add(parts, 0, 160, 440, 5000, 8000, 0);
        Tones.add(parts, 160, 160, 440, 5000, 8000, 160);
        assertThat(parts).isEqualTo(whole);
    }

    @Test
    void resamplingKeepsTheToneAndDropsWhatTheNewRateCannotHold() {
        short[] in = Tones.dual(440, 6000, 8000, 44_100, 44_100);
        short[] out = Resampler.resample(in, 44_100, 8000);
        assertThat(out).hasSize(8000);
        // 440 Hz survives; 6 kHz is above 4 kHz and must not alias to 2 kHz
        assertThat(Math.sqrt(Goertzel.power(out, 200, 7600, 8000, 440))).isCloseTo(8000, within(400.0));
        assertThat(Math.sqrt(Goertzel.power(out, 200, 7600, 8000, 2000))).isLessThan(200);
        short[] up = Resampler.resample(Tones.sine(440, 8000, 8000, 8000), 8000, 16_000);
        assertThat(up).hasSize(16_000);
        assertThat(Goertzel.dominant(up, 16_000, 220, 440, 880)).isEqualTo(440);
        assertThat(Resampler.resample(in, 44_100, 44_100)).isSameAs(in);
    }
}
