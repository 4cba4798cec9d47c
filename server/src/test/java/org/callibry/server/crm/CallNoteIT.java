package org.callibry.server.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.client.RpcErrorException;
import org.callibry.shared.api.dto.CallNotes;
import org.callibry.shared.api.dto.Notification;
import org.callibry.shared.api.dto.Queues;
import org.callibry.shared.api.dto.Users;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * The operator console's API against the real server. Scenarios: wrap-up codes managed by supervisors and
 * admins inside tenant walls, offered to operators when enabled; notes on a call by its shared call id,
 * seen by the tenant's next operator (a transferred call) and never by another tenant, changed only by
 * their author or a supervisor, pushed as {@code callNote.changed}; queue scripts by id and by name;
 * {@code operator.message} pushed to the one operator named; validation errors naming the field.
 */
class CallNoteIT extends ApiTestSupport {

    private static void fails(ThrowableAssert.ThrowingCallable call, int code, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(RpcErrorException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            if (field != null) {
                assertThat(e.field()).as(e.getMessage()).isEqualTo(field);
            }
        });
    }

    private static Notification next(BlockingQueue<Notification> q, String method) throws InterruptedException {
        return next(q, method, n -> true);
    }

    private static Notification next(BlockingQueue<Notification> q, String method, java.util.function.Predicate<Notification> which)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Notification n = q.poll(100, TimeUnit.MILLISECONDS);
            if (n != null && n.method().equals(method) && which.test(n)) {
                return n;
            }
        }
        throw new AssertionError("no " + method + " notification within 10 s");
    }

    private static boolean none(BlockingQueue<Notification> q, String method) {
        return q.stream().noneMatch(n -> n.method().equals(method));
    }

    private String secondOperator(Fixture f) {
        String name = unique("op2");
        admin().users().create(new Users.Create(name, PASSWORD, Role.OPERATOR, f.tenant().id(), null, null, null));
        return name;
    }

    @Test
    void wrapupCodesAreKeptBySupervisorsAndAdminsPerTenant() {
        Fixture a = fixture();
        Fixture b = fixture();
        CallibryClient supA = as(a.supervisor());
        CallNotes.WrapupCode sale = supA.createWrapupCode(new CallNotes.WrapupCreate(null, "SALE", "Sale made", null));
        assertThat(sale.tenantId()).isEqualTo(a.tenant().id());
        assertThat(sale.enabled()).isTrue();
        CallNotes.WrapupCode later = supA.createWrapupCode(new CallNotes.WrapupCreate(null, "CALLBACK", "Call back later", true));

        fails(() -> supA.createWrapupCode(new CallNotes.WrapupCreate(null, "SALE", "Again", null)), ErrorCodes.CONFLICT, "code");
        fails(() -> supA.createWrapupCode(new CallNotes.WrapupCreate(null, "no spaces", "x", null)), ErrorCodes.INVALID_PARAMS, "code");
        fails(() -> supA.createWrapupCode(new CallNotes.WrapupCreate(null, "OK", " ", null)), ErrorCodes.INVALID_PARAMS, "label");
        fails(() -> as(a.operator()).createWrapupCode(new CallNotes.WrapupCreate(null, "X", "x", null)), ErrorCodes.FORBIDDEN, null);
        fails(() -> as(a.customer()).createWrapupCode(new CallNotes.WrapupCreate(null, "X", "x", null)), ErrorCodes.FORBIDDEN, null);
        fails(() -> supA.createWrapupCode(new CallNotes.WrapupCreate(b.tenant().id(), "X", "x", null)), ErrorCodes.FORBIDDEN, "tenantId");
        fails(() -> admin().createWrapupCode(new CallNotes.WrapupCreate(null, "X", "x", null)), ErrorCodes.INVALID_PARAMS, "tenantId");
        CallNotes.WrapupCode inB = admin().createWrapupCode(new CallNotes.WrapupCreate(b.tenant().id(), "SALE", "Sold", null));
        assertThat(inB.tenantId()).isEqualTo(b.tenant().id());

        // the operator is offered its tenant's enabled codes, by label
        assertThat(as(a.operator()).wrapupCodes(null, true)).extracting(CallNotes.WrapupCode::code).containsExactly("CALLBACK", "SALE");
        assertThat(as(b.operator()).wrapupCodes(null, true)).extracting(CallNotes.WrapupCode::label).containsExactly("Sold");
        supA.updateWrapupCode(new CallNotes.WrapupUpdate(later.id(), "Call back", false));
        assertThat(as(a.operator()).wrapupCodes(null, true)).extracting(CallNotes.WrapupCode::code).containsExactly("SALE");
        assertThat(supA.wrapupCodes(null, false)).extracting(CallNotes.WrapupCode::label).containsExactly("Call back", "Sale made");

        CallibryClient supB = as(b.supervisor());
        fails(() -> supB.updateWrapupCode(new CallNotes.WrapupUpdate(sale.id(), "mine", null)), ErrorCodes.NOT_FOUND, null);
        fails(() -> supB.deleteWrapupCode(sale.id()), ErrorCodes.NOT_FOUND, null);
        fails(() -> supB.wrapupCodes(a.tenant().id(), false), ErrorCodes.FORBIDDEN, "tenantId");
        supA.deleteWrapupCode(later.id());
        assertThat(supA.wrapupCodes(null, false)).extracting(CallNotes.WrapupCode::code).containsExactly("SALE");
    }

    @Test
    void notesFollowTheCallToTheNextOperatorOfTheTenantOnly() throws Exception {
        Fixture a = fixture();
        Fixture b = fixture();
        as(a.supervisor()).createWrapupCode(new CallNotes.WrapupCreate(null, "SALE", "Sale made", null));
        CallNotes.WrapupCode off = as(a.supervisor()).createWrapupCode(new CallNotes.WrapupCreate(null, "OLD", "Old", false));
        String callId = unique("call") + "@192.0.2.1";
        CallibryClient op1 = as(a.operator());
        String op2Name = secondOperator(a);
        CallibryClient op2 = as(op2Name);
        BlockingQueue<Notification> toOp2 = new LinkedBlockingQueue<>();
        BlockingQueue<Notification> toB = new LinkedBlockingQueue<>();
        try (var s2 = op2.subscribe(toOp2::add); var sb = as(b.operator()).subscribe(toB::add)) {
            CallNotes.Note first = op1.addCallNote(new CallNotes.NoteAdd(callId, "SALE", "  Wants the yearly plan  "));
            assertThat(first.text()).isEqualTo("Wants the yearly plan");
            assertThat(first.wrapupCode()).isEqualTo("SALE");
            assertThat(first.wrapupLabel()).isEqualTo("Sale made");
            assertThat(first.username()).isEqualTo(a.operator());
            assertThat(first.tenantId()).isEqualTo(a.tenant().id());

            // the call transferred to op2: its card (same call id) shows the note, and the push told it
            Notification pushed = next(toOp2, "callNote.changed");
            assertThat(pushed.params().get("callId").asString()).isEqualTo(callId);
            assertThat(pushed.params().get("action").asString()).isEqualTo("created");
            assertThat(pushed.params().get("note").get("text").asString()).isEqualTo("Wants the yearly plan");
            assertThat(op2.callNotes(callId).items()).containsExactly(first);
            CallNotes.Note second = op2.addCallNote(new CallNotes.NoteAdd(callId, null, "Sent the contract"));
            assertThat(op1.callNotes(callId).items()).extracting(CallNotes.Note::text)
                    .containsExactly("Wants the yearly plan", "Sent the contract");
            assertThat(as(a.customer()).callNotes(callId).items()).hasSize(2);
            assertThat(admin().callNotes(callId).items()).hasSize(2);

            // another tenant sees nothing of it, and its own note on the same id stays its own
            CallibryClient opB = as(b.operator());
            assertThat(opB.callNotes(callId).items()).isEmpty();
            CallNotes.Note bNote = opB.addCallNote(new CallNotes.NoteAdd(callId, null, "tenant B"));
            assertThat(op1.callNotes(callId).items()).extracting(CallNotes.Note::id).containsExactly(first.id(), second.id());
            Thread.sleep(300);
            assertThat(toB.stream().filter(n -> n.method().equals("callNote.changed"))
                    .allMatch(n -> n.params().get("id").asLong() == bNote.id())).as("B heard only of its own note").isTrue();

            // validation names the field
            fails(() -> op1.addCallNote(new CallNotes.NoteAdd(callId, null, "  ")), ErrorCodes.INVALID_PARAMS, "text");
            fails(() -> op1.addCallNote(new CallNotes.NoteAdd(callId, "NOPE", "x")), ErrorCodes.INVALID_PARAMS, "wrapupCode");
            fails(() -> op1.addCallNote(new CallNotes.NoteAdd(callId, off.code(), "x")), ErrorCodes.INVALID_PARAMS, "wrapupCode");
            fails(() -> opB.addCallNote(new CallNotes.NoteAdd(callId, "SALE", "A's code")), ErrorCodes.INVALID_PARAMS, "wrapupCode");
            fails(() -> op1.addCallNote(new CallNotes.NoteAdd(callId, null, "x".repeat(4001))), ErrorCodes.INVALID_PARAMS, "text");
            fails(() -> op1.addCallNote(new CallNotes.NoteAdd(" ", null, "x")), ErrorCodes.INVALID_PARAMS, "callId");
            fails(() -> as(a.customer()).addCallNote(new CallNotes.NoteAdd(callId, null, "x")), ErrorCodes.FORBIDDEN, null);

            // operators change their own notes; supervisors their tenant's; other tenants find nothing
            fails(() -> op2.updateCallNote(new CallNotes.NoteUpdate(first.id(), null, "mine now")), ErrorCodes.FORBIDDEN, "id");
            fails(() -> opB.updateCallNote(new CallNotes.NoteUpdate(first.id(), null, "x")), ErrorCodes.NOT_FOUND, null);
            fails(() -> as(b.supervisor()).deleteCallNote(first.id()), ErrorCodes.NOT_FOUND, null);
            CallNotes.Note edited = op1.updateCallNote(new CallNotes.NoteUpdate(first.id(), "", null));
            assertThat(edited.wrapupCode()).isNull();
            assertThat(edited.text()).isEqualTo("Wants the yearly plan");
            Notification update = next(toOp2, "callNote.changed", n -> n.params().get("action").asString().equals("updated"));
            assertThat(update.params().get("id").asLong()).isEqualTo(first.id());
            assertThat(update.params().get("note").get("wrapupCode").isNull()).isTrue();
            CallNotes.Note bySupervisor = as(a.supervisor()).updateCallNote(new CallNotes.NoteUpdate(second.id(), "SALE", null));
            assertThat(bySupervisor.wrapupLabel()).isEqualTo("Sale made");
            fails(() -> op1.updateCallNote(new CallNotes.NoteUpdate(first.id(), null, "")), ErrorCodes.INVALID_PARAMS, "text");
            op1.deleteCallNote(first.id());
            assertThat(op2.callNotes(callId).items()).extracting(CallNotes.Note::id).containsExactly(second.id());
            fails(() -> op1.deleteCallNote(first.id()), ErrorCodes.NOT_FOUND, null);
        }
    }

    @Test
    void queueScriptsAreSetBySupervisorsAndReadByTheTenantsOperators() {
        Fixture a = fixture();
        Fixture b = fixture();
        Queues.Queue queue = as(a.customer()).queues().create(Queues.Create.of(null, "500", unique("Sales"), null, List.of()));
        CallibryClient supA = as(a.supervisor());
        assertThat(supA.queueScript(new CallNotes.QueueScriptGet(queue.id(), null, null)).text()).isEmpty();
        CallNotes.QueueScript set = supA.setQueueScript(queue.id(), "Greet the caller.\nAsk for the order number.");
        assertThat(set.updatedBy()).isEqualTo(a.supervisor());
        CallNotes.QueueScript byName = as(a.operator()).queueScript(new CallNotes.QueueScriptGet(null, queue.name(), null));
        assertThat(byName.text()).isEqualTo("Greet the caller.\nAsk for the order number.");
        assertThat(byName.queueId()).isEqualTo(queue.id());

        CallibryClient opB = as(b.operator());
        fails(() -> opB.queueScript(new CallNotes.QueueScriptGet(null, queue.name(), null)), ErrorCodes.INVALID_PARAMS, "queueName");
        fails(() -> opB.queueScript(new CallNotes.QueueScriptGet(queue.id(), null, null)), ErrorCodes.NOT_FOUND, null);
        fails(() -> as(b.supervisor()).setQueueScript(queue.id(), "hijack"), ErrorCodes.NOT_FOUND, null);
        fails(() -> as(a.operator()).setQueueScript(queue.id(), "mine"), ErrorCodes.FORBIDDEN, null);
        fails(() -> supA.setQueueScript(queue.id(), "x".repeat(20_001)), ErrorCodes.INVALID_PARAMS, "text");
        fails(() -> supA.queueScript(new CallNotes.QueueScriptGet(null, null, null)), ErrorCodes.INVALID_PARAMS, "queueId");
        assertThat(admin().setQueueScript(queue.id(), "").text()).as("an empty text removes it").isEmpty();
        assertThat(as(a.operator()).queueScript(new CallNotes.QueueScriptGet(queue.id(), null, null)).text()).isEmpty();
    }

    @Test
    void aSupervisorsMessageReachesOnlyTheOperatorNamed() throws Exception {
        Fixture a = fixture();
        Fixture b = fixture();
        CallibryClient op1 = as(a.operator());
        long op1Id = op1.whoami().userId();
        String op2Name = secondOperator(a);
        BlockingQueue<Notification> toOp1 = new LinkedBlockingQueue<>();
        BlockingQueue<Notification> toOp2 = new LinkedBlockingQueue<>();
        BlockingQueue<Notification> toSupA = new LinkedBlockingQueue<>();
        BlockingQueue<Notification> toB = new LinkedBlockingQueue<>();
        try (var s1 = op1.subscribe(toOp1::add); var s2 = as(op2Name).subscribe(toOp2::add);
             var s3 = as(a.supervisor()).subscribe(toSupA::add); var s4 = as(b.operator()).subscribe(toB::add)) {
            CallibryClient supA = as(a.supervisor());
            CallNotes.MessageSent sent = supA.messageOperator(new CallNotes.OperatorMessage(op1Id, null, "Please take queue 2"));
            assertThat(sent.username()).isEqualTo(a.operator());
            Notification n = next(toOp1, "operator.message");
            assertThat(n.params().get("from").asString()).isEqualTo(a.supervisor());
            assertThat(n.params().get("text").asString()).isEqualTo("Please take queue 2");

            // by the operator's SIP account too
            supA.messageOperator(new CallNotes.OperatorMessage(null, a.account().id(), "Wrap up, please"));
            assertThat(next(toOp1, "operator.message").params().get("text").asString()).isEqualTo("Wrap up, please");
            Thread.sleep(300);
            assertThat(none(toOp2, "operator.message")).isTrue();
            assertThat(none(toSupA, "operator.message")).isTrue();
            assertThat(none(toB, "operator.message")).isTrue();

            long opBId = as(b.operator()).whoami().userId();
            fails(() -> supA.messageOperator(new CallNotes.OperatorMessage(opBId, null, "hi")), ErrorCodes.NOT_FOUND, null);
            fails(() -> supA.messageOperator(new CallNotes.OperatorMessage(null, b.account().id(), "hi")), ErrorCodes.NOT_FOUND, null);
            fails(() -> as(op2Name).messageOperator(new CallNotes.OperatorMessage(op1Id, null, "hi")), ErrorCodes.FORBIDDEN, null);
            fails(() -> supA.messageOperator(new CallNotes.OperatorMessage(op1Id, null, " ")), ErrorCodes.INVALID_PARAMS, "text");
            fails(() -> supA.messageOperator(new CallNotes.OperatorMessage(null, null, "hi")), ErrorCodes.INVALID_PARAMS, "userId");
            admin().messageOperator(new CallNotes.OperatorMessage(opBId, null, "from the admin"));
            assertThat(next(toB, "operator.message").params().get("from").asString()).isEqualTo("admin");
        }
    }
}
