package org.callibry.server.ivr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.callibry.shared.api.dto.Ivrs;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The validator names the node and the field of every problem:
 * <ul>
 *   <li>what cannot be read: not an object, an unknown type, an unknown field, a value of the wrong type;</li>
 *   <li>ids: missing, malformed, duplicate; the start node; next nodes missing or unknown; unreachable nodes;</li>
 *   <li>each node type's fields: regexes, URL templates, templates, digits, ranges, times and days, say values,
 *       transfer targets, references to the tenant's queues, accounts and scenarios;</li>
 *   <li>warnings that do not refuse a save: unknown variables, a menu with no failure branch, no hours.</li>
 * </ul>
 */
class ScenarioValidatorTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Ivrs.Validation check(String json) {
        return check(json, null);
    }

    private static Ivrs.Validation check(String json, ScenarioValidator.References refs) {
        return ScenarioValidator.check(JSON.readTree(json), refs).validation();
    }

    private static Ivrs.Problem problem(String node, String field, String message) {
        return new Ivrs.Problem(node, field, message);
    }

    @Test
    void aGoodScenarioIsValid() {
        Ivrs.Validation v = check("""
                {"start": "a", "language": "ru", "nodes": [
                  {"id": "a", "type": "play", "audio": ["hello"], "next": "b"},
                  {"id": "b", "type": "hangup"}]}""");
        assertThat(v.valid()).isTrue();
        assertThat(v.errors()).isEmpty();
        assertThat(v.warnings()).isEmpty();
    }

    @Test
    void whatCannotBeReadIsNamed() {
        assertThat(check("[]").errors()).containsExactly(problem(null, "scenario", "must be a JSON object with start and nodes"));
        Ivrs.Validation v = check("""
                {"start": "a", "strat": "x", "nodes": [
                  {"id": "a", "type": "dance", "next": "b"},
                  {"id": "b", "type": "play", "audio": ["x"], "nxt": "a"},
                  {"id": "c", "type": "menu", "options": {"1": "a"}, "timeoutSeconds": "soon"},
                  {"type": "hangup", "id": 5},
                  7]}""");
        assertThat(v.valid()).isFalse();
        assertThat(v.errors()).contains(
                problem(null, "strat", "unknown field (known: start, language, variables, nodes, description)"),
                problem("a", "type", "unknown type 'dance' (one of play, menu, collect, http, condition, set, say, record, "
                        + "queue, transfer, time, language, lookup, hangup)"),
                problem("b", "nxt", "unknown field for a play node"),
                problem("nodes[4]", "", "must be an object with id and type"));
        assertThat(v.errors()).anySatisfy(p -> {
            assertThat(p.node()).isEqualTo("c");
            assertThat(p.field()).isEqualTo("timeoutSeconds");
        });
    }

    @Test
    void idsStartAndNextNodesAreChecked() {
        Ivrs.Validation v = check("""
                {"start": "zero", "nodes": [
                  {"id": "a", "type": "play", "audio": ["x"]},
                  {"id": "a", "type": "play", "audio": ["x"], "next": "ghost"},
                  {"id": "bad id", "type": "hangup"}]}""");
        assertThat(v.errors()).contains(
                problem(null, "start", "no node 'zero'"),
                problem("a", "next", "must name the next node"),
                problem("a", "id", "is used by another node"),
                problem("a", "next", "no node 'ghost'"),
                problem("bad id", "id", "must be 1-64 of letters, digits, _ and -"));
    }

    @Test
    void nodesNotReachableFromTheStartAreErrors() {
        Ivrs.Validation v = check("""
                {"start": "a", "nodes": [
                  {"id": "a", "type": "menu", "prompt": ["m"], "options": {"1": "b"}, "invalid": "c"},
                  {"id": "b", "type": "hangup"}, {"id": "c", "type": "hangup"}, {"id": "island", "type": "hangup"}]}""");
        assertThat(v.errors()).containsExactly(problem("island", "id", "is not reachable from the start node 'a'"));
    }

    @Test
    void fieldsOfEachNodeTypeAreChecked() {
        Ivrs.Validation v = check("""
                {"start": "m", "nodes": [
                  {"id": "m", "type": "menu", "prompt": [""], "options": {"12": "c", "1": "c"}, "timeoutSeconds": 0, "attempts": 11,
                   "timeout": "c"},
                  {"id": "c", "type": "collect", "variable": "9x", "minDigits": 5, "maxDigits": 4, "terminator": "x",
                   "pattern": "([0-9]", "next": "h"},
                  {"id": "h", "type": "http", "method": "DELETE", "url": "ftp://${host}/x", "timeoutMillis": 50,
                   "assign": {"v": "a..b"}, "next": "h2", "error": "h2"},
                  {"id": "h2", "type": "http", "url": "http://x/${unclosed", "body": "x", "next": "co"},
                  {"id": "co", "type": "condition", "rules": [{"variable": "v", "op": "like", "next": "s"},
                     {"variable": "v", "op": "matches", "value": "*", "next": "s"}, {"variable": "v", "op": "eq", "next": "s"}]},
                  {"id": "s", "type": "say", "kind": "money", "value": "12,5x", "currency": "GBP", "next": "t"},
                  {"id": "t", "type": "time", "hours": [{"days": ["MON", "FUN"], "from": "9:00", "to": "08:00"},
                                                       {"days": [], "from": "10:00", "to": "09:00"}], "open": "tr", "closed": "tr"},
                  {"id": "tr", "type": "transfer", "to": "number", "target": "12ab", "ringSeconds": 1, "error": "q"},
                  {"id": "q", "type": "queue", "error": "l"},
                  {"id": "l", "type": "language", "language": "de", "next": "r"},
                  {"id": "r", "type": "record", "maxSeconds": 0, "stopDigits": "x", "next": "end"},
                  {"id": "end", "type": "hangup"}]}""");
        assertThat(v.errors()).contains(
                problem("m", "prompt[0]", "must be an audio file name"),
                problem("m", "options.12", "a key is one digit: 0-9, *, # or A-D"),
                problem("m", "timeoutSeconds", "must be 1-60, not 0"),
                problem("m", "attempts", "must be 1-10, not 11"),
                problem("c", "variable", "'9x' is not a variable name (a letter or _, then letters, digits, _ or .)"),
                problem("c", "minDigits", "is more than maxDigits (4)"),
                problem("c", "terminator", "must be digits among 0-9, *, # and A-D"),
                problem("h", "method", "must be GET, POST or PUT"),
                problem("h", "url", "must be an absolute http or https URL with a host, not 'ftp://${host}/x'"),
                problem("h", "timeoutMillis", "must be 100-30000, not 50"),
                problem("h", "assign.v", "'a..b' is not a field path (like data.items[0].sum)"),
                problem("h2", "error", "must name the next node"),
                problem("h2", "url", "bad template: '${' at 9 is not closed by '}'"),
                problem("h2", "body", "a GET request has no body"),
                problem("co", "otherwise", "must name the next node"),
                problem("co", "rules[0].op", "must be one of eq, ne, lt, le, gt, ge, matches, empty, notEmpty"),
                problem("co", "rules[2].value", "must be given for eq"),
                problem("s", "currency", "unknown currency 'GBP' (RUB, USD, EUR)"),
                problem("t", "hours[0].days", "'FUN' is not a day (MON, TUE, WED, THU, FRI, SAT, SUN)"),
                problem("t", "hours[0].from", "'9:00' is not a time HH:mm"),
                problem("t", "hours[1].days", "must list days (MON-SUN)"),
                problem("t", "hours[1].to", "must be after from (10:00)"),
                problem("tr", "ringSeconds", "must be 5-300, not 1"),
                problem("tr", "target", "a number is 1-32 of 0-9 * # (with an optional leading +)"),
                problem("q", "queue", "must be the id of a queue"),
                problem("l", "language", "must be en or ru"),
                problem("r", "maxSeconds", "must be 1-600, not 0"),
                problem("r", "stopDigits", "must be digits among 0-9, *, # and A-D"));
        assertThat(v.errors()).anySatisfy(p -> assertThat(p).extracting(Ivrs.Problem::node, Ivrs.Problem::field)
                .containsExactly("c", "pattern"));
        assertThat(v.errors()).anySatisfy(p -> assertThat(p.message()).startsWith("bad regular expression"));
        assertThat(v.errors()).anySatisfy(p -> assertThat(p).extracting(Ivrs.Problem::node, Ivrs.Problem::field)
                .containsExactly("co", "rules[1].value"));
        assertThat(v.errors()).anySatisfy(p -> assertThat(p).extracting(Ivrs.Problem::node, Ivrs.Problem::field,
                Ivrs.Problem::message).containsExactly("s", "value", "'12,5x' is not an amount"));
    }

    @Test
    void referencesMustBeTheTenants() {
        ScenarioValidator.References refs = new ScenarioValidator.References() {
            @Override
            public boolean queue(long id) {
                return id == 500;
            }

            @Override
            public boolean account(long id) {
                return Set.of(1L, 2L).contains(id);
            }

            @Override
            public boolean scenario(long id) {
                return id == 9;
            }
        };
        String json = """
                {"start": "a", "nodes": [
                  {"id": "a", "type": "transfer", "to": "account", "target": "%s", "error": "b"},
                  {"id": "b", "type": "transfer", "to": "scenario", "target": "%s", "error": "c"},
                  {"id": "c", "type": "queue", "queue": %s, "error": "d"},
                  {"id": "d", "type": "transfer", "to": "account", "target": "${who}", "error": "e"},
                  {"id": "e", "type": "hangup"}]}""";
        assertThat(check(json.formatted("1", "9", "500"), refs).errors()).isEmpty();
        assertThat(check(json.formatted("3", "8", "501"), refs).errors()).containsExactly(
                problem("a", "target", "account 3 is not an account of the tenant"),
                problem("b", "target", "scenario 8 is not a scenario of the tenant"),
                problem("c", "queue", "queue 501 is not a queue of the tenant"));
        assertThat(check(json.formatted("x", "9", "500"), refs).errors()).containsExactly(
                problem("a", "target", "must be the id of the account"));
    }

    @Test
    void warningsDoNotMakeAScenarioInvalid() {
        Ivrs.Validation v = check("""
                {"start": "m", "variables": {"greeting": "hello"}, "nodes": [
                  {"id": "m", "type": "menu", "prompt": ["${greeting}", "${nobody}"], "options": {"1": "t"}},
                  {"id": "t", "type": "time", "hours": [], "open": "s", "closed": "s"},
                  {"id": "s", "type": "say", "kind": "digits", "value": "${caller}${typo}", "next": "e"},
                  {"id": "e", "type": "hangup"}]}""");
        assertThat(v.valid()).isTrue();
        assertThat(v.warnings()).containsExactlyInAnyOrder(
                problem("m", "prompt[1]", "variable 'nobody' is never set (it is empty)"),
                problem("s", "value", "variable 'typo' is never set (it is empty)"),
                problem("m", "invalid", "no invalid or timeout branch: the caller is hung up after 3 attempts"),
                problem("t", "hours", "no hours: always closed"));
        assertThat(List.of(v.errors())).containsExactly(List.of());
    }

    @Test
    void aLookupNeedsNextAndDefinesTheCallerVariables() {
        Ivrs.Validation ok = check("""
                {"start": "who", "nodes": [
                  {"id": "who", "type": "lookup", "next": "bye"},
                  {"id": "bye", "type": "hangup", "reason": "${callerName} ${callerCompany} ${callerNotes} ${callerSource}"}]}""");
        assertThat(ok.errors()).isEmpty();
        assertThat(ok.warnings()).isEmpty();
        Ivrs.Validation bad = check("""
                {"start": "who", "nodes": [
                  {"id": "who", "type": "lookup", "number": "${", "notFound": "nowhere"}]}""");
        assertThat(bad.errors()).extracting(Ivrs.Problem::field).contains("next", "number", "notFound");
    }
}
