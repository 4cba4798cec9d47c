package org.callibry.server.recording;

import java.util.Collection;
import java.util.Map;

/** Which calls have a recording: for call records and call logs that link to theirs. */
public interface RecordingIndex {

    /**
     * The id of each call's latest usable recording (converting or ready, not failed), by Call-ID; calls
     * without one are absent. One indexed query for the whole collection.
     */
    Map<String, Long> latestByCall(Collection<String> callIds);
}
