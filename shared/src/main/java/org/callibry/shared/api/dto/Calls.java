package org.callibry.shared.api.dto;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/** Calls in progress and the supervisor's actions on them; caller information for the operator. */
public final class Calls {
    private Calls() {
    }

    /**
     * A call in progress.
     *
     * @param id      the call id shared by all its legs (as in detail records and events)
     * @param caller  the A-number
     * @param called  the number dialled
     * @param queueId the queue the call is in or came through, or null
     * @param agent   the agent's account number when an agent took it, or null
     * @param state   {@code WAITING}, {@code RINGING} (offered to an agent) or {@code ANSWERED}
     */
    public record Call(String id, Long tenantId, String caller, String called, Long queueId, String queueName,
                       Long agentAccountId, String agent, String state, Instant since) {
    }

    public record ListParams(@Positive Long tenantId) {
    }

    /** {@code call.transfer}: reassign an answered queue call to an account number or any number. */
    public record Transfer(@NotBlank String id, @NotBlank @Size(max = 64) String destination) {
    }

    /** {@code call.offered}: pushed to the agent's user when a queue offers it a call. */
    public record Offered(String callId, long accountId, String caller, long queueId, String queueName, long waitSeconds,
                          Instant at) {
    }

    public record CallerInfoParams(@NotNull @NotBlank @Size(max = 64) String number) {
    }

    /** A past call of the number (from the detail records). */
    public record PastCall(String callId, Instant startedAt, String aNumber, String bNumber, String disposition,
                           long durationSeconds, String reason) {
    }

    /**
     * {@code caller.info}: the contact with that number, if any, its last calls (newest first), and the
     * card to show: from the tenant's CRM lookup when it knows the number, else from the contact.
     */
    public record CallerInfo(String number, Contacts.Contact contact, List<PastCall> lastCalls, CallerCard card) {

        /** Without a CRM: the card is the contact's. */
        public CallerInfo(String number, Contacts.Contact contact, List<PastCall> lastCalls) {
            this(number, contact, lastCalls, CallerCard.of(contact));
        }
    }

    /** Who is calling, as the operator's call card shows it; {@code source} is {@code crm} or {@code contact}. */
    public record CallerCard(String name, String company, String notes, String source) {
        public static final String CRM = "crm";
        public static final String CONTACT = "contact";

        /** The card of a contact, or null without one. */
        public static CallerCard of(Contacts.Contact contact) {
            return contact == null ? null : new CallerCard(contact.name(), contact.company(), contact.note(), CONTACT);
        }
    }

    /** How a supervisor joins an answered call: hears both parties; also speaks to the agent; or to both. */
    public enum ListenMode { LISTEN, WHISPER, BARGE }

    /**
     * {@code call.listen}: the supervisor's phone ({@code accountId}) is called and joins call {@code id} in
     * {@code mode}; the same supervisor again on the same call changes the mode.
     */
    public record Listen(@NotBlank String id, @NotNull @Positive Long accountId, @NotNull ListenMode mode) {
    }
}
