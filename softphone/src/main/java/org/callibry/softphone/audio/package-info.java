/**
 * The softphone's media plane without any UI: 20 ms audio frames ({@link org.callibry.softphone.audio.AudioSource},
 * {@link org.callibry.softphone.audio.AudioSink}), sound devices, ring tones, and the RTP session that carries a
 * call's audio (G.711, RFC 4733 DTMF, adaptive jitter buffer, RTCP sender reports).
 */
package org.callibry.softphone.audio;
