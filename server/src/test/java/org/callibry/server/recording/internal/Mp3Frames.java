package org.callibry.server.recording.internal;

/**
 * Reads MPEG audio frame headers (ISO/IEC 11172-3 §2.4.2.3, 13818-3, and the unofficial MPEG 2.5) of
 * a layer III stream to count frames and so measure its duration without decoding it.
 */
public final class Mp3Frames {
    private static final int[] BITRATE_V1 = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
    private static final int[] BITRATE_V2 = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160};
    private static final int[][] RATES = {{11025, 12000, 8000}, {0, 0, 0}, {22050, 24000, 16000}, {44100, 48000, 32000}};

    private Mp3Frames() {
    }

    /** What the frames say: the last frame's rate and mode, the number of frames and the samples they hold. */
    public record Info(int frames, long samples, int sampleRate, int channels, int bitrateKbps) {
        public long durationMillis() {
            return sampleRate == 0 ? 0 : samples * 1000 / sampleRate;
        }
    }

    public static Info scan(byte[] mp3) {
        int pos = 0;
        if (mp3.length >= 10 && mp3[0] == 'I' && mp3[1] == 'D' && mp3[2] == '3') {
            pos = 10 + ((mp3[6] & 0x7F) << 21 | (mp3[7] & 0x7F) << 14 | (mp3[8] & 0x7F) << 7 | (mp3[9] & 0x7F));
        }
        int frames = 0;
        long samples = 0;
        int rate = 0;
        int channels = 0;
        int kbps = 0;
        while (pos + 4 <= mp3.length) {
            int h = (mp3[pos] & 0xFF) << 24 | (mp3[pos + 1] & 0xFF) << 16 | (mp3[pos + 2] & 0xFF) << 8 | (mp3[pos + 3] & 0xFF);
            int version = (h >>> 19) & 3;
            int layer = (h >>> 17) & 3;
            int bitrateIndex = (h >>> 12) & 15;
            int rateIndex = (h >>> 10) & 3;
            if ((h >>> 21) != 0x7FF || version == 1 || layer != 1 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
                throw new IllegalArgumentException("no layer III frame header at byte " + pos);
            }
            boolean v1 = version == 3;
            kbps = (v1 ? BITRATE_V1 : BITRATE_V2)[bitrateIndex];
            rate = RATES[version][rateIndex];
            int padding = (h >>> 9) & 1;
            channels = ((h >>> 6) & 3) == 3 ? 1 : 2;
            int length = (v1 ? 144 : 72) * kbps * 1000 / rate + padding;
            frames++;
            samples += v1 ? 1152 : 576;
            pos += length;
        }
        return new Info(frames, samples, rate, channels, kbps);
    }
}
