package org.callibry.shared.api.dto;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * What operators write about calls on the console: notes with an optional wrap-up code (the operator's
 * outcome of the call, from the tenant's list; not the CDR's {@code disposition}, which is the SIP
 * outcome), the tenant's wrap-up codes, the script shown for each queue, and messages from supervisors.
 */
public final class CallNotes {
    private CallNotes() {
    }

    /** A tenant's wrap-up code: {@code code} is stored with notes, {@code label} is what operators see. */
    public record WrapupCode(long id, long tenantId, String code, String label, boolean enabled, Instant updatedAt) {
    }

    public record WrapupCreate(@Positive Long tenantId,
                               @NotBlank @Size(max = 40) @Pattern(regexp = "[A-Za-z0-9_.-]+") String code,
                               @NotBlank @Size(max = 100) String label, Boolean enabled) {
    }

    /** Absent fields keep their value. */
    public record WrapupUpdate(@NotNull @Positive Long id, @Size(min = 1, max = 100) String label, Boolean enabled) {
    }

    /** {@code enabledOnly}: what the console offers (the enabled codes). */
    public record WrapupList(@Positive Long tenantId, Boolean enabledOnly) {
    }

    /**
     * A note on a call.
     *
     * @param callId      the call's id shared by all its legs (CDRs, recordings), so it follows transfers
     * @param wrapupCode  the wrap-up code chosen, or null
     * @param wrapupLabel its label as the tenant's list has it now (null when the code was deleted since)
     */
    public record Note(long id, long tenantId, String callId, long userId, String username, String wrapupCode,
                       String wrapupLabel, String text, Instant createdAt, Instant updatedAt) {
    }

    /** {@code callNote.add}: a note on a call of the operator's tenant; text or a wrap-up code (or both). */
    public record NoteAdd(@NotBlank @Size(max = 200) String callId, @Size(max = 40) String wrapupCode,
                          @Size(max = 4000) String text) {
    }

    /** {@code callNote.update}: absent fields keep their value; {@code ""} removes the wrap-up code. */
    public record NoteUpdate(@NotNull @Positive Long id, @Size(max = 40) String wrapupCode, @Size(max = 4000) String text) {
    }

    public record NoteList(@NotBlank @Size(max = 200) String callId) {
    }

    /** The notes of one call, oldest first. */
    public record Notes(String callId, List<Note> items) {
    }

    /** The params of the {@code callNote.changed} notification: {@code action} created, updated or deleted. */
    public record NoteChanged(String callId, String action, long id, Note note) {
    }

    /** The script of a queue; {@code text} is empty when none is set. */
    public record QueueScript(long queueId, long tenantId, String queueName, String text, String updatedBy, Instant updatedAt) {
    }

    /** {@code queueScript.get}: by id, or by name in the caller's tenant (what the INVITE's X-Callibry-Queue carries). */
    public record QueueScriptGet(@Positive Long queueId, @Size(max = 200) String queueName, @Positive Long tenantId) {
    }

    public record QueueScriptSet(@NotNull @Positive Long queueId, @NotNull @Size(max = 20_000) String text) {
    }

    /** {@code operator.message}: a supervisor's message to one operator, named by user id or by its SIP account. */
    public record OperatorMessage(@Positive Long userId, @Positive Long accountId, @NotBlank @Size(max = 1000) String text) {
    }

    /** The params of the {@code operator.message} notification the operator's console shows. */
    public record MessagePushed(String from, String text, Instant sentAt) {
    }

    /** What {@code operator.message} answers: the operator it was pushed to (its open consoles show it; nothing is stored). */
    public record MessageSent(long userId, String username) {
    }
}
