package org.callibry.server.ivr.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.callibry.shared.api.dto.Calls;
import tools.jackson.databind.JsonNode;

/**
 * The line of {@code ivr.simulate}: the caller types {@code digits} in order ({@code -} is a wait that
 * times out; once they are used up every wait times out), each {@code http} node gets its canned
 * answer (by node id: one answer, or a list for successive requests), audio is looked up as on a call
 * (a missing file takes the error branch), a recording stores nothing, and queues and transfers are
 * taken as answered. The clock starts at the given moment and moves on by every timeout, answer delay
 * and recording, so time nodes see it.
 */
final class SimulationPort implements IvrPort {

    /** What the simulation needs of the tenant: audio, accounts, scenarios, zone and holidays. */
    record Tenant(java.util.function.BiPredicate<String, String> audioExists, LongFunction<Optional<String>> accountNumber,
                  LongFunction<Optional<Loaded>> scenario, ZoneId zone, Function<LocalDate, Optional<String>> holiday,
                  Function<String, Optional<Calls.CallerCard>> card) {
    }

    private final String digits;
    private int next;
    private final Map<String, JsonNode> answers;
    private final Map<String, Integer> asked = new HashMap<>();
    private final Tenant tenant;
    private Instant now;

    SimulationPort(String digits, Map<String, JsonNode> answers, Instant start, Tenant tenant) {
        this.digits = digits == null ? "" : digits;
        this.answers = answers == null ? Map.of() : answers;
        this.now = start;
        this.tenant = tenant;
    }

    @Override
    public void play(String language, List<Prompt> prompts, boolean interruptible) throws MissingAudio {
        for (Prompt p : prompts) {
            if (!p.said() && !tenant.audioExists().test(language, p.name())) {
                throw new MissingAudio(p.name());
            }
        }
    }

    @Override
    public Character digit(Duration timeout) {
        if (next < digits.length()) {
            char c = digits.charAt(next++);
            if (c != '-') {
                return c;
            }
        }
        now = now.plus(timeout);
        return null;
    }

    @Override
    public void discardDigits() {
        // what the simulated caller typed is its answers in order: none is typed ahead to discard
    }

    @Override
    public HttpResponse http(HttpRequest request) throws Failed {
        JsonNode given = answers.get(request.node());
        if (given == null) {
            throw new Failed("no answer for node '" + request.node() + "' in httpAnswers", false, 0);
        }
        int n = asked.merge(request.node(), 1, Integer::sum);
        JsonNode answer = given;
        if (given.isArray()) {
            if (given.isEmpty()) {
                throw new Failed("no answer for node '" + request.node() + "' in httpAnswers", false, 0);
            }
            answer = given.get(Math.min(n, given.size()) - 1);
        }
        long millis = answer.has("millis") ? answer.get("millis").asLong() : 0;
        String failure = answer.has("failure") ? answer.get("failure").asString() : null;
        if ("timeout".equals(failure) || millis > request.timeout().toMillis()) {
            now = now.plus(request.timeout());
            throw new Failed("no answer within " + request.timeout().toMillis() + " ms", true, request.timeout().toMillis());
        }
        now = now.plusMillis(millis);
        if (failure != null) {
            throw new Failed("connection failed (simulated)", false, millis);
        }
        int status = answer.has("status") ? answer.get("status").asInt() : 200;
        JsonNode body = answer.get("body");
        String text = body == null || body.isNull() ? "" : body.isString() ? body.asString() : body.toString();
        return new HttpResponse(status, text, millis);
    }

    @Override
    public Recorded record(String name, Duration max, String stopDigits) {
        now = now.plus(max);
        return new Recorded(0, name, max.toMillis());
    }

    @Override
    public String queue(long queueId) {
        return "handed over (simulated)";
    }

    @Override
    public String transfer(String number, Duration ring) {
        return "connected (simulated)";
    }

    @Override
    public Optional<String> accountNumber(long accountId) {
        return tenant.accountNumber().apply(accountId);
    }

    @Override
    public Optional<Loaded> scenario(long id) {
        return tenant.scenario().apply(id);
    }

    @Override
    public void hangup(String reason) {
        // nothing to hang up
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public ZoneId zone() {
        return tenant.zone();
    }

    @Override
    public Optional<String> holiday(LocalDate date) {
        return tenant.holiday().apply(date);
    }

    /** The tenant's real lookup: it only reads. */
    @Override
    public Optional<Calls.CallerCard> callerCard(String number) throws Failed {
        try {
            return tenant.card().apply(number);
        } catch (RuntimeException e) {
            throw new Failed(e.getMessage() == null ? e.toString() : e.getMessage(), false, 0);
        }
    }
}
