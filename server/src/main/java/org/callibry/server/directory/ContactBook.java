package org.callibry.server.directory;

import java.util.Optional;
import org.callibry.shared.api.dto.Contacts;

/** The tenant's company directory, as other modules look a caller up in it. */
public interface ContactBook {

    /** The tenant's contact with exactly this number (the oldest when several have it), if any. */
    Optional<Contacts.Contact> byNumber(long tenantId, String number);
}
