package org.callibry.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.client.RpcErrorException;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Contacts;
import org.callibry.shared.api.dto.Domains;
import org.callibry.shared.api.dto.Page;
import org.callibry.shared.api.dto.Tenants;
import org.callibry.shared.api.dto.Users;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Happy paths of every directory method (create, get, update, list with search and paging, delete),
 * duplicates refused with the field named, references protected, and secrets never returned.
 */
class DirectoryApiIT extends ApiTestSupport {

    private static void assertConflict(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(RpcErrorException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCodes.CONFLICT);
            assertThat(e.field()).isEqualTo(field);
        });
    }

    @Test
    void tenantLifecycle() {
        CallibryClient admin = admin();
        String name = unique("Acme");
        Tenants.Tenant t = admin.tenants().create(new Tenants.Create(name, "widgets", null));
        assertThat(t.enabled()).isTrue();
        assertThat(t.timeZone()).as("UTC unless set").isEqualTo("UTC");
        assertThat(admin.tenants().get(t.id())).isEqualTo(t);
        assertThat(admin.tenants().update(new Tenants.Update(t.id(), null, null, null, "Europe/Moscow")).timeZone())
                .isEqualTo("Europe/Moscow");
        assertThatThrownBy(() -> admin.tenants().update(new Tenants.Update(t.id(), null, null, null, "Mars/Olympus")))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.field()).isEqualTo("timeZone"));
        Tenants.Tenant renamed = admin.tenants().update(new Tenants.Update(t.id(), name + "-2", null, false));
        assertThat(renamed.name()).isEqualTo(name + "-2");
        assertThat(renamed.description()).isEqualTo("widgets");
        assertThat(renamed.enabled()).isFalse();
        assertThat(admin.tenants().list(new Tenants.ListParams(name, null, null)).items()).containsExactly(renamed);
        assertConflict(() -> admin.tenants().create(new Tenants.Create(name.toUpperCase() + "-2", null, null)), "name");
        admin.tenants().delete(t.id());
        assertThatThrownBy(() -> admin.tenants().get(t.id()))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.NOT_FOUND));
    }

    @Test
    void listsArePagedAndCounted() {
        CallibryClient admin = admin();
        String prefix = unique("page");
        for (int i = 0; i < 7; i++) {
            admin.tenants().create(new Tenants.Create(prefix + "-" + i, null, null));
        }
        Page<Tenants.Tenant> first = admin.tenants().list(new Tenants.ListParams(prefix, 0, 3));
        Page<Tenants.Tenant> last = admin.tenants().list(new Tenants.ListParams(prefix, 6, 3));
        assertThat(first.total()).isEqualTo(7);
        assertThat(first.items()).extracting(Tenants.Tenant::name).containsExactly(prefix + "-0", prefix + "-1", prefix + "-2");
        assertThat(last.items()).extracting(Tenants.Tenant::name).containsExactly(prefix + "-6");
    }

    @Test
    void domainAndAccountLifecycle() {
        CallibryClient admin = admin();
        Tenants.Tenant t = admin.tenants().create(new Tenants.Create(unique("voip"), null, null));
        String host = unique("sip") + ".example.org";
        Domains.Domain d = admin.domains().create(new Domains.Create(t.id(), host.toUpperCase(), null));
        assertThat(d.name()).as("stored lower-case").isEqualTo(host);
        assertConflict(() -> admin.domains().create(new Domains.Create(t.id(), host, null)), "name");
        assertThat(admin.domains().list(new Domains.ListParams(t.id(), null, null, null)).items()).containsExactly(d);

        Accounts.Account a = admin.accounts().create(new Accounts.Create(d.id(), "3001", "Reception", PASSWORD, null));
        assertThat(a.domain()).isEqualTo(host);
        assertThat(a.tenantId()).isEqualTo(t.id());
        assertConflict(() -> admin.accounts().create(new Accounts.Create(d.id(), "3001", null, PASSWORD, null)), "number");
        Accounts.Account b = admin.accounts().create(new Accounts.Create(d.id(), "3002", "Sales", PASSWORD, false));
        assertThat(admin.accounts().list(new Accounts.ListParams(null, d.id(), "sal", null, null, null)).items()).containsExactly(b);
        assertThat(admin.accounts().list(new Accounts.ListParams(t.id(), null, null, true, null, null)).items()).containsExactly(a);

        Accounts.Account changed = admin.accounts().update(new Accounts.Update(a.id(), "Front desk", "new-password-1", null));
        assertThat(changed.displayName()).isEqualTo("Front desk");
        assertThat(changed.updatedAt()).isAfterOrEqualTo(a.updatedAt());

        assertConflict(() -> admin.domains().delete(d.id()), "id");
        admin.accounts().delete(a.id());
        admin.accounts().delete(b.id());
        Domains.Domain alias = admin.domains().update(new Domains.Update(d.id(), false));
        assertThat(alias.localAlias()).isFalse();
        admin.domains().delete(d.id());
        admin.tenants().delete(t.id());
    }

    @Test
    void onlyOneDomainIsTheLocalAlias() {
        CallibryClient admin = admin();
        Tenants.Tenant t = admin.tenants().create(new Tenants.Create(unique("alias"), null, null));
        // the demo domain already is the local alias
        assertConflict(() -> admin.domains().create(new Domains.Create(t.id(), unique("a") + ".example.net", true)), "localAlias");
    }

    @Test
    void accountSecretsAreNeverReturned() {
        CallibryClient admin = admin();
        JsonNode raw = admin.call("account.list", Map.of("query", "100"), JsonNode.class);
        String text = raw.toString();
        assertThat(raw.get("total").asLong()).isGreaterThanOrEqualTo(5);
        assertThat(text).doesNotContainIgnoringCase("ha1").doesNotContainIgnoringCase("password").doesNotContain(DEMO_PASSWORD);
        String users = admin.call("user.list", Map.of(), JsonNode.class).toString();
        assertThat(users).doesNotContainIgnoringCase("password").doesNotContain("$2a$");
    }

    @Test
    void demoDataIsSeeded() {
        CallibryClient admin = admin();
        Tenants.Tenant demo = admin.tenants().list(new Tenants.ListParams("Demo", null, null)).items().getFirst();
        Domains.Domain d = admin.domains().list(new Domains.ListParams(demo.id(), null, null, null)).items().getFirst();
        assertThat(d.localAlias()).isTrue();
        assertThat(admin.accounts().list(new Accounts.ListParams(demo.id(), null, null, null, null, null)).items())
                .extracting(Accounts.Account::number).containsExactly("1001", "1002", "1003", "1004", "1005");
        CallibryClient customer = anonymous();
        customer.login("demo", DEMO_PASSWORD);
        assertThat(customer.whoami().tenantId()).isEqualTo(demo.id());
    }

    @Test
    void userLifecycleAndRules() {
        CallibryClient admin = admin();
        Tenants.Tenant t = admin.tenants().create(new Tenants.Create(unique("staff"), null, null));
        String name = unique("super");
        Users.User u = admin.users().create(new Users.Create(name, PASSWORD, Role.SUPERVISOR, null, null, "Sue", null));
        assertThat(u.tenantId()).isNull();
        assertConflict(() -> admin.users().create(new Users.Create(name.toUpperCase(), PASSWORD, Role.OPERATOR, null, null, null, null)),
                "username");
        assertThatThrownBy(() -> admin.users().create(new Users.Create(unique("c"), PASSWORD, Role.CUSTOMER, null, null, null, null)))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.field()).isEqualTo("tenantId"));
        assertThatThrownBy(() -> admin.users().create(new Users.Create(unique("a"), PASSWORD, Role.ADMIN, t.id(), null, null, null)))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.field()).isEqualTo("tenantId"));
        Users.User changed = admin.users().update(new Users.Update(u.id(), "Susan", null, Role.OPERATOR, null, null));
        assertThat(changed.role()).isEqualTo(Role.OPERATOR);
        assertThat(changed.displayName()).isEqualTo("Susan");
        assertThat(admin.users().list(new Users.ListParams(null, Role.OPERATOR, name, null, null)).items()).containsExactly(changed);
        admin.users().delete(u.id());
        assertThatThrownBy(() -> admin.users().get(u.id())).isInstanceOf(RpcErrorException.class);
    }

    @Test
    void theLastAdminCannotBeRemoved() {
        CallibryClient admin = admin();
        long self = admin.whoami().userId();
        assertConflict(() -> admin.users().delete(self), "id");
        assertConflict(() -> admin.users().update(new Users.Update(self, null, null, Role.OPERATOR, null, null)), "id");
        assertConflict(() -> admin.users().update(new Users.Update(self, null, null, null, null, false)), "id");
    }

    @Test
    void contactLifecycleAndSearch() {
        CallibryClient admin = admin();
        Tenants.Tenant t = admin.tenants().create(new Tenants.Create(unique("crm"), null, null));
        Contacts.Contact c = admin.contacts().create(new Contacts.Create(t.id(), "Ann Smith", "+74951234567", "ann@example.com",
                "Globex", "VIP"));
        admin.contacts().create(new Contacts.Create(t.id(), "Bob Jones", "1002", null, "Initech", null));
        assertThat(admin.contacts().list(new Contacts.ListParams(t.id(), "globex", null, null)).items()).containsExactly(c);
        assertThat(admin.contacts().list(new Contacts.ListParams(t.id(), "4951", null, null)).items()).containsExactly(c);
        Contacts.Contact moved = admin.contacts().update(new Contacts.Update(c.id(), null, "+74957654321", null, null, null));
        assertThat(moved.number()).isEqualTo("+74957654321");
        assertThat(moved.company()).isEqualTo("Globex");
        assertThatThrownBy(() -> admin.contacts().create(new Contacts.Create(t.id(), "X", "not a number!", "bad-mail", null, null)))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.data().get("errors").findValuesAsString("field"))
                        .containsExactlyInAnyOrder("number", "email"));
        admin.contacts().delete(c.id());
        assertThat(admin.contacts().list(new Contacts.ListParams(t.id(), null, null, null)).total()).isEqualTo(1);
    }

    @Test
    void systemMethodsReportVersionAndHealth() {
        CallibryClient admin = admin();
        assertThat(admin.version().version()).isNotBlank();
        var health = admin.health();
        assertThat(health.status()).isEqualTo("UP");
        assertThat(health.components()).containsKeys("db", "diskSpace");
        assertThat(health.components().get("db").status()).isEqualTo("UP");
    }

    @Test
    void prometheusMetricsAndActuatorHealthAreServed() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var metrics = http.send(java.net.http.HttpRequest.newBuilder(base().resolve("actuator/prometheus")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
        var health = http.send(java.net.http.HttpRequest.newBuilder(base().resolve("actuator/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(JsonMapper.builder().build().readTree(health.body()).get("status").asString()).isEqualTo("UP");
        var console = http.send(java.net.http.HttpRequest.newBuilder(base().resolve("console/")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(console.body()).contains("Callibry operator console");
    }
}
