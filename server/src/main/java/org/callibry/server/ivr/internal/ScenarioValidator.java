package org.callibry.server.ivr.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.callibry.shared.api.dto.Ivrs;
import tools.jackson.databind.JsonNode;

/**
 * Checks a scenario document before it is saved (and for {@code ivr.validate}): every error names the
 * node (by id) and the field, so an editor can point at it. Errors: a field that cannot be read, a
 * missing or duplicate id, a next node that is missing or does not exist, a node not reachable from
 * the start, a bad regular expression, URL template, time or digit, a value out of range, a queue,
 * account or scenario that is not the tenant's. Warnings: a variable used but never set, a menu with
 * no failure branch (the caller is hung up), business hours that are never open.
 */
final class ScenarioValidator {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final Pattern DIGITS = Pattern.compile("[0-9*#A-D]*");
    static final List<String> DAYS = List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");
    static final List<String> OPS = List.of("eq", "ne", "lt", "le", "gt", "ge", "matches", "empty", "notEmpty");
    /** Variables every run has (set by the call or by nodes as they run). */
    static final Set<String> BUILT_IN = Set.of("caller", "called", "callId", "tenantId", "scenarioId", "language",
            "digit", "now", "holiday", "lastError", "lastErrorNode");

    /** What the validator asks of the tenant: does it have this queue, account, scenario? Null: not checked. */
    interface References {
        boolean queue(long id);

        boolean account(long id);

        boolean scenario(long id);
    }

    /** The document read, and what is wrong with it. */
    record Checked(Scenario scenario, Ivrs.Validation validation) {
    }

    private final List<Ivrs.Problem> errors = new ArrayList<>();
    private final List<Ivrs.Problem> warnings = new ArrayList<>();
    private final Set<String> defined = new LinkedHashSet<>(BUILT_IN);
    private final Map<String, List<String[]>> uses = new HashMap<>();
    private final References references;
    private Scenario scenario;

    private ScenarioValidator(References references) {
        this.references = references;
    }

    static Checked check(JsonNode document, References references) {
        ScenarioValidator v = new ScenarioValidator(references);
        ScenarioReader.Result read = ScenarioReader.read(document);
        v.errors.addAll(read.problems());
        v.scenario = read.scenario();
        if (document != null && document.isObject()) {
            v.checkAll(read.problems().isEmpty());
        }
        return new Checked(read.scenario(), new Ivrs.Validation(v.errors.isEmpty(), List.copyOf(v.errors), List.copyOf(v.warnings)));
    }

    private void checkAll(boolean readWhole) {
        Scenario s = scenario;
        if (s.language() != null && !IvrPrompts.LANGUAGES.contains(s.language())) {
            error(null, "language", "must be en or ru");
        }
        s.variables().forEach((k, v) -> {
            if (!Template.NAME.matcher(k).matches()) {
                error(null, "variables." + k, "is not a variable name");
            }
            defined.add(k);
            template(null, "variables." + k, v);
        });
        Set<String> ids = new LinkedHashSet<>();
        for (Scenario.Node n : s.nodes()) {
            if (n.id() == null || !ID.matcher(n.id()).matches()) {
                error(n.id(), "id", "must be 1-64 of letters, digits, _ and -");
            } else if (!ids.add(n.id())) {
                error(n.id(), "id", "is used by another node");
            }
            define(n);
        }
        if (s.start() == null || s.start().isBlank()) {
            error(null, "start", "must name the first node");
        } else if (!ids.contains(s.start())) {
            error(null, "start", "no node '" + s.start() + "'");
        }
        for (Scenario.Node n : s.nodes()) {
            n.exits().forEach((field, target) -> {
                if (!ids.contains(target)) {
                    error(n.id(), field, "no node '" + target + "'");
                }
            });
            node(n);
        }
        if (readWhole && ids.contains(s.start())) {
            reachable(s);
        }
        uses.forEach((variable, where) -> {
            if (!defined.contains(variable)) {
                for (String[] w : where) {
                    warning(w[0], w[1], "variable '" + variable + "' is never set (it is empty)");
                }
            }
        });
    }

    /** The variables a node sets. */
    private void define(Scenario.Node n) {
        switch (n) {
            case Scenario.Collect c when c.variable() != null -> defined.add(c.variable());
            case Scenario.Http h -> {
                defined.addAll(h.assign().keySet());
                if (h.statusVariable() != null) {
                    defined.add(h.statusVariable());
                }
            }
            case Scenario.SetVariables v -> defined.addAll(v.values().keySet());
            case Scenario.Lookup l -> defined.addAll(Scenario.Lookup.VARIABLES);
            case Scenario.Recording r when r.variable() != null -> defined.add(r.variable());
            default -> {
            }
        }
    }

    private void node(Scenario.Node n) {
        switch (n) {
            case Scenario.Play p -> {
                required(p.id(), "next", p.next());
                audio(p.id(), "audio", p.audio(), true);
            }
            case Scenario.Menu m -> menu(m);
            case Scenario.Collect c -> collect(c);
            case Scenario.Http h -> http(h);
            case Scenario.Condition c -> condition(c);
            case Scenario.SetVariables v -> {
                required(v.id(), "next", v.next());
                if (v.values().isEmpty()) {
                    error(v.id(), "values", "must set at least one variable");
                }
                v.values().forEach((k, t) -> {
                    variableName(v.id(), "values." + k, k);
                    template(v.id(), "values." + k, t);
                });
            }
            case Scenario.Say s -> say(s);
            case Scenario.Recording r -> {
                required(r.id(), "next", r.next());
                range(r.id(), "maxSeconds", r.maxSeconds(), 1, 600);
                digits(r.id(), "stopDigits", r.stopDigits());
                template(r.id(), "name", r.name());
                if (r.variable() != null) {
                    variableName(r.id(), "variable", r.variable());
                }
            }
            case Scenario.Queue q -> {
                required(q.id(), "error", q.error());
                if (q.queue() == null || q.queue() <= 0) {
                    error(q.id(), "queue", "must be the id of a queue");
                } else if (references != null && !references.queue(q.queue())) {
                    error(q.id(), "queue", "queue " + q.queue() + " is not a queue of the tenant");
                }
            }
            case Scenario.Transfer t -> transfer(t);
            case Scenario.Time t -> time(t);
            case Scenario.Language l -> {
                required(l.id(), "next", l.next());
                if (!IvrPrompts.LANGUAGES.contains(String.valueOf(l.language()))) {
                    error(l.id(), "language", "must be en or ru");
                }
            }
            case Scenario.Lookup l -> {
                required(l.id(), "next", l.next());
                template(l.id(), "number", l.number());
            }
            case Scenario.Hangup h -> template(h.id(), "reason", h.reason());
        }
    }

    private void menu(Scenario.Menu m) {
        audio(m.id(), "prompt", m.prompt(), false);
        audio(m.id(), "invalidPrompt", m.invalidPrompt(), false);
        audio(m.id(), "timeoutPrompt", m.timeoutPrompt(), false);
        if (m.options().isEmpty()) {
            error(m.id(), "options", "must map at least one digit to a node");
        }
        for (String digit : m.options().keySet()) {
            if (!digit.matches("[0-9*#A-D]")) {
                error(m.id(), "options." + digit, "a key is one digit: 0-9, *, # or A-D");
            }
        }
        range(m.id(), "timeoutSeconds", m.timeoutSeconds(), 1, 60);
        range(m.id(), "attempts", m.attempts(), 1, 10);
        if (m.invalid() == null && m.timeout() == null) {
            warning(m.id(), "invalid", "no invalid or timeout branch: the caller is hung up after " + m.attempts() + " attempts");
        }
    }

    private void collect(Scenario.Collect c) {
        required(c.id(), "next", c.next());
        audio(c.id(), "prompt", c.prompt(), false);
        audio(c.id(), "invalidPrompt", c.invalidPrompt(), false);
        audio(c.id(), "timeoutPrompt", c.timeoutPrompt(), false);
        if (c.variable() == null) {
            error(c.id(), "variable", "must name the variable the digits go into");
        } else {
            variableName(c.id(), "variable", c.variable());
        }
        range(c.id(), "minDigits", c.minDigits(), 0, 32);
        range(c.id(), "maxDigits", c.maxDigits(), 1, 32);
        if (c.minDigits() > c.maxDigits()) {
            error(c.id(), "minDigits", "is more than maxDigits (" + c.maxDigits() + ")");
        }
        digits(c.id(), "terminator", c.terminator());
        range(c.id(), "timeoutSeconds", c.timeoutSeconds(), 1, 60);
        range(c.id(), "interDigitSeconds", c.interDigitSeconds(), 1, 60);
        range(c.id(), "attempts", c.attempts(), 1, 10);
        regex(c.id(), "pattern", c.pattern());
    }

    private void http(Scenario.Http h) {
        required(h.id(), "next", h.next());
        required(h.id(), "error", h.error());
        if (!List.of("GET", "POST", "PUT").contains(h.method())) {
            error(h.id(), "method", "must be GET, POST or PUT");
        }
        if (h.url() == null || h.url().isBlank()) {
            error(h.id(), "url", "must be an http or https URL template");
        } else if (template(h.id(), "url", h.url())) {
            // a sample value for each variable: what is left must be an absolute http(s) URL
            Template t = Template.parse(h.url());
            Map<String, String> samples = new HashMap<>();
            t.variables().forEach(v -> samples.put(v, "1"));
            String sample = t.render(samples, Template::urlEncode);
            try {
                URI uri = new URI(sample);
                if (uri.getScheme() == null || !List.of("http", "https").contains(uri.getScheme().toLowerCase())
                        || uri.getHost() == null) {
                    error(h.id(), "url", "must be an absolute http or https URL with a host, not '" + h.url() + "'");
                }
            } catch (URISyntaxException e) {
                error(h.id(), "url", "is not a URL: " + e.getReason() + " at " + e.getIndex());
            }
        }
        h.headers().forEach((k, v) -> {
            if (!k.matches("[A-Za-z0-9-]{1,100}")) {
                error(h.id(), "headers." + k, "is not a header name");
            }
            template(h.id(), "headers." + k, v);
        });
        if (h.body() != null) {
            template(h.id(), "body", h.body());
            if ("GET".equals(h.method())) {
                error(h.id(), "body", "a GET request has no body");
            }
        }
        range(h.id(), "timeoutMillis", h.timeoutMillis(), 100, 30_000);
        h.assign().forEach((variable, path) -> {
            variableName(h.id(), "assign." + variable, variable);
            try {
                FieldPath.parse(path);
            } catch (IllegalArgumentException e) {
                error(h.id(), "assign." + variable, e.getMessage());
            }
        });
        if (h.statusVariable() != null) {
            variableName(h.id(), "statusVariable", h.statusVariable());
        }
    }

    private void condition(Scenario.Condition c) {
        required(c.id(), "otherwise", c.otherwise());
        if (c.rules().isEmpty()) {
            error(c.id(), "rules", "must have at least one rule");
        }
        for (int i = 0; i < c.rules().size(); i++) {
            Scenario.Rule r = c.rules().get(i);
            String f = "rules[" + i + "]";
            if (r == null) {
                error(c.id(), f, "must be a rule");
                continue;
            }
            required(c.id(), f + ".next", r.next());
            if (r.variable() == null) {
                error(c.id(), f + ".variable", "must name a variable");
            } else {
                variableName(c.id(), f + ".variable", r.variable());
                use(r.variable(), c.id(), f + ".variable");
            }
            if (!OPS.contains(String.valueOf(r.op()))) {
                error(c.id(), f + ".op", "must be one of " + String.join(", ", OPS));
            } else if (!r.op().equals("empty") && !r.op().equals("notEmpty") && r.value() == null) {
                error(c.id(), f + ".value", "must be given for " + r.op());
            }
            if (r.value() != null && template(c.id(), f + ".value", r.value()) && "matches".equals(r.op())
                    && Template.parse(r.value()).variables().isEmpty()) {
                regex(c.id(), f + ".value", r.value());
            }
        }
    }

    private void say(Scenario.Say s) {
        required(s.id(), "next", s.next());
        if (!Speech.KINDS.contains(String.valueOf(s.kind()))) {
            error(s.id(), "kind", "must be one of " + String.join(", ", Speech.KINDS));
            return;
        }
        if (s.value() == null || s.value().isBlank()) {
            error(s.id(), "value", "must be the value to say (a template)");
            return;
        }
        try {
            Speech.currency(s.currency());
        } catch (Speech.Unsayable e) {
            error(s.id(), "currency", e.getMessage());
        }
        try {
            Speech.gender(s.gender());
        } catch (Speech.Unsayable e) {
            error(s.id(), "gender", e.getMessage());
        }
        if (template(s.id(), "value", s.value()) && Template.parse(s.value()).variables().isEmpty()) {
            try {
                Speech.say(s.kind(), s.value(), "en", "RUB", "masculine", LocalDate.of(2000, 1, 1));
            } catch (Speech.Unsayable e) {
                error(s.id(), "value", e.getMessage());
            }
        }
    }

    private void transfer(Scenario.Transfer t) {
        required(t.id(), "error", t.error());
        range(t.id(), "ringSeconds", t.ringSeconds(), 5, 300);
        if (!List.of("account", "number", "scenario").contains(String.valueOf(t.to()))) {
            error(t.id(), "to", "must be account, number or scenario");
            return;
        }
        if (t.target() == null || t.target().isBlank()) {
            error(t.id(), "target", "must name the " + t.to());
            return;
        }
        if (!template(t.id(), "target", t.target()) || !Template.parse(t.target()).variables().isEmpty()) {
            return;
        }
        String target = t.target().strip();
        if (t.to().equals("number")) {
            if (!target.matches("\\+?[0-9*#]{1,32}")) {
                error(t.id(), "target", "a number is 1-32 of 0-9 * # (with an optional leading +)");
            }
            return;
        }
        long id;
        try {
            id = Long.parseLong(target);
        } catch (NumberFormatException e) {
            error(t.id(), "target", "must be the id of the " + t.to());
            return;
        }
        if (references != null && t.to().equals("account") && !references.account(id)) {
            error(t.id(), "target", "account " + id + " is not an account of the tenant");
        } else if (references != null && t.to().equals("scenario") && !references.scenario(id)) {
            error(t.id(), "target", "scenario " + id + " is not a scenario of the tenant");
        }
    }

    private void time(Scenario.Time t) {
        required(t.id(), "open", t.open());
        required(t.id(), "closed", t.closed());
        if (t.hours().isEmpty()) {
            warning(t.id(), "hours", "no hours: always closed");
        }
        for (int i = 0; i < t.hours().size(); i++) {
            Scenario.Hours h = t.hours().get(i);
            String f = "hours[" + i + "]";
            if (h == null) {
                error(t.id(), f, "must be days, from and to");
                continue;
            }
            if (h.days().isEmpty()) {
                error(t.id(), f + ".days", "must list days (MON-SUN)");
            }
            for (String d : h.days()) {
                if (!DAYS.contains(d)) {
                    error(t.id(), f + ".days", "'" + d + "' is not a day (MON, TUE, WED, THU, FRI, SAT, SUN)");
                }
            }
            LocalTime from = clock(t.id(), f + ".from", h.from(), false);
            LocalTime to = clock(t.id(), f + ".to", h.to(), true);
            if (from != null && to != null && !h.to().equals("24:00") && !from.isBefore(to)) {
                error(t.id(), f + ".to", "must be after from (" + h.from() + ")");
            }
        }
    }

    /** Every node reached from the start along the exits; the others are errors. */
    private void reachable(Scenario s) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(s.start());
        while (!todo.isEmpty()) {
            String id = todo.poll();
            Scenario.Node n = s.node(id);
            if (n == null || !seen.add(id)) {
                continue;
            }
            todo.addAll(n.exits().values());
        }
        for (Scenario.Node n : s.nodes()) {
            if (n.id() != null && !seen.contains(n.id())) {
                error(n.id(), "id", "is not reachable from the start node '" + s.start() + "'");
            }
        }
    }

    // ---------------------------------------------------------------- field checks

    private void required(String node, String field, String target) {
        if (target == null || target.isBlank()) {
            error(node, field, "must name the next node");
        }
    }

    private void audio(String node, String field, List<String> names, boolean required) {
        if (required && names.isEmpty()) {
            error(node, field, "must name at least one audio file");
        }
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i) == null || names.get(i).isBlank()) {
                error(node, field + "[" + i + "]", "must be an audio file name");
            } else {
                template(node, field + "[" + i + "]", names.get(i));
            }
        }
    }

    /** Parses a template and notes the variables it uses; false (with an error) when it is malformed. */
    private boolean template(String node, String field, String text) {
        if (text == null) {
            return true;
        }
        try {
            for (String v : Template.parse(text).variables()) {
                use(v, node, field);
            }
            return true;
        } catch (Template.Malformed e) {
            error(node, field, "bad template: " + e.getMessage());
            return false;
        }
    }

    private void use(String variable, String node, String field) {
        uses.computeIfAbsent(variable, k -> new ArrayList<>()).add(new String[] {node, field});
    }

    private void variableName(String node, String field, String name) {
        if (!Template.NAME.matcher(name).matches()) {
            error(node, field, "'" + name + "' is not a variable name (a letter or _, then letters, digits, _ or .)");
        }
    }

    private void regex(String node, String field, String regex) {
        if (regex == null) {
            return;
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            error(node, field, "bad regular expression: " + e.getDescription() + " at " + e.getIndex());
        }
    }

    private void digits(String node, String field, String digits) {
        if (digits != null && !DIGITS.matcher(digits).matches()) {
            error(node, field, "must be digits among 0-9, *, # and A-D");
        }
    }

    private void range(String node, String field, int value, int min, int max) {
        if (value < min || value > max) {
            error(node, field, "must be " + min + "-" + max + ", not " + value);
        }
    }

    private LocalTime clock(String node, String field, String text, boolean mayBe24) {
        if (text == null) {
            error(node, field, "must be a time HH:mm");
            return null;
        }
        if (mayBe24 && text.equals("24:00")) {
            return LocalTime.MAX;
        }
        try {
            if (!text.matches("\\d\\d:\\d\\d")) {
                throw new DateTimeParseException("not HH:mm", text, 0);
            }
            return LocalTime.parse(text);
        } catch (DateTimeParseException e) {
            error(node, field, "'" + text + "' is not a time HH:mm" + (mayBe24 ? " (or 24:00)" : ""));
            return null;
        }
    }

    private void error(String node, String field, String message) {
        errors.add(new Ivrs.Problem(node, field, message));
    }

    private void warning(String node, String field, String message) {
        warnings.add(new Ivrs.Problem(node, field, message));
    }
}
