package org.callibry.shared.api.dto;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * IVR scenarios: a scenario is a JSON document of nodes ({@code play}, {@code menu}, {@code collect},
 * {@code http}, ...; its JSON Schema is {@code ivr/scenario.schema.json} and
 * {@code docs/modules/ivr.md}). Every save is a new version; calls run the latest. A scenario's
 * {@code number} is dialable by its tenant's accounts like an extension; routes of destination type
 * {@code IVR} name the scenario by id.
 */
public final class Ivrs {
    private Ivrs() {
    }

    /** A scenario number: digits (and {@code * #}), 1-32 characters, like a queue's. */
    public static final String NUMBER_PATTERN = "^[0-9*#]{1,32}$";
    /** Digits a simulation types: 0-9 * # A-D, and {@code -} for a wait that times out. */
    public static final String SIMULATED_DIGITS_PATTERN = "^[0-9*#A-D-]{0,200}$";

    /**
     * One scenario at its latest version.
     *
     * @param number   dialled by the tenant's accounts without a route; null when it has none
     * @param version  1 for the first save, one more on each update
     * @param scenario the scenario document (start node, language, variables, nodes)
     */
    public record Ivr(long id, long tenantId, String name, String number, int version, JsonNode scenario,
                      Instant createdAt, Instant updatedAt) {
    }

    /** A new scenario; {@code tenantId} defaults to the caller's tenant. Refused when the document has errors. */
    public record Create(@Positive Long tenantId, @NotBlank @Size(max = 100) String name,
                         @Pattern(regexp = NUMBER_PATTERN, message = "must be 1-32 of 0-9 * #") String number,
                         @NotNull JsonNode scenario) {
    }

    /**
     * A change: null fields keep their value; a new {@code scenario} (or name or number) is saved as a
     * new version. {@code clearNumber} removes the number.
     */
    public record Update(@NotNull @Positive Long id, @Size(min = 1, max = 100) String name,
                         @Pattern(regexp = NUMBER_PATTERN, message = "must be 1-32 of 0-9 * #") String number,
                         Boolean clearNumber, JsonNode scenario) {
    }

    public record ListParams(@Positive Long tenantId) {
    }

    /** {@code ivr.versions}: the saved versions of a scenario, newest first. */
    public record VersionsParams(@NotNull @Positive Long id) {
    }

    public record Version(int version, String name, String number, JsonNode scenario, Instant savedAt, String savedBy) {
    }

    /**
     * {@code ivr.validate}: checks a document without saving it. With {@code tenantId} (default: the
     * caller's) the references (queues, accounts, scenarios) are checked against that tenant too.
     */
    public record ValidateParams(@Positive Long tenantId, @NotNull JsonNode scenario) {
    }

    /** One finding: the node ({@code null} for the document itself), the field and what is wrong. */
    public record Problem(String node, String field, String message) {
    }

    /** Errors refuse a save; warnings (an unknown variable, ...) do not. */
    public record Validation(boolean valid, List<Problem> errors, List<Problem> warnings) {
    }

    /**
     * A canned answer of an {@code http} node in a simulation.
     *
     * @param status  the HTTP status (200 when null)
     * @param body    the response body (JSON text, or any JSON value)
     * @param millis  how long the answer takes; over the node's timeout it is a timeout
     * @param failure {@code timeout} or {@code error} (connection refused, ...): no answer at all
     */
    public record HttpAnswer(@Min(100) @Max(599) Integer status, JsonNode body, @Min(0) @Max(600_000) Long millis,
                             @Pattern(regexp = "^(timeout|error)$", message = "must be timeout or error") String failure) {
    }

    /**
     * {@code ivr.simulate}: walks scenario {@code id} (its latest version) without a call.
     *
     * @param digits      what the caller types, in order; {@code -} is a wait that times out; once they are
     *                    used up every further wait times out
     * @param httpAnswers by {@code http} node id: its answer, or a list of answers for successive calls
     * @param caller      the caller's number ({@code caller} variable); default {@code 1000}
     * @param at          the moment the call starts (time nodes); default now
     * @param variables   variables set before the start (e.g. what a campaign passes)
     */
    public record SimulateParams(@NotNull @Positive Long id,
                                 @Pattern(regexp = SIMULATED_DIGITS_PATTERN, message = "must be 0-9 * # A-D or -") String digits,
                                 Map<String, JsonNode> httpAnswers,
                                 @Size(max = 32) String caller,
                                 Instant at,
                                 @Size(max = 100) Map<String, String> variables) {

        public SimulateParams(Long id, String digits, Map<String, JsonNode> httpAnswers) {
            this(id, digits, httpAnswers, null, null, null);
        }
    }

    /** An HTTP request of a run: the node, what was asked, the status (0 without an answer), how long, and how it went. */
    public record HttpCall(String node, String method, String url, int status, long millis, String outcome) {
    }

    /**
     * What a walk through a scenario did: the node ids in order, the audio names played and the texts
     * said, the variables at the end, the HTTP requests, and why it ended ({@code hangup},
     * {@code caller-hangup}, {@code queue}, {@code transfer}, {@code error}, {@code step-limit}) at which
     * node, with details.
     */
    public record Trace(List<String> path, List<String> played, Map<String, String> variables, String end,
                        String endNode, String detail, List<HttpCall> http) {
    }

    /** {@code ivr.runs}: the traces of real calls, by call id or by scenario (newest first). */
    public record RunsParams(@Size(max = 200) String callId, @Positive Long id, @Min(1) @Max(200) Integer limit) {
    }

    /** One call through a scenario: which version ran, when, and its trace. */
    public record Run(long id, String callId, long scenarioId, int version, long tenantId, String caller,
                      Instant startedAt, Instant endedAt, Trace trace) {
    }
}
