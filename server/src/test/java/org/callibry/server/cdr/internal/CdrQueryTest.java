package org.callibry.server.cdr.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.storage.Sql;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.Cdrs;
import org.junit.jupiter.api.Test;

/**
 * The conditions a search becomes: numbers as index-friendly prefix patterns by default (LIKE
 * wildcards in the value taken literally), substring and exact on request; the time range
 * half-open and checked; a tenant-bound caller always scoped to its tenant and refused another.
 */
class CdrQueryTest {
    private static final Caller ADMIN = new Caller(1, "admin", Role.ADMIN, null);
    private static final Caller CUSTOMER = new Caller(2, "cust", Role.CUSTOMER, 5L);
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private static Cdrs.Filter numbers(String from, String to, Cdrs.Match match) {
        return new Cdrs.Filter(from, to, match, null, null, null, null, null);
    }

    @Test
    void numbersArePrefixesByDefault() {
        Sql.Where w = CdrQuery.where(ADMIN, numbers("+7495", "100_%", null));
        assertThat(w.sql()).isEqualTo(" where lower(a_number) like :aNumber and lower(b_number) like :bNumber");
        assertThat(w.params()).containsEntry("aNumber", "+7495%").containsEntry("bNumber", "100\\_\\%%");
    }

    @Test
    void substringAndExactMatchOnRequest() {
        assertThat(CdrQuery.where(ADMIN, numbers("Alice", null, Cdrs.Match.SUBSTRING)).params())
                .containsEntry("aNumber", "%alice%");
        Sql.Where exact = CdrQuery.where(ADMIN, numbers(null, " 1002 ", Cdrs.Match.EXACT));
        assertThat(exact.sql()).isEqualTo(" where lower(b_number) = :bNumber");
        assertThat(exact.params()).containsEntry("bNumber", "1002");
    }

    @Test
    void noFilterIsNoCondition() {
        assertThat(CdrQuery.where(ADMIN, Cdrs.Filter.none()).sql()).isEmpty();
        assertThat(CdrQuery.where(ADMIN, numbers(" ", "", null)).sql()).isEmpty();
    }

    @Test
    void timeRangeIsHalfOpenAndMustRunForwards() {
        Sql.Where w = CdrQuery.where(ADMIN, new Cdrs.Filter(null, null, null, T0, T0.plusSeconds(60), Cdrs.Disposition.BUSY,
                " Main ", null));
        assertThat(w.sql()).contains("disposition = :", "started_at >= :timeFrom", "started_at < :timeTo",
                "lower(route_name) = :route");
        assertThat(w.params()).containsEntry("route", "main").containsValue("BUSY");
        assertThatThrownBy(() -> CdrQuery.where(ADMIN, new Cdrs.Filter(null, null, null, T0, T0, null, null, null)))
                .isInstanceOfSatisfying(RpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
                    assertThat(e.data()).containsEntry("field", "timeTo");
                });
    }

    @Test
    void aBoundCallerIsScopedToItsTenant() {
        assertThat(CdrQuery.where(CUSTOMER, Cdrs.Filter.none()).params()).containsValue(5L);
        assertThat(CdrQuery.where(ADMIN, new Cdrs.Filter(null, null, null, null, null, null, null, 9L)).params()).containsValue(9L);
        assertThatThrownBy(() -> CdrQuery.where(CUSTOMER, new Cdrs.Filter(null, null, null, null, null, null, null, 9L)))
                .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.FORBIDDEN));
    }
}
