package org.callibry.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.client.RpcErrorException;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.AudioFiles;
import org.callibry.shared.api.dto.Contacts;
import org.callibry.shared.api.dto.Domains;
import org.callibry.shared.api.dto.Tenants;
import org.callibry.shared.api.dto.Users;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A customer of tenant A tries every directory method on tenant B's objects: reads answer "not found",
 * naming B's tenant is forbidden, lists show only A, and B's data is unchanged afterwards.
 */
class TenantIsolationIT extends ApiTestSupport {
    @TempDir
    Path tmp;

    private Fixture a;
    private Fixture b;
    private CallibryClient customerA;
    private long customerB;
    private Contacts.Contact contactB;
    private AudioFiles.AudioFile audioB;

    @BeforeEach
    void twoTenants() throws Exception {
        a = fixture();
        b = fixture();
        customerA = as(a.customer());
        CallibryClient admin = admin();
        customerB = admin.users().list(new Users.ListParams(b.tenant().id(), Role.CUSTOMER, null, null, null)).items().getFirst().id();
        contactB = admin.contacts().create(new Contacts.Create(b.tenant().id(), "B's client", "5551234", null, null, null));
        audioB = admin.uploadAudio(AudioApiIT.wav(tmp.resolve("b.wav")), "greeting", b.tenant().id());
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private static void notFound(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertCode(call, ErrorCodes.NOT_FOUND);
    }

    private static void forbidden(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertCode(call, ErrorCodes.FORBIDDEN);
    }

    @Test
    void tenants() {
        notFound(() -> customerA.tenants().get(b.tenant().id()));
        assertThat(customerA.tenants().list(null).items()).extracting(Tenants.Tenant::id).containsExactly(a.tenant().id());
        forbidden(() -> customerA.tenants().update(new Tenants.Update(b.tenant().id(), "mine", null, null)));
        forbidden(() -> customerA.tenants().delete(b.tenant().id()));
    }

    @Test
    void domains() {
        notFound(() -> customerA.domains().get(b.domain().id()));
        forbidden(() -> customerA.domains().list(new Domains.ListParams(b.tenant().id(), null, null, null)));
        assertThat(customerA.domains().list(null).items()).extracting(Domains.Domain::id).containsExactly(a.domain().id());
        forbidden(() -> customerA.domains().create(new Domains.Create(b.tenant().id(), unique("x") + ".example.com", null)));
        forbidden(() -> customerA.domains().update(new Domains.Update(b.domain().id(), true)));
        forbidden(() -> customerA.domains().delete(b.domain().id()));
    }

    @Test
    void accounts() {
        long id = b.account().id();
        notFound(() -> customerA.accounts().get(id));
        notFound(() -> customerA.accounts().update(new Accounts.Update(id, "hijacked", "stolen-password", false)));
        notFound(() -> customerA.accounts().delete(id));
        forbidden(() -> customerA.accounts().list(new Accounts.ListParams(b.tenant().id(), null, null, null, null, null)));
        assertThat(customerA.accounts().list(new Accounts.ListParams(null, b.domain().id(), null, null, null, null)).items()).isEmpty();
        assertThat(customerA.accounts().list(null).items()).extracting(Accounts.Account::tenantId).containsOnly(a.tenant().id());
        assertThatThrownBy(() -> customerA.accounts().create(new Accounts.Create(b.domain().id(), "6666", null, PASSWORD, null)))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.field()).isEqualTo("domainId"));
        Accounts.Account after = admin().accounts().get(id);
        assertThat(after).isEqualTo(b.account());
    }

    @Test
    void users() {
        notFound(() -> customerA.users().get(customerB));
        notFound(() -> customerA.users().update(new Users.Update(customerB, null, "taken-over-1", null, null, null)));
        notFound(() -> customerA.users().delete(customerB));
        long adminId = admin().whoami().userId();
        notFound(() -> customerA.users().get(adminId));
        forbidden(() -> customerA.users().list(new Users.ListParams(b.tenant().id(), null, null, null, null)));
        assertThat(customerA.users().list(null).items()).extracting(Users.User::tenantId).containsOnly(a.tenant().id());
        forbidden(() -> customerA.users().create(new Users.Create(unique("spy"), PASSWORD, Role.OPERATOR, b.tenant().id(), null, null, null)));
        assertThatThrownBy(() -> customerA.users().create(new Users.Create(unique("spy"), PASSWORD, Role.OPERATOR, null,
                b.account().id(), null, null)))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.field()).isEqualTo("accountId"));
        assertThat(as(b.customer()).whoami().userId()).as("B's customer still logs in with its password").isEqualTo(customerB);
    }

    @Test
    void contacts() {
        notFound(() -> customerA.contacts().get(contactB.id()));
        notFound(() -> customerA.contacts().update(new Contacts.Update(contactB.id(), "mine", null, null, null, null)));
        notFound(() -> customerA.contacts().delete(contactB.id()));
        forbidden(() -> customerA.contacts().list(new Contacts.ListParams(b.tenant().id(), null, null, null)));
        forbidden(() -> customerA.contacts().create(new Contacts.Create(b.tenant().id(), "x", "1", null, null, null)));
        assertThat(customerA.contacts().list(null).items()).isEmpty();
        assertThat(as(a.operator()).contacts().list(null).items()).isEmpty();
        assertThat(admin().contacts().get(contactB.id())).isEqualTo(contactB);
    }

    @Test
    void audio() throws Exception {
        notFound(() -> customerA.audio().get(audioB.id()));
        notFound(() -> customerA.audio().update(new AudioFiles.Update(audioB.id(), "mine")));
        notFound(() -> customerA.audio().delete(audioB.id()));
        notFound(() -> customerA.downloadAudio(audioB.id()));
        forbidden(() -> customerA.audio().list(new AudioFiles.ListParams(b.tenant().id(), null, null, null)));
        assertThat(customerA.audio().list(null).items()).isEmpty();
        Path wav = AudioApiIT.wav(tmp.resolve("a.wav"));
        forbidden(() -> customerA.uploadAudio(wav, "planted", b.tenant().id()));
        assertThat(admin().downloadAudio(audioB.id())).isEqualTo(Files.readAllBytes(tmp.resolve("b.wav")));
    }
}
