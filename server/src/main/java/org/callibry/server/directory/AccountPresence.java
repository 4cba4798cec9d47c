package org.callibry.server.directory;

import java.util.Optional;

/**
 * Registration state of SIP accounts, supplied by the module that runs the registrar ({@code sip}),
 * shown by {@code account.list}/{@code account.get}. Without a registrar every account is offline.
 */
public interface AccountPresence {

    /** Registered contacts of the account right now (0 when offline). */
    int contacts(long accountId);

    /** The expiry of the latest-expiring registration, if any. */
    Optional<java.time.Instant> registeredUntil(long accountId);
}
