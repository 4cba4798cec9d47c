/**
 * Call recording: recorders fed by the relay (WAV, mono or stereo), conversion to MP3, the catalogue, retention and seekable downloads. See {@code docs/modules/recording.md}.
 */
package org.callibry.server.recording;
