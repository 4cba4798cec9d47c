package org.callibry.server.crm.internal;

import java.time.Instant;
import java.util.Map;
import org.callibry.server.acd.QueueDirectory;
import org.callibry.server.api.Caller;
import org.callibry.server.api.PushNotification;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.api.UserCredentials;
import org.callibry.server.directory.SipDirectory;
import org.callibry.server.storage.Sql;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.CallNotes;
import org.callibry.shared.api.dto.IdParams;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * The operator console's API: the tenant's wrap-up codes, notes on calls by their shared call id
 * (pushed to the tenant's consoles as {@code callNote.changed}, so a transferred call's card shows what
 * the previous operator wrote), the script of each queue, and supervisors' messages to operators.
 * Tenant walls everywhere: a bound caller sees and writes its own tenant only; another tenant's objects
 * are "not found".
 */
@Component
class CallNoteEndpoint {
    private static final Role[] EVERYONE = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER, Role.OPERATOR};

    private final CallNoteStore store;
    private final QueueDirectory queues;
    private final SipDirectory directory;
    private final UserCredentials users;
    private final ApplicationEventPublisher events;

    CallNoteEndpoint(CallNoteStore store, QueueDirectory queues, SipDirectory directory, UserCredentials users,
                     ApplicationEventPublisher events) {
        this.store = store;
        this.queues = queues;
        this.directory = directory;
        this.users = users;
        this.events = events;
    }

    // ---- wrap-up codes ----

    @RpcMethod(value = Methods.WRAPUP_CODE_CREATE, roles = {Role.ADMIN, Role.SUPERVISOR},
            summary = "A wrap-up code of the tenant (the operator's outcome of a call, saved with its notes)")
    CallNotes.WrapupCode createCode(Caller caller, CallNotes.WrapupCreate p) {
        Long tenant = caller.scopeTenant(p.tenantId(), "tenantId");
        if (tenant == null) {
            throw RpcException.invalid("tenantId", "must not be null");
        }
        try {
            return store.createCode(tenant, p.code().strip(), p.label().strip(), p.enabled() == null || p.enabled());
        } catch (DataIntegrityViolationException e) {
            throw Sql.conflict(e, Map.of("wrapup_code_uq", "code"));
        }
    }

    @RpcMethod(value = Methods.WRAPUP_CODE_LIST, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER, Role.OPERATOR},
            summary = "The tenant's wrap-up codes by label (enabledOnly: what the console offers)")
    java.util.List<CallNotes.WrapupCode> listCodes(Caller caller, CallNotes.WrapupList p) {
        Long tenant = caller.role() == Role.OPERATOR ? tenantOf(caller) : caller.scopeTenant(p.tenantId(), "tenantId");
        return store.codes(tenant, Boolean.TRUE.equals(p.enabledOnly()));
    }

    @RpcMethod(value = Methods.WRAPUP_CODE_UPDATE, roles = {Role.ADMIN, Role.SUPERVISOR},
            summary = "A wrap-up code's new label or enabled flag (its code stays: notes refer to it)")
    CallNotes.WrapupCode updateCode(Caller caller, CallNotes.WrapupUpdate p) {
        visibleCode(caller, p.id());
        return store.updateCode(p.id(), p.label() == null ? null : p.label().strip(), p.enabled());
    }

    @RpcMethod(value = Methods.WRAPUP_CODE_DELETE, roles = {Role.ADMIN, Role.SUPERVISOR},
            summary = "Delete a wrap-up code; notes keep the code they were saved with")
    void deleteCode(Caller caller, IdParams p) {
        visibleCode(caller, p.id());
        store.deleteCode(p.id());
    }

    private CallNotes.WrapupCode visibleCode(Caller caller, long id) {
        return store.code(id).filter(c -> caller.canSee(c.tenantId())).orElseThrow(() -> RpcException.notFound("wrapupCode", id));
    }

    // ---- notes ----

    @RpcMethod(value = Methods.CALL_NOTE_ADD, roles = {Role.OPERATOR, Role.SUPERVISOR},
            summary = "A note on a call of the caller's tenant (by the call id shared by its legs): text and/or a wrap-up code")
    CallNotes.Note addNote(Caller caller, CallNotes.NoteAdd p) {
        long tenant = tenantOf(caller);
        String text = p.text() == null ? "" : p.text().strip();
        String code = blankToNull(p.wrapupCode());
        if (text.isEmpty() && code == null) {
            throw RpcException.invalid("text", "a note needs a text or a wrap-up code");
        }
        checkCode(tenant, code);
        long id = store.addNote(tenant, p.callId().strip(), caller.userId(), caller.username(), code, text);
        CallNotes.Note note = store.note(id).orElseThrow();
        changed(note, "created");
        return note;
    }

    @RpcMethod(value = Methods.CALL_NOTE_LIST, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER, Role.OPERATOR},
            summary = "The notes on a call (all its legs), oldest first, with their wrap-up codes")
    CallNotes.Notes listNotes(Caller caller, CallNotes.NoteList p) {
        Long tenant = caller.role() == Role.OPERATOR ? Long.valueOf(tenantOf(caller)) : caller.tenantId();
        String callId = p.callId().strip();
        return new CallNotes.Notes(callId, store.notes(callId, tenant));
    }

    @RpcMethod(value = Methods.CALL_NOTE_UPDATE, roles = {Role.ADMIN, Role.SUPERVISOR, Role.OPERATOR},
            summary = "Change a note's text or wrap-up code: operators their own notes, supervisors their tenant's")
    CallNotes.Note updateNote(Caller caller, CallNotes.NoteUpdate p) {
        CallNotes.Note old = writableNote(caller, p.id());
        String code = p.wrapupCode() == null ? old.wrapupCode() : blankToNull(p.wrapupCode());
        if (p.wrapupCode() != null) {
            checkCode(old.tenantId(), code);
        }
        String text = p.text() == null ? null : p.text().strip();
        if ((text == null ? old.text() : text).isEmpty() && code == null) {
            throw RpcException.invalid("text", "a note needs a text or a wrap-up code");
        }
        store.updateNote(p.id(), code, p.wrapupCode() != null, text);
        CallNotes.Note note = store.note(p.id()).orElseThrow();
        changed(note, "updated");
        return note;
    }

    @RpcMethod(value = Methods.CALL_NOTE_DELETE, roles = {Role.ADMIN, Role.SUPERVISOR, Role.OPERATOR},
            summary = "Delete a note: operators their own notes, supervisors their tenant's")
    void deleteNote(Caller caller, IdParams p) {
        CallNotes.Note old = writableNote(caller, p.id());
        store.deleteNote(p.id());
        events.publishEvent(new PushNotification(Methods.CALL_NOTE_CHANGED,
                new CallNotes.NoteChanged(old.callId(), "deleted", old.id(), null), old.tenantId()));
    }

    private CallNotes.Note writableNote(Caller caller, long id) {
        CallNotes.Note n = store.note(id).orElseThrow(() -> RpcException.notFound("callNote", id));
        boolean visible = caller.role() == Role.OPERATOR ? tenantOf(caller) == n.tenantId() : caller.canSee(n.tenantId());
        if (!visible) {
            throw RpcException.notFound("callNote", id);
        }
        if (caller.role() == Role.OPERATOR && n.userId() != caller.userId()) {
            throw RpcException.forbidden("id", "operators change their own notes only");
        }
        return n;
    }

    private void checkCode(long tenant, String code) {
        if (code != null && store.code(tenant, code).filter(CallNotes.WrapupCode::enabled).isEmpty()) {
            throw RpcException.invalid("wrapupCode", "not an enabled wrap-up code of the tenant: " + code);
        }
    }

    private void changed(CallNotes.Note note, String action) {
        events.publishEvent(new PushNotification(Methods.CALL_NOTE_CHANGED,
                new CallNotes.NoteChanged(note.callId(), action, note.id(), note), note.tenantId()));
    }

    // ---- queue scripts ----

    @RpcMethod(value = Methods.QUEUE_SCRIPT_GET, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER, Role.OPERATOR},
            summary = "The script operators read to a queue's callers, by queue id or by name in the caller's tenant")
    CallNotes.QueueScript getScript(Caller caller, CallNotes.QueueScriptGet p) {
        QueueDirectory.Info q;
        if (p.queueId() != null) {
            q = visibleQueue(caller, p.queueId());
        } else if (p.queueName() != null && !p.queueName().isBlank()) {
            Long tenant = caller.role() == Role.OPERATOR ? Long.valueOf(tenantOf(caller)) : caller.scopeTenant(p.tenantId(), "tenantId");
            if (tenant == null) {
                throw RpcException.invalid("tenantId", "name the tenant whose queue this is");
            }
            String name = p.queueName().strip();
            q = queues.queuesOf(tenant).values().stream().filter(i -> i.name().equals(name)).findFirst()
                    .orElseThrow(() -> RpcException.invalid("queueName", "no queue of the tenant has this name"));
        } else {
            throw RpcException.invalid("queueId", "give queueId or queueName");
        }
        return script(q);
    }

    @RpcMethod(value = Methods.QUEUE_SCRIPT_SET, roles = {Role.ADMIN, Role.SUPERVISOR},
            summary = "Replace the script of a queue (an empty text removes it)")
    CallNotes.QueueScript setScript(Caller caller, CallNotes.QueueScriptSet p) {
        QueueDirectory.Info q = visibleQueue(caller, p.queueId());
        store.setScript(q.id(), q.tenantId(), p.text().strip(), caller.username());
        return script(q);
    }

    private QueueDirectory.Info visibleQueue(Caller caller, long id) {
        QueueDirectory.Info q = queues.queues(java.util.List.of(id)).get(id);
        long tenant = q == null ? -1 : q.tenantId();
        boolean visible = q != null && (caller.role() == Role.OPERATOR ? tenantOf(caller) == tenant : caller.canSee(tenant));
        if (!visible) {
            throw RpcException.notFound("queue", id);
        }
        return q;
    }

    private CallNotes.QueueScript script(QueueDirectory.Info q) {
        CallNoteStore.Script s = store.script(q.id()).orElse(new CallNoteStore.Script("", null, null));
        return new CallNotes.QueueScript(q.id(), q.tenantId(), q.name(), s.text(), s.updatedBy(), s.updatedAt());
    }

    // ---- messages ----

    @RpcMethod(value = Methods.OPERATOR_MESSAGE, roles = {Role.ADMIN, Role.SUPERVISOR},
            summary = "Push a message to one operator's open consoles (by user id or SIP account); not stored")
    CallNotes.MessageSent message(Caller caller, CallNotes.OperatorMessage p) {
        long userId;
        if (p.userId() != null) {
            userId = p.userId();
        } else if (p.accountId() != null) {
            SipDirectory.Credentials account = directory.account(p.accountId()).filter(a -> caller.canSee(a.tenantId()))
                    .orElseThrow(() -> RpcException.notFound("account", p.accountId()));
            userId = directory.userOfAccount(account.accountId())
                    .orElseThrow(() -> RpcException.invalid("accountId", "no operator is linked to this account"));
        } else {
            throw RpcException.invalid("userId", "give userId or accountId");
        }
        Caller target = users.findEnabled(userId).orElseThrow(() -> RpcException.notFound("user", userId));
        Long targetTenant = target.tenantId() != null ? target.tenantId()
                : directory.accountOfUser(userId).flatMap(directory::account).map(SipDirectory.Credentials::tenantId).orElse(null);
        if (caller.tenantBound() && !caller.tenantId().equals(targetTenant)) {
            throw RpcException.notFound("user", userId);
        }
        events.publishEvent(new PushNotification(Methods.OPERATOR_MESSAGE,
                new CallNotes.MessagePushed(caller.username(), p.text().strip(), Instant.now()), targetTenant, userId));
        return new CallNotes.MessageSent(userId, target.username());
    }

    /** The tenant an operator works for: its own, else its SIP account's. */
    private long tenantOf(Caller caller) {
        if (caller.tenantId() != null) {
            return caller.tenantId();
        }
        return directory.accountOfUser(caller.userId()).flatMap(directory::account).map(SipDirectory.Credentials::tenantId)
                .orElseThrow(() -> RpcException.invalid("callId", "an unbound user has no tenant to keep notes in"));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
