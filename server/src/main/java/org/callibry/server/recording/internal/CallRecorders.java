package org.callibry.server.recording.internal;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.callibry.server.recording.CallRecordings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Starts call recordings for the relay: {@link #start} names the file, checks the disk and returns
 * the {@link CallRecorder} the relay feeds. Each recording is {@code <dir>/<tenant>/<time>-<uuid>.wav}
 * with a {@code .properties} side file (written by the recorder's thread) holding the call's metadata, so a WAV left by a crash can still
 * be catalogued at the next start.
 */
@Component
class CallRecorders implements CallRecordings {
    private static final Logger log = LoggerFactory.getLogger(CallRecorders.class);
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final RecordingProperties properties;
    private final ApplicationEventPublisher events;
    private final RecordingDisk disk;

    CallRecorders(RecordingProperties properties, ApplicationEventPublisher events, RecordingDisk disk) {
        this.properties = properties;
        this.events = events;
        this.disk = disk;
    }

    /**
     * Starts recording a call; never throws and never blocks on the disk (the file is created by the
     * recorder's own thread). When the disk is short of space the recorder records nothing and reports
     * why when closed.
     *
     * @param stereo caller left, callee right; otherwise both mixed into one channel
     */
    @Override
    public CallRecorder start(String callId, Long tenantId, String aNumber, String bNumber, boolean stereo) {
        CallRecorder.Call call = new CallRecorder.Call(callId, tenantId, aNumber, bNumber);
        Path wav = properties.dir().toAbsolutePath().resolve(tenantId == null ? "0" : tenantId.toString())
                .resolve(LocalDateTime.now(ZoneOffset.UTC).format(NAME) + "-" + UUID.randomUUID() + ".wav");
        String refused = disk.lowSpace();
        if (refused != null) {
            log.warn("Call {} is not recorded: {}", callId, refused);
        }
        return new CallRecorder(wav, stereo, call, events::publishEvent, refused);
    }
}
