package org.callibry.server.cdr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * CSV fields and records per RFC 4180: plain fields as they are, quoting for comma, quote, CR and LF
 * with inner quotes doubled, CRLF after each record, empty field for null; and the formula guard
 * that keeps caller-controlled text from running in a spreadsheet while leaving numbers alone.
 */
class CdrCsvTest {

    @Test
    void plainFieldsAreWrittenAsTheyAre() {
        assertThat(Csv.field("1001")).isEqualTo("1001");
        assertThat(Csv.field("BYE from callee")).isEqualTo("BYE from callee");
        assertThat(Csv.field(null)).isEmpty();
        assertThat(Csv.field("")).isEmpty();
    }

    @Test
    void fieldsWithSeparatorsQuotesOrLineBreaksAreQuoted() {
        assertThat(Csv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(Csv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Csv.field("two\r\nlines")).isEqualTo("\"two\r\nlines\"");
        assertThat(Csv.field("lf\nonly")).isEqualTo("\"lf\nonly\"");
        assertThat(Csv.field("\"")).isEqualTo("\"\"\"\"");
    }

    @Test
    void recordsEndWithCrlf() throws Exception {
        StringWriter out = new StringWriter();
        Csv.row(out, "id", null, "x,y");
        Csv.row(out, "2", "", "z");
        assertThat(out.toString()).isEqualTo("id,,\"x,y\"\r\n2,,z\r\n");
    }

    @Test
    void formulasGetAnApostropheButPhoneNumbersDoNot() {
        assertThat(Csv.field("=HYPERLINK(\"http://evil\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\")\"");
        assertThat(Csv.field("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(Csv.field("+1+cmd|' /C calc'!A0")).isEqualTo("'+1+cmd|' /C calc'!A0");
        assertThat(Csv.field("-2+3")).isEqualTo("'-2+3");
        assertThat(Csv.field("\tx")).isEqualTo("'\tx");
        assertThat(Csv.field("+74951234567")).isEqualTo("+74951234567");
        assertThat(Csv.field("+7 (495) 123-45-67")).isEqualTo("+7 (495) 123-45-67");
        assertThat(Csv.field("-5")).isEqualTo("-5");
        assertThat(Csv.field("*97")).isEqualTo("*97");
    }
}
