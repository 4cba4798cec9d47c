/**
 * The queue log: every {@link org.callibry.server.acd.QueueEvent} and every agent change written to
 * PostgreSQL behind the calls, with the CDR writer's discipline (batches, a disk spool while the
 * database is away, monthly partitions); searched with {@code queue.log} and exported one row per
 * queue call as {@code GET /api/queue-log.csv}; the ground for the KPIs.
 */
package org.callibry.server.queuelog;
