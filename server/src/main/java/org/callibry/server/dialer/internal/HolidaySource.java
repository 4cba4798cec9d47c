package org.callibry.server.dialer.internal;

import java.time.LocalDate;

/**
 * A tenant's holidays, for campaign schedules with {@code holidays} on. The holiday calendar belongs to
 * the tenant settings that arrive with the IVR module; until a bean of this type adapts it, no date is a
 * holiday (and {@code campaign.create} says so when a schedule asks for holidays).
 */
interface HolidaySource {

    boolean isHoliday(long tenantId, LocalDate date);
}
