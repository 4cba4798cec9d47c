package org.callibry.server.recording;

/**
 * Call recording as the relay uses it: {@link #start} opens a recording of one call, the relay feeds it
 * every RTP packet of both sides, and {@link Recorder#close} ends it; a {@link RecordingFinished} event
 * follows once the file is complete. Never blocks the media path: the disk is written on the
 * recorder's own thread.
 */
public interface CallRecordings {

    /**
     * Starts recording a call; never throws. When the disk is short of space the recorder records
     * nothing and says why when closed.
     *
     * @param stereo caller left, callee right; otherwise both mixed into one channel
     */
    Recorder start(String callId, Long tenantId, String aNumber, String bNumber, boolean stereo);

    /** One call's recording, fed by the relay. */
    interface Recorder {

        /** An RTP packet's payload from {@code side} (0 caller, 1 callee), as it arrived. */
        void packet(int side, long arrivalNanos, int payloadType, byte[] buf, int offset, int length);

        /** Ends the recording; {@code error} is null or why it is incomplete. */
        void close(String error);

        /** The WAV file being written (deleted once converted to MP3). */
        java.nio.file.Path wav();
    }
}
