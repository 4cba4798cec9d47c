package org.callibry.server.relay.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.callibry.shared.media.Goertzel;
import org.junit.jupiter.api.Test;

/** The generated music on hold: length, level, no clipping, silent ends for looping, the chords where they belong. */
class DefaultMusicTest {

    @Test
    void isThirtySecondsOfAudibleUnclippedMusicThatLoopsCleanly() {
        short[] s = DefaultMusic.samples();
        assertThat(s).hasSize(30 * 8000);
        assertThat(DefaultMusic.samples()).isEqualTo(s).isNotSameAs(s);
        int peak = 0;
        double sumSquares = 0;
        for (short v : s) {
            peak = Math.max(peak, Math.abs(v));
            sumSquares += (double) v * v;
        }
        double rms = Math.sqrt(sumSquares / s.length);
        assertThat(peak).isLessThan(32_000);
        assertThat(rms).isBetween(1000.0, 8000.0);
        assertThat(Math.abs(s[0])).isLessThan(10);
        assertThat(Math.abs(s[s.length - 1])).isLessThan(10);
    }

    @Test
    void playsTheChordProgression() {
        short[] s = DefaultMusic.samples();
        int chord = s.length / 8;
        // the middle second of the first chord (C major) holds E4, the second (A minor) A3 rather than G4
        int c = chord + 0;
        assertThat(Goertzel.power(s, chord / 2 - 4000, 8000, 8000, 329.63))
                .isGreaterThan(20 * Goertzel.power(s, chord / 2 - 4000, 8000, 8000, 311.13));
        assertThat(Goertzel.power(s, c + chord / 2 - 4000, 8000, 8000, 220.0))
                .isGreaterThan(20 * Goertzel.power(s, c + chord / 2 - 4000, 8000, 8000, 392.0));
    }
}
