package org.callibry.softphone.server;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.client.RpcErrorException;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.api.dto.Contacts;
import org.callibry.softphone.contacts.PersonalContacts;

/**
 * What the softphone asks of the server's JSON-RPC API (through the typed client of {@code shared}):
 * the company directory (the tenant's contacts and accounts) and the operator's status
 * ({@code agent.getStatus}, {@code agent.setStatus}). Logs in with the operator's API user; the token
 * also opens the push channel ({@link PushChannel}).
 */
public final class ServerApi {
    private final URI base;
    private final CallibryClient client;
    private final String user;
    private final String password;

    public ServerApi(URI base, String user, String password) {
        this.base = base;
        this.client = CallibryClient.of(base);
        this.user = user;
        this.password = password;
        login();
    }

    /** The server's API address. */
    public URI base() {
        return base;
    }

    /** Logs in (again: the token expired or was revoked). */
    public void login() {
        client.login(user, password);
    }

    /** The bearer token of the last login. */
    public String token() {
        return client.token();
    }

    /** The tenant's company directory and its SIP accounts, as contacts (read-only in the softphone). */
    public List<PersonalContacts.Contact> companyDirectory() {
        List<PersonalContacts.Contact> out = new ArrayList<>();
        for (Contacts.Contact c : client.contacts().list(new Contacts.ListParams(null, null, 0, 500)).items()) {
            out.add(new PersonalContacts.Contact(c.name(), c.number(), true));
        }
        for (Accounts.Account a : client.accounts().list(new Accounts.ListParams(null, null, null, true, 0, 500)).items()) {
            out.add(new PersonalContacts.Contact(a.displayName() == null || a.displayName().isBlank() ? a.number() : a.displayName(),
                    a.number(), true));
        }
        return out;
    }

    /** The operator's status as the server holds it; empty when it never had one. */
    public Optional<Agents.AgentStatus> status() {
        try {
            return Optional.of(client.agentStatus(null));
        } catch (RpcErrorException e) {
            if (e.code() == ErrorCodes.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Sets the operator's status: free, paused with a reason, or unavailable (logged out). */
    public Agents.AgentStatus setStatus(Agents.Status status, String reason) {
        boolean noReason = status == Agents.Status.FREE || reason == null || reason.isBlank();
        return client.setAgentStatus(new Agents.SetStatus(status, noReason ? null : reason.strip(), null));
    }
}
