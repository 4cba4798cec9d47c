package org.callibry.server.directory;

import java.time.LocalDate;
import java.util.Optional;

/** Each tenant's holiday calendar (dates with names, in the tenant's time zone): IVR time nodes, queues, campaigns. */
public interface Holidays {

    /** The name of tenant {@code tenantId}'s holiday on {@code date}, if that date is one. */
    Optional<String> holiday(long tenantId, LocalDate date);
}
