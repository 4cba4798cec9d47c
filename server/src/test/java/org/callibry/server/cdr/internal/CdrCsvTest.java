package org.callibry.server.cdr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The CDR export's fields and records (RFC 4180 via {@code shared.csv.Csv}): plain fields as they are,
 * quoting for comma, quote, CR and LF with inner quotes doubled, CRLF after each record, empty field
 * for null; and the formula guard that keeps caller-controlled text from running in a spreadsheet
 * while leaving numbers alone.
 */
class CdrCsvTest {

    @Test
    void plainFieldsAreWrittenAsTheyAre() {
        assertThat(CdrExport.field("1001")).isEqualTo("1001");
        assertThat(CdrExport.field("BYE from callee")).isEqualTo("BYE from callee");
        assertThat(CdrExport.field(null)).isEmpty();
        assertThat(CdrExport.field("")).isEmpty();
    }

    @Test
    void fieldsWithSeparatorsQuotesOrLineBreaksAreQuoted() {
        assertThat(CdrExport.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(CdrExport.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CdrExport.field("two\r\nlines")).isEqualTo("\"two\r\nlines\"");
        assertThat(CdrExport.field("lf\nonly")).isEqualTo("\"lf\nonly\"");
        assertThat(CdrExport.field("\"")).isEqualTo("\"\"\"\"");
    }

    @Test
    void recordsEndWithCrlf() throws Exception {
        StringWriter out = new StringWriter();
        CdrExport.row(out, "id", null, "x,y");
        CdrExport.row(out, "2", "", "z");
        assertThat(out.toString()).isEqualTo("id,,\"x,y\"\r\n2,,z\r\n");
    }

    @Test
    void formulasGetAnApostropheButPhoneNumbersDoNot() {
        assertThat(CdrExport.field("=HYPERLINK(\"http://evil\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\")\"");
        assertThat(CdrExport.field("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CdrExport.field("+1+cmd|' /C calc'!A0")).isEqualTo("'+1+cmd|' /C calc'!A0");
        assertThat(CdrExport.field("-2+3")).isEqualTo("'-2+3");
        assertThat(CdrExport.field("\tx")).isEqualTo("'\tx");
        assertThat(CdrExport.field("+74951234567")).isEqualTo("+74951234567");
        assertThat(CdrExport.field("+7 (495) 123-45-67")).isEqualTo("+7 (495) 123-45-67");
        assertThat(CdrExport.field("-5")).isEqualTo("-5");
        assertThat(CdrExport.field("*97")).isEqualTo("*97");
    }
}
