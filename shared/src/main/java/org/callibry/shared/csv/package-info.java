/**
 * The CSV codec (RFC 4180) behind the server's route import/export and CDR export: one writer, one
 * reader with line numbers, one formula guard. Plain Java, no Spring, no JavaFX.
 */
package org.callibry.shared.csv;
