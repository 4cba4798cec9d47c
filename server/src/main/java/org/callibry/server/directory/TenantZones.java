package org.callibry.server.directory;

import java.time.ZoneId;

/** Each tenant's time zone (its "today": queue statistics, KPIs, business hours); UTC when unset. Cached. */
public interface TenantZones {

    ZoneId zone(long tenantId);
}
