package org.callibry.server.portal.internal;

import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code callibry.portal.*}: the customer portal's browser sessions and how it shows times.
 *
 * @param sessionTimeout a portal session ends after this long without a request
 * @param timeZone       the zone dates are entered and times shown in
 * @param pageSize       rows per page of the call log, queue log and webhook log
 */
@ConfigurationProperties("callibry.portal")
record PortalProperties(@DefaultValue("30m") Duration sessionTimeout, @DefaultValue("UTC") ZoneId timeZone,
                        @DefaultValue("50") int pageSize) {

    PortalProperties {
        if (sessionTimeout.isNegative() || sessionTimeout.isZero() || pageSize < 1 || pageSize > 500) {
            throw new IllegalArgumentException("callibry.portal: session-timeout must be positive, page-size 1-500");
        }
    }
}
