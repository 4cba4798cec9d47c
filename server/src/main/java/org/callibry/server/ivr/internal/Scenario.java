package org.callibry.server.ivr.internal;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An IVR scenario as data: the start node, the language prompts start in, variables set before the
 * start, and the nodes, each with an {@code id} and a {@code type}. Read from its JSON document by
 * {@link ScenarioReader}, checked by {@link ScenarioValidator}, walked by {@link Interpreter}. Absent
 * optional fields take their defaults here, so the rest of the module never sees a null list, map
 * or number. The JSON Schema of the document is {@code /ivr/scenario.schema.json}.
 */
record Scenario(String start, String language, Map<String, String> variables, List<Node> nodes) {

    Scenario {
        language = language == null ? "en" : language;
        variables = variables == null ? Map.of() : new LinkedHashMap<>(variables);
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    /** The node with {@code id}, or null. */
    Node node(String id) {
        for (Node n : nodes) {
            if (n.id() != null && n.id().equals(id)) {
                return n;
            }
        }
        return null;
    }

    /** One step of a scenario; the {@code type} property of its JSON object picks the record. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Play.class, name = "play"),
            @JsonSubTypes.Type(value = Menu.class, name = "menu"),
            @JsonSubTypes.Type(value = Collect.class, name = "collect"),
            @JsonSubTypes.Type(value = Http.class, name = "http"),
            @JsonSubTypes.Type(value = Condition.class, name = "condition"),
            @JsonSubTypes.Type(value = SetVariables.class, name = "set"),
            @JsonSubTypes.Type(value = Say.class, name = "say"),
            @JsonSubTypes.Type(value = Recording.class, name = "record"),
            @JsonSubTypes.Type(value = Queue.class, name = "queue"),
            @JsonSubTypes.Type(value = Transfer.class, name = "transfer"),
            @JsonSubTypes.Type(value = Time.class, name = "time"),
            @JsonSubTypes.Type(value = Language.class, name = "language"),
            @JsonSubTypes.Type(value = Lookup.class, name = "lookup"),
            @JsonSubTypes.Type(value = Hangup.class, name = "hangup")
    })
    sealed interface Node {
        String id();

        /** The node ids this node may go to, by the field that names each (for the validator). */
        Map<String, String> exits();
    }

    /** The type names of the JSON documents, as {@link Node}'s subtypes declare them. */
    static final List<String> TYPES = List.of("play", "menu", "collect", "http", "condition", "set", "say", "record",
            "queue", "transfer", "time", "language", "lookup", "hangup");

    private static Map<String, String> named(String... fieldsAndTargets) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndTargets.length; i += 2) {
            if (fieldsAndTargets[i + 1] != null) {
                m.put(fieldsAndTargets[i], fieldsAndTargets[i + 1]);
            }
        }
        return m;
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : List.copyOf(l);
    }

    private static <V> Map<String, V> map(Map<String, V> m) {
        return m == null ? Map.of() : new LinkedHashMap<>(m);
    }

    private static int or(Integer v, int fallback) {
        return v == null ? fallback : v;
    }

    /** Audio files one after the other; a digit stops them when {@code interruptible} (and stays typed ahead). */
    record Play(String id, List<String> audio, Boolean interruptible, String next, String error) implements Node {
        Play {
            audio = list(audio);
            interruptible = interruptible == null || interruptible;
        }

        @Override
        public Map<String, String> exits() {
            return named("next", next, "error", error);
        }
    }

    /**
     * A prompt, then one digit picks the next node from {@code options}. No digit within
     * {@code timeoutSeconds}, or a digit that is no option, plays {@code timeoutPrompt} or
     * {@code invalidPrompt} and asks again, {@code attempts} times in all; then {@code timeout} or
     * {@code invalid} is taken (each defaults to the other, then to a hang-up).
     */
    record Menu(String id, List<String> prompt, Map<String, String> options, Integer timeoutSeconds, Integer attempts,
                List<String> invalidPrompt, List<String> timeoutPrompt, String invalid, String timeout, String error)
            implements Node {
        Menu {
            prompt = list(prompt);
            options = map(options);
            timeoutSeconds = or(timeoutSeconds, 5);
            attempts = or(attempts, 3);
            invalidPrompt = list(invalidPrompt);
            timeoutPrompt = list(timeoutPrompt);
        }

        @Override
        public Map<String, String> exits() {
            Map<String, String> m = new LinkedHashMap<>();
            options.forEach((digit, target) -> m.put("options." + digit, target));
            m.putAll(named("invalid", invalid, "timeout", timeout, "error", error));
            return m;
        }
    }

    /**
     * A prompt, then {@code minDigits}-{@code maxDigits} digits into {@code variable}, ended by the
     * last digit, the {@code terminator} or the inter-digit timeout; an answer too short or not
     * matching {@code pattern} is invalid. Retries as a menu does.
     */
    record Collect(String id, List<String> prompt, String variable, Integer minDigits, Integer maxDigits, String terminator,
                   Integer timeoutSeconds, Integer interDigitSeconds, String pattern, Integer attempts,
                   List<String> invalidPrompt, List<String> timeoutPrompt, String next, String invalid, String timeout,
                   String error) implements Node {
        Collect {
            prompt = list(prompt);
            minDigits = or(minDigits, 1);
            maxDigits = or(maxDigits, 20);
            terminator = terminator == null ? "#" : terminator;
            timeoutSeconds = or(timeoutSeconds, 5);
            interDigitSeconds = or(interDigitSeconds, 3);
            attempts = or(attempts, 3);
            invalidPrompt = list(invalidPrompt);
            timeoutPrompt = list(timeoutPrompt);
        }

        @Override
        public Map<String, String> exits() {
            return named("next", next, "invalid", invalid, "timeout", timeout, "error", error);
        }
    }

    /**
     * An HTTP request to a URL template ({@code ${variable}} replaced, URL-encoded); a 2xx answer's JSON
     * fields go into variables ({@code assign}: variable → path such as {@code data.items[0].sum}). A
     * timeout takes {@code timeout} (else {@code error}); any other failure, another status or a
     * missing field takes {@code error}.
     */
    record Http(String id, String method, String url, Map<String, String> headers, String body, Integer timeoutMillis,
                Map<String, String> assign, String statusVariable, String next, String error, String timeout)
            implements Node {
        Http {
            method = method == null ? "GET" : method;
            headers = map(headers);
            timeoutMillis = or(timeoutMillis, 3000);
            assign = map(assign);
        }

        @Override
        public Map<String, String> exits() {
            return named("next", next, "error", error, "timeout", timeout);
        }
    }

    /** The first rule that holds picks the next node; none: {@code otherwise}. */
    record Condition(String id, List<Rule> rules, String otherwise) implements Node {
        Condition {
            rules = list(rules);
        }

        @Override
        public Map<String, String> exits() {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i) != null && rules.get(i).next() != null) {
                    m.put("rules[" + i + "].next", rules.get(i).next());
                }
            }
            m.putAll(named("otherwise", otherwise));
            return m;
        }
    }

    /**
     * {@code variable op value}: {@code value} is a template; {@code eq ne lt le gt ge} compare as
     * numbers when both sides are numbers, else as text; {@code matches} is a regular expression over
     * the whole value; {@code empty} and {@code notEmpty} take no value.
     */
    record Rule(String variable, String op, String value, String next) {
    }

    /** Variables set from templates, in order (a later one sees an earlier one). */
    record SetVariables(String id, Map<String, String> values, String next) implements Node {
        SetVariables {
            values = map(values);
        }

        @Override
        public Map<String, String> exits() {
            return named("next", next);
        }
    }

    /**
     * Says a value in the current language from the bundled prompts: a {@code number} (in Russian of a
     * {@code gender}), {@code digits} one by one, {@code money} (an amount in {@code currency}, with the
     * minor unit), a {@code date} ({@code yyyy-MM-dd} or {@code today}). A value that cannot be said
     * takes {@code error} (else {@code next}).
     */
    record Say(String id, String kind, String value, String currency, String gender, String next, String error)
            implements Node {
        Say {
            currency = currency == null ? "RUB" : currency;
            gender = gender == null ? "masculine" : gender;
        }

        @Override
        public Map<String, String> exits() {
            return named("next", next, "error", error);
        }
    }

    /**
     * Records the caller (after a beep) until {@code maxSeconds}, a digit of {@code stopDigits}, or
     * hang-up, into the tenant's audio library under the name template {@code name}; the new file's id
     * goes into {@code variable}. A recording with no audio, or one that cannot be stored, takes {@code error}.
     */
    record Recording(String id, Integer maxSeconds, String stopDigits, String name, String variable, Boolean beep,
                  String next, String error) implements Node {
        Recording {
            maxSeconds = or(maxSeconds, 60);
            stopDigits = stopDigits == null ? "#" : stopDigits;
            name = name == null ? "ivr-message-${callId}" : name;
            beep = beep == null || beep;
        }

        @Override
        public Map<String, String> exits() {
            return named("next", next, "error", error);
        }
    }

    /** The caller goes to queue {@code queue} (its id) and leaves the scenario; a queue that cannot take it: {@code error}. */
    record Queue(String id, Long queue, String error) implements Node {
        @Override
        public Map<String, String> exits() {
            return named("error", error);
        }
    }

    /**
     * The caller is connected to an {@code account} (its id), a {@code number} (through the routes), or
     * goes on in another {@code scenario} (its id) of the tenant. Not answered within
     * {@code ringSeconds} or failing: {@code error}.
     */
    record Transfer(String id, String to, String target, Integer ringSeconds, String error) implements Node {
        Transfer {
            ringSeconds = or(ringSeconds, 30);
        }

        @Override
        public Map<String, String> exits() {
            return named("error", error);
        }
    }

    /**
     * Business hours in the tenant's time zone: {@code open} when now is within one of {@code hours},
     * {@code closed} otherwise; on a date of the tenant's holiday calendar (when {@code holidays}),
     * {@code holiday} (else {@code closed}).
     */
    record Time(String id, List<Hours> hours, Boolean holidays, String open, String closed, String holiday) implements Node {
        Time {
            hours = list(hours);
            holidays = holidays == null || holidays;
        }

        @Override
        public Map<String, String> exits() {
            return named("open", open, "closed", closed, "holiday", holiday);
        }
    }

    /** Days ({@code MON}-{@code SUN}) from {@code from} to {@code to} ({@code HH:mm}, {@code to} up to {@code 24:00}). */
    record Hours(List<String> days, String from, String to) {
        Hours {
            days = list(days);
        }
    }

    /** Prompts and said values switch to {@code language} ({@code en} or {@code ru}). */
    record Language(String id, String language, String next) implements Node {
        @Override
        public Map<String, String> exits() {
            return named("next", next);
        }
    }

    /**
     * Who {@code number} (a template, the caller by default) is, from the tenant's CRM lookup, else its
     * contacts: sets {@code callerName}, {@code callerCompany}, {@code callerNotes} and {@code callerSource}
     * ({@code crm} or {@code contact}) and goes to {@code next}; nobody known (or the lookup failing) empties
     * them and goes to {@code notFound}, or {@code next} without it.
     */
    record Lookup(String id, String number, String next, String notFound) implements Node {
        static final List<String> VARIABLES = List.of("callerName", "callerCompany", "callerNotes", "callerSource");

        Lookup {
            number = number == null || number.isBlank() ? "${caller}" : number;
        }

        @Override
        public Map<String, String> exits() {
            return named("next", next, "notFound", notFound);
        }
    }

    record Hangup(String id, String reason) implements Node {
        @Override
        public Map<String, String> exits() {
            return Map.of();
        }
    }
}
