package org.callibry.shared.api.dto;

/**
 * Params of the {@code <family>.changed} push notifications: what object changed, in which tenant,
 * and how ({@code created}, {@code updated}, {@code deleted}).
 */
public record Change(String family, long id, Long tenantId, String action) {
}
