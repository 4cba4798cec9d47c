package org.callibry.server.directory;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the registrar and proxy need of the directory: SIP domains and the digest credentials of SIP
 * accounts. The {@code sip} module loads these once and keeps them in memory, refreshing an entry on
 * {@link DirectoryChanged}, so no SIP request waits for the database.
 */
public interface SipDirectory {

    record Domain(long id, long tenantId, String name, boolean localAlias) {
    }

    /** An account's digest credentials: HA1 values for realm = domain name. */
    record Credentials(long accountId, long tenantId, long domainId, String domain, String number, String displayName,
                       String ha1Md5, String ha1Sha256, boolean enabled) {
    }

    List<Domain> domains();

    List<Credentials> accounts();

    Optional<Credentials> account(long accountId);

    /** The accounts with these ids that exist, by id (one query). */
    Map<Long, Credentials> accounts(Collection<Long> accountIds);

    /** The SIP account a user (an operator's login) is linked to, if any. */
    Optional<Long> accountOfUser(long userId);

    /** The API user linked to a SIP account (its operator), if any; the first operator when several are. */
    Optional<Long> userOfAccount(long accountId);
}
