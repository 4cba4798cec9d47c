package org.callibry.server.routing;

/**
 * The route table changed; by the time this is published, {@link CallRouting} already decides with
 * the new table (pushed as {@code route.changed} to unbound callers: routes belong to no tenant).
 *
 * @param id     the route, or 0 when many changed at once ({@code reordered}, {@code imported})
 * @param action {@code created}, {@code updated}, {@code deleted}, {@code reordered} or {@code imported}
 */
public record RouteChanged(long id, String action) {
}
