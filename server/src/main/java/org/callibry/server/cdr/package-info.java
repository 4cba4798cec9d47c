/**
 * Call detail records: every {@link org.callibry.server.calls.CallEnded} becomes a row of the
 * month-partitioned {@code cdr} table, written in batches off the signaling path and spooled to disk
 * while the database is away; {@code cdr.search} and {@code GET /api/cdr.csv} find them again.
 * Everything is inside {@code internal}; see {@code docs/modules/cdr.md}.
 */
package org.callibry.server.cdr;
