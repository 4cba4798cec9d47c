package org.callibry.softphone.server;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.api.dto.Contacts;
import org.callibry.softphone.contacts.PersonalContacts;

/**
 * What the softphone asks of the server's JSON-RPC API (through the typed client of {@code shared}):
 * the company directory (the tenant's contacts and accounts) and the operator's status
 * ({@code agent.setStatus}). Logs in with the operator's API user.
 */
public final class ServerApi {
    private final CallibryClient client;

    public ServerApi(URI base, String user, String password) {
        this.client = CallibryClient.of(base);
        client.login(user, password);
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
    public java.util.Optional<Agents.AgentStatus> status() {
        try {
            return java.util.Optional.of(client.agentStatus(null));
        } catch (org.callibry.shared.api.client.RpcErrorException e) {
            if (e.code() == org.callibry.shared.api.ErrorCodes.NOT_FOUND) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    /** Sends the operator's status: free, or unavailable with a reason. */
    public Agents.AgentStatus setStatus(boolean free, String reason) {
        return client.setAgentStatus(new Agents.SetStatus(free ? Agents.Status.FREE : Agents.Status.UNAVAILABLE, reason, null));
    }
}
