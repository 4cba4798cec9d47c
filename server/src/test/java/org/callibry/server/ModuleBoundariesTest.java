package org.callibry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Module boundaries that the class files do not show, checked on the server's sources: no module
 * names another module's {@code internal} class in a string (a reflective back door past Modulith),
 * and each module's SQL touches only the tables it owns; reads across modules go through the owning
 * module's API. Scenarios: every table created by a migration has an owner; no string literal names a
 * foreign internal package; no SQL in a module's string literals names a foreign table.
 */
class ModuleBoundariesTest {
    private static final Path MAIN = Path.of("src/main/java/org/callibry/server");
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

    /** Each table and the module that owns it (creates, writes and reads it). */
    private static final Map<String, String> OWNER = Map.ofEntries(
            Map.entry("tenant", "directory"), Map.entry("sip_domain", "directory"), Map.entry("sip_account", "directory"),
            Map.entry("app_user", "directory"), Map.entry("contact", "directory"), Map.entry("audio_file", "directory"),
            Map.entry("api_token", "api"), // created by V1 with the directory, owned by the API's token store
            Map.entry("route", "routing"),
            Map.entry("dialer_campaign", "dialer"), Map.entry("dialer_number", "dialer"), Map.entry("dialer_attempt", "dialer"),
            Map.entry("dialer_dnc", "dialer"),
            Map.entry("cdr", "cdr"), Map.entry("cdr_default", "cdr"),
            Map.entry("sip_location", "sip"), Map.entry("sip_peer", "sip"),
            Map.entry("recording", "recording"),
            Map.entry("acd_agent", "acd"), Map.entry("acd_queue", "acd"), Map.entry("acd_member", "acd"),
            Map.entry("acd_callback", "acd"), Map.entry("agent_status", "acd"),
            Map.entry("queue_log", "queuelog"), Map.entry("queue_log_default", "queuelog"),
            Map.entry("queue_kpi_15m", "queuelog"), Map.entry("queue_agent_kpi_15m", "queuelog"),
            Map.entry("queue_agent_state_15m", "queuelog"), Map.entry("queue_kpi_state", "queuelog"),
            Map.entry("queue_kpi_dirty", "queuelog"),
            Map.entry("ivr_scenario", "ivr"), Map.entry("ivr_version", "ivr"), Map.entry("ivr_run", "ivr"),
            Map.entry("tenant_holiday", "directory"),
            Map.entry("webhook", "crm"), Map.entry("webhook_delivery", "crm"), Map.entry("crm_lookup", "crm"),
            Map.entry("wrapup_code", "crm"), Map.entry("call_note", "crm"), Map.entry("queue_script", "crm"));

    private static final Pattern LITERAL = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"");
    private static final Pattern SQL_TABLE = Pattern.compile(
            "\\b(?:from|join|into|update|table|truncate)\\s+([a-z_][a-z0-9_]*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern INTERNAL = Pattern.compile("org[./]callibry[./]server[./](\\w+)[./]internal\\b");

    @Test
    void everyTableHasAnOwner() throws IOException {
        Set<String> created = new TreeSet<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".sql")).toList()) {
                Matcher m = Pattern.compile("create table (?:if not exists )?(\\w+)", Pattern.CASE_INSENSITIVE).matcher(Files.readString(f));
                while (m.find()) {
                    created.add(m.group(1).toLowerCase());
                }
            }
        }
        assertThat(created).isNotEmpty();
        assertThat(OWNER.keySet()).as("give each new table an owner here").containsAll(created);
    }

    @Test
    void noModuleNamesAnotherModulesInternalClassInAString() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path f : sources()) {
            String module = moduleOf(f);
            for (String literal : literals(f)) {
                Matcher m = INTERNAL.matcher(literal);
                while (m.find()) {
                    if (!m.group(1).equals(module)) {
                        violations.add(MAIN.relativize(f) + ": " + literal);
                    }
                }
            }
        }
        assertThat(violations).as("ask the owner's API instead of naming its internals").isEmpty();
    }

    @Test
    void eachModulesSqlTouchesOnlyItsOwnTables() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path f : sources()) {
            String module = moduleOf(f);
            // literals joined, so SQL concatenated from several pieces is read as one
            Matcher m = SQL_TABLE.matcher(String.join(" ", literals(f)));
            while (m.find()) {
                String owner = OWNER.get(m.group(1).toLowerCase());
                if (owner != null && !owner.equals(module)) {
                    violations.add(MAIN.relativize(f) + ": table " + m.group(1) + " of module " + owner);
                }
            }
        }
        assertThat(violations).as("read another module's data through its API").isEmpty();
    }

    @Test
    void theScanSeesSqlAndInternalNames() {
        Matcher sql = SQL_TABLE.matcher("select a.number from agent_status s join sip_account a on a.id = s.account_id");
        List<String> tables = new ArrayList<>();
        while (sql.find()) {
            tables.add(sql.group(1));
        }
        assertThat(tables).containsExactly("agent_status", "sip_account");
        assertThat(INTERNAL.matcher("org.callibry.server.sip.internal.Slf4jStackLogger").find()).isTrue();
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            List<Path> out = files.filter(p -> p.toString().endsWith(".java")).toList();
            assertThat(out).as("server sources under " + MAIN.toAbsolutePath()).isNotEmpty();
            return out;
        }
    }

    private static String moduleOf(Path f) {
        Path rel = MAIN.relativize(f);
        return rel.getNameCount() > 1 ? rel.getName(0).toString() : "";
    }

    private static List<String> literals(Path f) throws IOException {
        List<String> out = new ArrayList<>();
        Matcher m = LITERAL.matcher(Files.readString(f));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
