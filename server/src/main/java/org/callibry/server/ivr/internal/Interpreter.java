package org.callibry.server.ivr.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.callibry.shared.api.dto.Calls;
import org.callibry.shared.api.dto.Ivrs;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Walks a scenario node by node against an {@link IvrPort}: the same code serves a real call (one
 * virtual thread per call) and {@code ivr.simulate}. Each node type is one method below that reads
 * like the node's description; each returns the id of the next node, or null when the walk ends.
 *
 * <p>Nothing a node meets drops the call by itself: a missing audio file, a failing or slow HTTP
 * lookup, a value that cannot be said, a queue or transfer that fails, each takes the node's error
 * branch (or, where a node has none, goes on as documented). The walk ends at a {@code hangup}, a
 * hand-off to a queue or transfer, the caller's hang-up, a missing node, or after {@value #STEP_LIMIT}
 * steps (a loop with no input). Everything is written into a {@link Ivrs.Trace}.
 */
final class Interpreter {
    static final int STEP_LIMIT = 1000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final IvrPort port;
    private final Map<String, String> variables = new LinkedHashMap<>();
    private final List<String> path = new ArrayList<>();
    private final List<String> played = new ArrayList<>();
    private final List<Ivrs.HttpCall> http = new ArrayList<>();
    private Scenario scenario;
    private String prefix = "";
    private String end;
    private String endNode;
    private String detail;

    /**
     * @param variables set before the start (caller, called, callId, ... and what a campaign passes);
     *                  the scenario's own {@code variables} come first, then these override them
     */
    Interpreter(Scenario scenario, IvrPort port, Map<String, String> variables) {
        this.scenario = scenario;
        this.port = port;
        start(scenario, variables);
    }

    private void start(Scenario s, Map<String, String> given) {
        this.variables.put("language", IvrPrompts.language(s.language()));
        s.variables().forEach((k, v) -> this.variables.put(k, render(v)));
        this.variables.putAll(given);
    }

    /** Walks from the start node to the end. */
    Ivrs.Trace run() {
        String at = scenario.start();
        int steps = 0;
        try {
            while (at != null) {
                if (++steps > STEP_LIMIT) {
                    finish("step-limit", at, "more than " + STEP_LIMIT + " steps: a loop that waits for nothing");
                    port.hangup("IVR step limit");
                    break;
                }
                Scenario.Node node = scenario.node(at);
                if (node == null) {
                    finish("error", at, "no node '" + at + "'");
                    port.hangup("IVR scenario error");
                    break;
                }
                path.add(prefix + node.id());
                at = step(node);
            }
            if (end == null) {
                finish("error", path.isEmpty() ? null : path.getLast(), "the node names no next node");
                port.hangup("IVR scenario error");
            }
        } catch (IvrPort.CallerGone gone) {
            finish("caller-hangup", path.isEmpty() ? null : path.getLast(), gone.getMessage());
        }
        return new Ivrs.Trace(List.copyOf(path), List.copyOf(played), Map.copyOf(variables), end, endNode, detail,
                List.copyOf(http));
    }

    private String step(Scenario.Node node) {
        return switch (node) {
            case Scenario.Play p -> play(p);
            case Scenario.Menu m -> menu(m);
            case Scenario.Collect c -> collect(c);
            case Scenario.Http h -> http(h);
            case Scenario.Condition c -> condition(c);
            case Scenario.SetVariables s -> set(s);
            case Scenario.Say s -> say(s);
            case Scenario.Recording r -> record(r);
            case Scenario.Queue q -> queue(q);
            case Scenario.Transfer t -> transfer(t);
            case Scenario.Time t -> time(t);
            case Scenario.Language l -> language(l);
            case Scenario.Lookup l -> lookup(l);
            case Scenario.Hangup h -> hangup(h);
        };
    }

    // ---------------------------------------------------------------- the nodes

    /** Plays its audio; a missing file takes {@code error}, else {@code next}. */
    private String play(Scenario.Play p) {
        if (!prompt(p.audio(), p.interruptible())) {
            return or(p.error(), p.next());
        }
        return p.next();
    }

    /** Prompt, one digit, an option; retries on no digit or a wrong one, then the timeout or invalid branch. */
    private String menu(Scenario.Menu m) {
        boolean timedOut = false;
        for (int attempt = 1; attempt <= m.attempts(); attempt++) {
            if (!prompt(m.prompt(), true) && m.error() != null) {
                return m.error();
            }
            Character digit = port.digit(Duration.ofSeconds(m.timeoutSeconds()));
            if (digit == null) {
                timedOut = true;
                prompt(m.timeoutPrompt(), true);
                continue;
            }
            String target = m.options().get(String.valueOf(digit));
            if (target != null) {
                variables.put("digit", String.valueOf(digit));
                return target;
            }
            timedOut = false;
            port.discardDigits();
            prompt(m.invalidPrompt(), true);
        }
        String target = timedOut ? or(m.timeout(), m.invalid()) : or(m.invalid(), m.timeout());
        if (target == null) {
            return endHere(m.id(), "hangup", timedOut ? "no input" : "no valid choice");
        }
        return target;
    }

    /** Prompt, then digits into the variable; too few or not matching the pattern is invalid; retries as a menu. */
    private String collect(Scenario.Collect c) {
        boolean timedOut = false;
        for (int attempt = 1; attempt <= c.attempts(); attempt++) {
            if (!prompt(c.prompt(), true) && c.error() != null) {
                return c.error();
            }
            StringBuilder typed = new StringBuilder();
            boolean terminated = false;
            while (typed.length() < c.maxDigits()) {
                Character d = port.digit(Duration.ofSeconds(typed.isEmpty() ? c.timeoutSeconds() : c.interDigitSeconds()));
                if (d == null) {
                    break;
                }
                if (c.terminator().indexOf(d) >= 0) {
                    terminated = true;
                    break;
                }
                typed.append(d);
            }
            if (typed.isEmpty() && !terminated) {
                timedOut = true;
                prompt(c.timeoutPrompt(), true);
                continue;
            }
            timedOut = false;
            String answer = typed.toString();
            if (answer.length() >= c.minDigits() && matches(c.pattern(), answer)) {
                variables.put(c.variable(), answer);
                return c.next();
            }
            port.discardDigits();
            prompt(c.invalidPrompt(), true);
        }
        String target = timedOut ? or(c.timeout(), c.invalid()) : or(c.invalid(), c.timeout());
        if (target == null) {
            return endHere(c.id(), "hangup", timedOut ? "no input" : "no valid answer");
        }
        return target;
    }

    /** The request; a 2xx answer's fields into variables; a timeout, a failure, another status or a missing field: the branches. */
    private String http(Scenario.Http h) {
        String url = Template.parse(h.url()).render(variables, Template::urlEncode);
        Map<String, String> headers = new LinkedHashMap<>();
        h.headers().forEach((k, v) -> headers.put(k, render(v)));
        String body = h.body() == null ? null : render(h.body());
        IvrPort.HttpResponse answer;
        try {
            answer = port.http(new IvrPort.HttpRequest(h.id(), h.method(), url, headers, body,
                    Duration.ofMillis(h.timeoutMillis())));
        } catch (IvrPort.Failed f) {
            http.add(new Ivrs.HttpCall(h.id(), h.method(), url, 0, f.millis, (f.timeout ? "timeout: " : "error: ") + f.getMessage()));
            return f.timeout ? or(h.timeout(), h.error()) : h.error();
        }
        if (h.statusVariable() != null) {
            variables.put(h.statusVariable(), Integer.toString(answer.status()));
        }
        if (answer.status() < 200 || answer.status() > 299) {
            http.add(new Ivrs.HttpCall(h.id(), h.method(), url, answer.status(), answer.millis(), "error: status " + answer.status()));
            return h.error();
        }
        if (!h.assign().isEmpty()) {
            JsonNode json;
            try {
                json = JSON.readTree(answer.body() == null ? "" : answer.body());
            } catch (JacksonException e) {
                http.add(new Ivrs.HttpCall(h.id(), h.method(), url, answer.status(), answer.millis(), "error: the answer is not JSON"));
                return h.error();
            }
            for (Map.Entry<String, String> a : h.assign().entrySet()) {
                Optional<String> value = FieldPath.parse(a.getValue()).text(json);
                if (value.isEmpty()) {
                    http.add(new Ivrs.HttpCall(h.id(), h.method(), url, answer.status(), answer.millis(),
                            "error: no field " + a.getValue()));
                    return h.error();
                }
                variables.put(a.getKey(), value.get());
            }
        }
        http.add(new Ivrs.HttpCall(h.id(), h.method(), url, answer.status(), answer.millis(), "ok"));
        return h.next();
    }

    /** The caller's card into variables; nobody known, or a lookup that failed, goes to {@code notFound}. */
    private String lookup(Scenario.Lookup l) {
        String number = render(l.number());
        Optional<Calls.CallerCard> card;
        try {
            card = number.isBlank() ? Optional.empty() : port.callerCard(number);
        } catch (IvrPort.Failed f) {
            note(l.id(), "caller lookup failed: " + f.getMessage());
            card = Optional.empty();
        }
        Calls.CallerCard c = card.orElse(null);
        variables.put("callerName", c == null || c.name() == null ? "" : c.name());
        variables.put("callerCompany", c == null || c.company() == null ? "" : c.company());
        variables.put("callerNotes", c == null || c.notes() == null ? "" : c.notes());
        variables.put("callerSource", c == null || c.source() == null ? "" : c.source());
        return c == null ? or(l.notFound(), l.next()) : l.next();
    }

    /** The first rule that holds, else {@code otherwise}. */
    private String condition(Scenario.Condition c) {
        for (Scenario.Rule r : c.rules()) {
            if (holds(r)) {
                return r.next();
            }
        }
        return c.otherwise();
    }

    private String set(Scenario.SetVariables s) {
        s.values().forEach((k, v) -> variables.put(k, render(v)));
        return s.next();
    }

    /** Says the value in the current language; a value that cannot be said (or a missing prompt) takes {@code error}, else {@code next}. */
    private String say(Scenario.Say s) {
        String language = variables.get("language");
        String value = render(s.value());
        List<String> keys;
        try {
            LocalDate today = port.now().atZone(port.zone()).toLocalDate();
            keys = Speech.say(s.kind(), value, language, s.currency(), s.gender(), today);
        } catch (Speech.Unsayable e) {
            note(s.id(), "cannot say " + s.kind() + " '" + value + "': " + e.getMessage());
            return or(s.error(), s.next());
        }
        List<IvrPort.Prompt> prompts = keys.stream().map(k -> IvrPort.Prompt.said(k, IvrPrompts.text(language, k))).toList();
        try {
            port.play(language, prompts, false);
        } catch (IvrPort.MissingAudio e) {
            note(s.id(), "no prompt " + e.getMessage());
            return or(s.error(), s.next());
        }
        played.add(String.join(" ", prompts.stream().map(IvrPort.Prompt::text).toList()));
        return s.next();
    }

    /** A beep, then the caller's message into the audio library; its id into the variable. */
    private String record(Scenario.Recording r) {
        if (r.beep()) {
            prompt(List.of("beep"), false);
        }
        try {
            IvrPort.Recorded rec = port.record(render(r.name()), Duration.ofSeconds(r.maxSeconds()), r.stopDigits());
            if (r.variable() != null) {
                variables.put(r.variable(), Long.toString(rec.audioFileId()));
            }
            return r.next();
        } catch (IvrPort.Failed f) {
            note(r.id(), "recording failed: " + f.getMessage());
            return or(r.error(), r.next());
        }
    }

    private String queue(Scenario.Queue q) {
        try {
            String how = port.queue(q.queue());
            return endHere(q.id(), "queue", "queue " + q.queue() + ": " + how);
        } catch (IvrPort.Failed f) {
            note(q.id(), "queue " + q.queue() + " failed: " + f.getMessage());
            return q.error();
        }
    }

    /** To an account or a number: a call bridged to the caller; to a scenario: the walk goes on at its start. */
    private String transfer(Scenario.Transfer t) {
        String target = render(t.target()).strip();
        try {
            switch (t.to()) {
                case "scenario" -> {
                    IvrPort.Loaded next = parseId(target).flatMap(port::scenario)
                            .orElseThrow(() -> new IvrPort.Failed("no scenario " + target, false, 0));
                    scenario = next.scenario();
                    prefix = next.id() + "/";
                    start(next.scenario(), Map.of());
                    return next.scenario().start();
                }
                case "account" -> {
                    String number = parseId(target).flatMap(port::accountNumber)
                            .orElseThrow(() -> new IvrPort.Failed("no account " + target, false, 0));
                    return endHere(t.id(), "transfer", "account " + target + " (" + number + "): "
                            + port.transfer(number, Duration.ofSeconds(t.ringSeconds())));
                }
                default -> {
                    return endHere(t.id(), "transfer", "number " + target + ": "
                            + port.transfer(target, Duration.ofSeconds(t.ringSeconds())));
                }
            }
        } catch (IvrPort.Failed f) {
            note(t.id(), "transfer to " + t.to() + " " + target + " failed: " + f.getMessage());
            return t.error();
        }
    }

    /** A holiday first (when the node obeys holidays), then the hours, in the tenant's time zone. */
    private String time(Scenario.Time t) {
        ZonedDateTime now = port.now().atZone(port.zone());
        variables.put("now", now.toLocalDateTime().withNano(0).toString());
        if (t.holidays()) {
            Optional<String> holiday = port.holiday(now.toLocalDate());
            if (holiday.isPresent()) {
                variables.put("holiday", holiday.get());
                return or(t.holiday(), t.closed());
            }
        }
        String day = now.getDayOfWeek().name().substring(0, 3);
        LocalTime time = now.toLocalTime();
        for (Scenario.Hours h : t.hours()) {
            if (h.days().contains(day) && !time.isBefore(LocalTime.parse(h.from()))
                    && (h.to().equals("24:00") || time.isBefore(LocalTime.parse(h.to())))) {
                return t.open();
            }
        }
        return t.closed();
    }

    private String language(Scenario.Language l) {
        variables.put("language", IvrPrompts.language(l.language()));
        return l.next();
    }

    private String hangup(Scenario.Hangup h) {
        String reason = h.reason() == null ? "IVR hangup" : render(h.reason());
        port.hangup(reason);
        return endHere(h.id(), "hangup", reason);
    }

    // ---------------------------------------------------------------- helpers

    /** Plays named audio; false (and a note) when a file is missing, in which case nothing was played. */
    private boolean prompt(List<String> names, boolean interruptible) {
        if (names.isEmpty()) {
            return true;
        }
        List<IvrPort.Prompt> prompts = names.stream().map(n -> IvrPort.Prompt.audio(render(n))).toList();
        try {
            port.play(variables.get("language"), prompts, interruptible);
        } catch (IvrPort.MissingAudio e) {
            note(path.isEmpty() ? null : path.getLast(), "missing audio file '" + e.getMessage() + "'");
            return false;
        }
        prompts.forEach(p -> played.add(p.name()));
        return true;
    }

    private boolean holds(Scenario.Rule r) {
        String left = variables.getOrDefault(r.variable(), "");
        String right = r.value() == null ? "" : render(r.value());
        return switch (r.op()) {
            case "empty" -> left.isEmpty();
            case "notEmpty" -> !left.isEmpty();
            case "matches" -> matches(right, left);
            case "eq" -> compare(left, right) == 0;
            case "ne" -> compare(left, right) != 0;
            case "lt" -> compare(left, right) < 0;
            case "le" -> compare(left, right) <= 0;
            case "gt" -> compare(left, right) > 0;
            case "ge" -> compare(left, right) >= 0;
            default -> false;
        };
    }

    /** As numbers when both are numbers, else as text. */
    static int compare(String a, String b) {
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        if (x != null && y != null) {
            return x.compareTo(y);
        }
        return a.compareTo(b);
    }

    private static BigDecimal number(String s) {
        try {
            return new BigDecimal(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Longest value a scenario's pattern is matched against: a caller's digits or a lookup's field, not documents. */
    static final int MAX_MATCHED = 256;

    private static boolean matches(String regex, String value) {
        if (regex == null || regex.isEmpty()) {
            return true;
        }
        if (value.length() > MAX_MATCHED) {
            return false; // a tenant's pattern with nested repetition must not spin on a long value
        }
        try {
            return Pattern.compile(regex).matcher(value).matches();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    private static Optional<Long> parseId(String s) {
        try {
            return Optional.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private String render(String template) {
        return template == null ? "" : Template.parse(template).render(variables);
    }

    private String endHere(String node, String reason, String why) {
        finish(reason, prefix + node, why);
        return null;
    }

    private void finish(String reason, String node, String why) {
        if (end == null) {
            end = reason;
            endNode = node;
            detail = why;
        }
    }

    /** A problem met on the way (kept in the detail when nothing ends the walk with a reason of its own). */
    private void note(String node, String what) {
        variables.put("lastError", what);
        variables.put("lastErrorNode", node == null ? "" : node.startsWith(prefix) ? node : prefix + node);
    }

    private static String or(String a, String b) {
        return a != null ? a : b;
    }
}
