package org.callibry.server.ivr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.callibry.shared.api.dto.Calls;
import org.callibry.shared.api.dto.Ivrs;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The interpreter walking scenarios on the simulation port, node type by node type:
 * <ul>
 *   <li>play (and a missing file: the error branch, or on to next), hangup;</li>
 *   <li>menu: a choice, retries with the invalid and timeout prompts, the timeout and invalid branches,
 *       no branch (hung up);</li>
 *   <li>collect: terminator, maximum, too short, pattern, an answer cut by the inter-digit timeout, no input;</li>
 *   <li>http: fields into variables, URL-encoded templates, the status variable, a bad status, a timeout
 *       (timeout branch, else error), a failure, a missing field, not JSON, successive answers;</li>
 *   <li>condition (numbers, text, regex, empty), set, say in English and Russian (and what cannot be
 *       said), language, record, queue, transfer (number, account, another scenario), time (hours, the
 *       time zone, holidays);</li>
 *   <li>the step limit, the caller hanging up in the middle.</li>
 * </ul>
 */
class InterpreterTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A Wednesday, 10:00 in Moscow. */
    private static final Instant WEDNESDAY_10_MSK = Instant.parse("2025-03-05T07:00:00Z");

    private final Map<Long, IvrPort.Loaded> scenarios = new HashMap<>();
    private final Map<LocalDate, String> holidays = new HashMap<>();

    private Scenario scenario(String json) {
        ScenarioValidator.Checked c = ScenarioValidator.check(JSON.readTree(json), null);
        assertThat(c.validation().errors()).as("a valid scenario").isEmpty();
        return c.scenario();
    }

    private Ivrs.Trace run(String json, String digits) {
        return run(json, digits, Map.of(), WEDNESDAY_10_MSK);
    }

    private Ivrs.Trace run(String json, String digits, Map<String, JsonNode> http, Instant at) {
        SimulationPort port = new SimulationPort(digits, http, at, tenant());
        return new Interpreter(scenario(json), port, Map.of("caller", "1001", "callId", "c-1")).run();
    }

    private SimulationPort.Tenant tenant() {
        return new SimulationPort.Tenant((language, name) -> !name.startsWith("missing"),
                id -> id == 7 ? Optional.of("1007") : Optional.empty(),
                id -> Optional.ofNullable(scenarios.get(id)), ZoneId.of("Europe/Moscow"),
                date -> Optional.ofNullable(holidays.get(date)),
                number -> switch (number) {
                    case "1001" -> Optional.of(new Calls.CallerCard("Anna Petrova", "Acme", "prefers email", Calls.CallerCard.CRM));
                    case "1009" -> throw new IllegalStateException("CRM answered 500");
                    default -> Optional.empty();
                });
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    @Test
    void playsThenHangsUp() {
        Ivrs.Trace t = run("""
                {"start": "hello", "nodes": [
                  {"id": "hello", "type": "play", "audio": ["welcome", "news-${caller}"], "next": "bye"},
                  {"id": "bye", "type": "hangup", "reason": "done for ${caller}"}]}""", "");
        assertThat(t.path()).containsExactly("hello", "bye");
        assertThat(t.played()).containsExactly("welcome", "news-1001");
        assertThat(t.end()).isEqualTo("hangup");
        assertThat(t.endNode()).isEqualTo("bye");
        assertThat(t.detail()).isEqualTo("done for 1001");
    }

    @Test
    void aMissingAudioFileTakesTheErrorBranchOrGoesOn() {
        String json = """
                {"start": "a", "nodes": [
                  {"id": "a", "type": "play", "audio": ["welcome", "missing-file"], "next": "b", "error": "sorry"},
                  {"id": "b", "type": "play", "audio": ["missing-too"], "next": "c"},
                  {"id": "sorry", "type": "play", "audio": ["sorry"], "next": "b"},
                  {"id": "c", "type": "hangup"}]}""";
        Ivrs.Trace t = run(json, "");
        assertThat(t.path()).containsExactly("a", "sorry", "b", "c");
        assertThat(t.played()).as("nothing of a prompt with a missing file is played").containsExactly("sorry");
        assertThat(t.variables()).containsEntry("lastError", "missing audio file 'missing-too'").containsEntry("lastErrorNode", "b");
        assertThat(t.end()).isEqualTo("hangup");
    }

    private static final String MENU = """
            {"start": "menu", "nodes": [
              {"id": "menu", "type": "menu", "prompt": ["menu"], "options": {"1": "one", "2": "two"},
               "attempts": 3, "timeoutSeconds": 4, "invalidPrompt": ["invalid"], "timeoutPrompt": ["no-input"],
               "invalid": "bad", "timeout": "quiet"},
              {"id": "one", "type": "hangup", "reason": "one"},
              {"id": "two", "type": "hangup", "reason": "two"},
              {"id": "bad", "type": "hangup", "reason": "bad"},
              {"id": "quiet", "type": "hangup", "reason": "quiet"}]}""";

    @Test
    void aMenuDigitPicksTheNextNode() {
        Ivrs.Trace t = run(MENU, "2");
        assertThat(t.path()).containsExactly("menu", "two");
        assertThat(t.variables()).containsEntry("digit", "2");
        assertThat(t.played()).containsExactly("menu");
    }

    @Test
    void aMenuRetriesAfterAWrongDigitAndSilence() {
        Ivrs.Trace t = run(MENU, "9-1");
        assertThat(t.path()).containsExactly("menu", "one");
        assertThat(t.played()).containsExactly("menu", "invalid", "menu", "no-input", "menu");
    }

    @Test
    void aMenuTakesTheTimeoutOrInvalidBranchWhenTheAttemptsAreUsedUp() {
        Ivrs.Trace quiet = run(MENU, "");
        assertThat(quiet.path()).containsExactly("menu", "quiet");
        assertThat(quiet.played()).containsExactly("menu", "no-input", "menu", "no-input", "menu", "no-input");
        Ivrs.Trace bad = run(MENU, "-99");
        assertThat(bad.path()).as("the last failure decides").containsExactly("menu", "bad");
    }

    @Test
    void aMenuWithoutBranchesHangsUpAfterItsAttempts() {
        Ivrs.Trace t = run("""
                {"start": "m", "nodes": [
                  {"id": "m", "type": "menu", "prompt": ["menu"], "options": {"1": "x"}, "attempts": 2},
                  {"id": "x", "type": "hangup"}]}""", "");
        assertThat(t.path()).containsExactly("m");
        assertThat(t.end()).isEqualTo("hangup");
        assertThat(t.detail()).isEqualTo("no input");
    }

    private static final String COLLECT = """
            {"start": "account", "nodes": [
              {"id": "account", "type": "collect", "prompt": ["enter-account"], "variable": "account",
               "minDigits": 4, "maxDigits": 6, "pattern": "[1-8]\\\\d*", "attempts": 2, "invalidPrompt": ["invalid"],
               "next": "ok", "invalid": "bad", "timeout": "quiet"},
              {"id": "ok", "type": "hangup", "reason": "${account}"},
              {"id": "bad", "type": "hangup", "reason": "bad"},
              {"id": "quiet", "type": "hangup", "reason": "quiet"}]}""";

    @Test
    void collectEndsOnTheTerminatorOrTheMaximum() {
        assertThat(run(COLLECT, "1234#").detail()).isEqualTo("1234");
        assertThat(run(COLLECT, "12345678").detail()).as("six digits at most").isEqualTo("123456");
        assertThat(run(COLLECT, "12345-").detail()).as("ended by the inter-digit timeout").isEqualTo("12345");
    }

    @Test
    void collectRetriesWhatIsTooShortOrDoesNotMatch() {
        Ivrs.Trace t = run(COLLECT, "12#4321#");
        assertThat(t.detail()).isEqualTo("4321");
        assertThat(t.played()).containsExactly("enter-account", "invalid", "enter-account");
        assertThat(run(COLLECT, "9999#9876#").path()).as("the pattern refuses a leading 9 twice").containsExactly("account", "bad");
        assertThat(run(COLLECT, "").path()).containsExactly("account", "quiet");
        assertThat(run(COLLECT, "##").path()).as("the terminator alone is too short").containsExactly("account", "bad");
    }

    private static final String BALANCE = """
            {"start": "lookup", "nodes": [
              {"id": "lookup", "type": "http", "url": "http://crm.example/balance?number=${caller}&q=${query}",
               "timeoutMillis": 2000, "assign": {"balance": "data.balance", "name": "data.owners[0].name"},
               "statusVariable": "status", "next": "say", "error": "failed", "timeout": "slow"},
              {"id": "say", "type": "say", "kind": "money", "value": "${balance}", "next": "bye"},
              {"id": "bye", "type": "hangup", "reason": "${name}"},
              {"id": "failed", "type": "hangup", "reason": "failed"},
              {"id": "slow", "type": "hangup", "reason": "slow"}],
             "variables": {"query": "a b&c"}}""";

    @Test
    void httpFieldsGoIntoVariables() {
        Ivrs.Trace t = run(BALANCE, "", Map.of("lookup", json("""
                {"status": 200, "millis": 120, "body": {"data": {"balance": 12.5, "owners": [{"name": "Ann"}]}}}""")),
                WEDNESDAY_10_MSK);
        assertThat(t.path()).containsExactly("lookup", "say", "bye");
        assertThat(t.variables()).containsEntry("balance", "12.5").containsEntry("name", "Ann").containsEntry("status", "200");
        assertThat(t.played()).containsExactly("twelve rubles and fifty kopecks");
        assertThat(t.http()).containsExactly(new Ivrs.HttpCall("lookup", "GET",
                "http://crm.example/balance?number=1001&q=a%20b%26c", 200, 120, "ok"));
    }

    @Test
    void httpFailuresTakeTheirBranches() {
        assertThat(run(BALANCE, "", Map.of("lookup", json("{\"status\": 503}")), WEDNESDAY_10_MSK).path())
                .containsExactly("lookup", "failed");
        Ivrs.Trace slow = run(BALANCE, "", Map.of("lookup", json("{\"millis\": 5000, \"body\": {}}")), WEDNESDAY_10_MSK);
        assertThat(slow.path()).containsExactly("lookup", "slow");
        assertThat(slow.http().getFirst().outcome()).startsWith("timeout");
        assertThat(run(BALANCE, "", Map.of("lookup", json("{\"failure\": \"error\"}")), WEDNESDAY_10_MSK).path())
                .containsExactly("lookup", "failed");
        Ivrs.Trace noField = run(BALANCE, "", Map.of("lookup", json("{\"body\": {\"data\": {}}}")), WEDNESDAY_10_MSK);
        assertThat(noField.path()).containsExactly("lookup", "failed");
        assertThat(noField.http().getFirst().outcome()).isEqualTo("error: no field data.balance");
        assertThat(run(BALANCE, "", Map.of("lookup", json("{\"body\": \"<html>\"}")), WEDNESDAY_10_MSK).http().getFirst()
                .outcome()).isEqualTo("error: the answer is not JSON");
        assertThat(run(BALANCE, "", Map.of(), WEDNESDAY_10_MSK).path()).as("no answer given").containsExactly("lookup", "failed");
    }

    @Test
    void aTimeoutWithoutATimeoutBranchTakesTheErrorBranch() {
        Ivrs.Trace t = run("""
                {"start": "h", "nodes": [
                  {"id": "h", "type": "http", "method": "POST", "url": "https://x.example/p", "body": "{\\"n\\": \\"${caller}\\"}",
                   "timeoutMillis": 100, "next": "ok", "error": "failed"},
                  {"id": "ok", "type": "hangup"}, {"id": "failed", "type": "hangup", "reason": "failed"}]}""", "",
                Map.of("h", json("{\"failure\": \"timeout\"}")), WEDNESDAY_10_MSK);
        assertThat(t.path()).containsExactly("h", "failed");
    }

    @Test
    void successiveRequestsGetSuccessiveAnswers() {
        Ivrs.Trace t = run("""
                {"start": "h", "nodes": [
                  {"id": "h", "type": "http", "url": "http://x.example/", "assign": {"n": "n"}, "next": "c", "error": "h"},
                  {"id": "c", "type": "condition", "rules": [{"variable": "n", "op": "lt", "value": "3", "next": "h"}],
                   "otherwise": "end"},
                  {"id": "end", "type": "hangup", "reason": "${n}"}]}""", "",
                Map.of("h", json("[{\"status\": 500}, {\"body\": {\"n\": 1}}, {\"body\": {\"n\": 3}}]")), WEDNESDAY_10_MSK);
        assertThat(t.path()).containsExactly("h", "h", "c", "h", "c", "end");
        assertThat(t.http()).extracting(Ivrs.HttpCall::status).containsExactly(500, 200, 200);
    }

    @Test
    void conditionsCompareNumbersTextAndPatterns() {
        String json = """
                {"start": "c", "nodes": [
                  {"id": "c", "type": "condition", "rules": [
                      {"variable": "missing", "op": "notEmpty", "next": "x"},
                      {"variable": "amount", "op": "gt", "value": "9", "next": "big"},
                      {"variable": "caller", "op": "matches", "value": "10\\\\d\\\\d", "next": "local"}],
                   "otherwise": "other"},
                  {"id": "x", "type": "hangup"}, {"id": "big", "type": "hangup", "reason": "big"},
                  {"id": "local", "type": "hangup", "reason": "local"}, {"id": "other", "type": "hangup", "reason": "other"}],
                 "variables": {"amount": "10"}}""";
        assertThat(run(json, "").detail()).as("10 > 9 as numbers, not as text").isEqualTo("big");
        assertThat(Interpreter.compare("10", "9")).isPositive();
        assertThat(Interpreter.compare("b", "a")).isPositive();
        assertThat(Interpreter.compare("1.50", "1.5")).isZero();
        assertThat(run(json.replace("\"10\"}}", "\"1\"}}"), "").detail()).isEqualTo("local");
    }

    @Test
    void setAndLanguageChangeWhatIsSaid() {
        Ivrs.Trace t = run("""
                {"start": "s", "language": "en", "nodes": [
                  {"id": "s", "type": "set", "values": {"a": "2", "b": "${a}1"}, "next": "en"},
                  {"id": "en", "type": "say", "kind": "number", "value": "${b}", "next": "lang"},
                  {"id": "lang", "type": "language", "language": "ru", "next": "ru"},
                  {"id": "ru", "type": "say", "kind": "money", "value": "${b}.02", "next": "date"},
                  {"id": "date", "type": "say", "kind": "date", "value": "today", "next": "f"},
                  {"id": "f", "type": "say", "kind": "number", "value": "${b}", "gender": "feminine", "next": "end"},
                  {"id": "end", "type": "hangup"}]}""", "");
        assertThat(t.variables()).containsEntry("b", "21").containsEntry("language", "ru");
        assertThat(t.played()).containsExactly("twenty one", "двадцать один рубль две копейки",
                "пятое марта две тысячи двадцать пятого года", "двадцать одна");
    }

    @Test
    void whatCannotBeSaidTakesTheErrorBranch() {
        Ivrs.Trace t = run("""
                {"start": "s", "nodes": [
                  {"id": "s", "type": "say", "kind": "money", "value": "${caller}x", "next": "ok", "error": "bad"},
                  {"id": "ok", "type": "hangup"}, {"id": "bad", "type": "hangup", "reason": "bad"}]}""", "");
        assertThat(t.path()).containsExactly("s", "bad");
        assertThat(t.variables().get("lastError")).contains("1001x");
    }

    @Test
    void recordsAfterABeep() {
        Ivrs.Trace t = run("""
                {"start": "r", "nodes": [
                  {"id": "r", "type": "record", "maxSeconds": 30, "name": "msg-${caller}", "variable": "file", "next": "end"},
                  {"id": "end", "type": "hangup"}]}""", "");
        assertThat(t.played()).containsExactly("beep");
        assertThat(t.variables()).containsEntry("file", "0");
    }

    @Test
    void queueAndTransferHandTheCallerOver() {
        String json = """
                {"start": "t", "nodes": [
                  {"id": "t", "type": "transfer", "to": "account", "target": "${who}", "next": "q", "error": "q"},
                  {"id": "q", "type": "queue", "queue": 500, "error": "n"},
                  {"id": "n", "type": "transfer", "to": "number", "target": "8800", "error": "n"}]}"""
                .replace("\"next\": \"q\", ", "");
        Ivrs.Trace known = run(json.replace("${who}", "7"), "");
        assertThat(known.path()).containsExactly("t");
        assertThat(known.end()).isEqualTo("transfer");
        assertThat(known.detail()).isEqualTo("account 7 (1007): connected (simulated)");
        Ivrs.Trace unknown = run(json.replace("${who}", "8"), "");
        assertThat(unknown.path()).containsExactly("t", "q");
        assertThat(unknown.end()).isEqualTo("queue");
        assertThat(unknown.variables().get("lastError")).isEqualTo("transfer to account 8 failed: no account 8");
    }

    @Test
    void aTransferToAnotherScenarioGoesOnThere() {
        scenarios.put(42L, new IvrPort.Loaded(42, 1, 3, scenario("""
                {"start": "hi", "language": "ru", "nodes": [
                  {"id": "hi", "type": "say", "kind": "digits", "value": "${caller}", "next": "end"},
                  {"id": "end", "type": "hangup", "reason": "other"}]}""")));
        Ivrs.Trace t = run("""
                {"start": "t", "nodes": [{"id": "t", "type": "transfer", "to": "scenario", "target": "42", "error": "x"},
                  {"id": "x", "type": "hangup"}]}""", "");
        assertThat(t.path()).containsExactly("t", "42/hi", "42/end");
        assertThat(t.played()).containsExactly("один ноль ноль один");
        assertThat(t.endNode()).isEqualTo("42/end");
    }

    private static final String HOURS = """
            {"start": "t", "nodes": [
              {"id": "t", "type": "time", "hours": [{"days": ["MON", "TUE", "WED", "THU", "FRI"], "from": "09:00", "to": "18:00"},
                                                    {"days": ["SAT"], "from": "20:00", "to": "24:00"}],
               "open": "open", "closed": "closed", "holiday": "holiday"},
              {"id": "open", "type": "hangup", "reason": "open"}, {"id": "closed", "type": "hangup", "reason": "closed"},
              {"id": "holiday", "type": "hangup", "reason": "${holiday}"}]}""";

    @Test
    void timeBranchesOnHoursInTheTenantsZone() {
        assertThat(run(HOURS, "", Map.of(), WEDNESDAY_10_MSK).detail()).isEqualTo("open");
        assertThat(run(HOURS, "", Map.of(), Instant.parse("2025-03-05T15:00:00Z")).detail()).as("18:00 in Moscow")
                .isEqualTo("closed");
        assertThat(run(HOURS, "", Map.of(), Instant.parse("2025-03-05T05:59:00Z")).detail()).as("08:59 in Moscow")
                .isEqualTo("closed");
        assertThat(run(HOURS, "", Map.of(), Instant.parse("2025-03-08T20:59:00Z")).detail()).as("Saturday 23:59")
                .isEqualTo("open");
        holidays.put(LocalDate.of(2025, 3, 5), "Test day");
        Ivrs.Trace holiday = run(HOURS, "", Map.of(), WEDNESDAY_10_MSK);
        assertThat(holiday.detail()).isEqualTo("Test day");
        assertThat(holiday.variables()).containsEntry("now", "2025-03-05T10:00");
        assertThat(run(HOURS.replace("\"hours\"", "\"holidays\": false, \"hours\""), "", Map.of(), WEDNESDAY_10_MSK).detail())
                .as("a node may ignore holidays").isEqualTo("open");
    }

    @Test
    void aLoopThatWaitsForNothingStopsAtTheStepLimit() {
        Ivrs.Trace t = run("""
                {"start": "a", "nodes": [
                  {"id": "a", "type": "set", "values": {"x": "1"}, "next": "b"},
                  {"id": "b", "type": "set", "values": {"y": "1"}, "next": "a"}]}""", "");
        assertThat(t.end()).isEqualTo("step-limit");
        assertThat(t.path()).hasSize(Interpreter.STEP_LIMIT);
    }

    @Test
    void theCallerHangingUpEndsTheWalk() {
        SimulationPort sim = new SimulationPort("", Map.of(), WEDNESDAY_10_MSK, tenant());
        IvrPort gone = new IvrPort() {
            @Override
            public void play(String language, List<Prompt> prompts, boolean interruptible) throws MissingAudio {
                sim.play(language, prompts, interruptible);
            }

            @Override
            public Character digit(Duration timeout) {
                throw new CallerGone("BYE from caller");
            }

            @Override
            public void discardDigits() {
            }

            @Override
            public HttpResponse http(HttpRequest request) throws Failed {
                return sim.http(request);
            }

            @Override
            public Recorded record(String name, Duration max, String stopDigits) {
                return sim.record(name, max, stopDigits);
            }

            @Override
            public String queue(long queueId) {
                return sim.queue(queueId);
            }

            @Override
            public String transfer(String number, Duration ring) {
                return sim.transfer(number, ring);
            }

            @Override
            public Optional<String> accountNumber(long accountId) {
                return Optional.empty();
            }

            @Override
            public Optional<Loaded> scenario(long id) {
                return Optional.empty();
            }

            @Override
            public void hangup(String reason) {
            }

            @Override
            public Instant now() {
                return sim.now();
            }

            @Override
            public ZoneId zone() {
                return sim.zone();
            }

            @Override
            public Optional<String> holiday(LocalDate date) {
                return Optional.empty();
            }

            @Override
            public Optional<Calls.CallerCard> callerCard(String number) {
                return Optional.empty();
            }
        };
        Ivrs.Trace t = new Interpreter(scenario(MENU), gone, Map.of()).run();
        assertThat(t.path()).containsExactly("menu");
        assertThat(t.end()).isEqualTo("caller-hangup");
        assertThat(t.endNode()).isEqualTo("menu");
        assertThat(t.detail()).isEqualTo("BYE from caller");
    }

    private static final String LOOKUP = """
            {"start": "who", "nodes": [
              {"id": "who", "type": "lookup", "number": "NUMBER", "next": "known", "notFound": "stranger"},
              {"id": "known", "type": "hangup", "reason": "${callerName} of ${callerCompany} (${callerSource})"},
              {"id": "stranger", "type": "hangup", "reason": "nobody [${callerName}]"}]}""";

    @Test
    void aLookupPutsTheCallersCardIntoVariables() {
        Ivrs.Trace t = run(LOOKUP.replace("NUMBER", "${caller}"), "");
        assertThat(t.path()).containsExactly("who", "known");
        assertThat(t.detail()).isEqualTo("Anna Petrova of Acme (crm)");
        assertThat(t.variables()).containsEntry("callerNotes", "prefers email");
    }

    @Test
    void aLookupOfSomebodyUnknownOrAFailingCrmGoesToNotFound() {
        Ivrs.Trace unknown = run(LOOKUP.replace("NUMBER", "2002"), "");
        assertThat(unknown.path()).containsExactly("who", "stranger");
        assertThat(unknown.detail()).isEqualTo("nobody []");
        assertThat(unknown.variables()).containsEntry("callerSource", "").doesNotContainKey("lastError");

        Ivrs.Trace failed = run(LOOKUP.replace("NUMBER", "1009"), "");
        assertThat(failed.path()).containsExactly("who", "stranger");
        assertThat(failed.variables()).containsEntry("lastErrorNode", "who")
                .hasEntrySatisfying("lastError", e -> assertThat(e).contains("CRM answered 500"));
    }

    @Test
    void aLookupWithoutNotFoundGoesOnToNext() {
        Ivrs.Trace t = run("""
                {"start": "who", "nodes": [
                  {"id": "who", "type": "lookup", "next": "bye"},
                  {"id": "bye", "type": "hangup", "reason": "[${callerName}]"}]}""", "");
        assertThat(t.path()).containsExactly("who", "bye");
        assertThat(t.detail()).isEqualTo("[Anna Petrova]");
    }
}
