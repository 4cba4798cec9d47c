package org.callibry.server.directory;

/**
 * A directory object was created, updated or deleted (pushed to API clients as
 * {@code <family>.changed}, e.g. {@code account.changed}).
 *
 * @param family {@code tenant}, {@code domain}, {@code account}, {@code user}, {@code contact} or {@code audio}
 * @param action {@code created}, {@code updated} or {@code deleted}
 */
public record DirectoryChanged(String family, long id, Long tenantId, String action) {
}
