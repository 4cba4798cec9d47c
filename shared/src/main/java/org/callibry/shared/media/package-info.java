/**
 * Audio primitives shared by the server and the desktop apps: G.711 codecs, RFC 4733 telephone
 * events, streaming WAV files, tone generation and Goertzel tone detection. Plain Java, no Spring,
 * no JavaFX.
 */
package org.callibry.shared.media;
