package org.callibry.shared.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CSV codec on text (RFC 4180). Scenarios:
 * <ul>
 * <li>writing: plain fields as they are, quoting for comma, quote, CR, LF and edge white space with
 *     inner quotes doubled, CRLF after each record, the empty field for null;</li>
 * <li>the formula guard: formulas get an apostrophe, phone numbers and signed counts do not;</li>
 * <li>reading: what was written reads back the same, LF and CRLF line ends, a byte-order mark, blank
 *     lines skipped, the line each record starts on (line breaks inside quotes counted);</li>
 * <li>malformed text refused at the line of its record: a quoted field not closed, a quote inside an
 *     unquoted field, text after a closing quote.</li>
 * </ul>
 */
class CsvTest {

    // ---- writing ----

    @Test
    void plainFieldsAreWrittenAsTheyAre() {
        assertThat(Csv.field("1001")).isEqualTo("1001");
        assertThat(Csv.field("BYE from callee")).isEqualTo("BYE from callee");
        assertThat(Csv.field("^8(\\d{10})$")).isEqualTo("^8(\\d{10})$");
        assertThat(Csv.field(null)).isEmpty();
        assertThat(Csv.field("")).isEmpty();
    }

    @Test
    void fieldsWithSeparatorsQuotesOrLineBreaksAreQuoted() {
        assertThat(Csv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(Csv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Csv.field("two\r\nlines")).isEqualTo("\"two\r\nlines\"");
        assertThat(Csv.field("lf\nonly")).isEqualTo("\"lf\nonly\"");
        assertThat(Csv.field("cr\ronly")).isEqualTo("\"cr\ronly\"");
        assertThat(Csv.field("\"")).isEqualTo("\"\"\"\"");
    }

    @Test
    void fieldsWithEdgeWhiteSpaceAreQuotedSoThatItSurvives() {
        assertThat(Csv.field(" edge ")).isEqualTo("\" edge \"");
        assertThat(Csv.field("\tx")).isEqualTo("\"\tx\"");
        assertThat(Csv.field("x ")).isEqualTo("\"x \"");
        assertThat(Csv.field("in side")).isEqualTo("in side");
    }

    @Test
    void recordsEndWithCrlf() throws Exception {
        StringWriter out = new StringWriter();
        Csv.row(out, "id", null, "x,y");
        Csv.row(out, "2", "", "z");
        assertThat(out.toString()).isEqualTo("id,,\"x,y\"\r\n2,,z\r\n");
    }

    @Test
    void quotingFollowsRfc4180() throws Exception {
        StringBuilder out = new StringBuilder();
        Csv.row(out, List.of("plain", "a,b", "say \"hi\"", "two\nlines", " edge ", ""));
        assertThat(out).hasToString("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" edge \",\r\n");
        assertThat(Csv.read(out.toString())).containsExactly(
                new Csv.Line(1, List.of("plain", "a,b", "say \"hi\"", "two\nlines", " edge ", "")));
    }

    @Test
    void formulasGetAnApostropheButPhoneNumbersDoNot() {
        assertThat(Csv.field(Csv.guardFormula("=HYPERLINK(\"http://evil\")"))).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\")\"");
        assertThat(Csv.field(Csv.guardFormula("@SUM(A1)"))).isEqualTo("'@SUM(A1)");
        assertThat(Csv.field(Csv.guardFormula("+1+cmd|' /C calc'!A0"))).isEqualTo("'+1+cmd|' /C calc'!A0");
        assertThat(Csv.field(Csv.guardFormula("-2+3"))).isEqualTo("'-2+3");
        assertThat(Csv.field(Csv.guardFormula("\tx"))).isEqualTo("'\tx");
        assertThat(Csv.field(Csv.guardFormula("\rx"))).isEqualTo("\"'\rx\"");
        assertThat(Csv.field(Csv.guardFormula("+74951234567"))).isEqualTo("+74951234567");
        assertThat(Csv.field(Csv.guardFormula("+7 (495) 123-45-67"))).isEqualTo("+7 (495) 123-45-67");
        assertThat(Csv.field(Csv.guardFormula("-5"))).isEqualTo("-5");
        assertThat(Csv.field(Csv.guardFormula("*97"))).isEqualTo("*97");
        assertThat(Csv.guardFormula(null)).isNull();
        assertThat(Csv.guardFormula("")).isEmpty();
    }

    // ---- reading ----

    @Test
    void readsLfAndCrlfAndTellsTheLineARecordStartsOn() {
        String text = "\uFEFFa,b\n\"x\r\ny\",z\r\n\n1,2";
        assertThat(Csv.read(text)).containsExactly(new Csv.Line(1, List.of("a", "b")),
                new Csv.Line(2, List.of("x\r\ny", "z")), new Csv.Line(5, List.of("1", "2")));
    }

    @Test
    void readsEmptyFieldsAndAFinalLineBreak() {
        assertThat(Csv.read("a,,\"\"\r\n,\r\n")).containsExactly(new Csv.Line(1, List.of("a", "", "")),
                new Csv.Line(2, List.of("", "")));
        assertThat(Csv.read("")).isEmpty();
        assertThat(Csv.read("\r\n\n")).isEmpty();
    }

    @Test
    void whatIsWrittenReadsBackTheSame() throws Exception {
        List<List<String>> records = List.of(List.of("id", "name", "note"),
                List.of("1", "Long distance, \"Moscow\"", " two\r\nlines "), List.of("2", "", "+7$1"));
        StringBuilder out = new StringBuilder();
        for (List<String> r : records) {
            Csv.row(out, r);
        }
        List<List<String>> back = new ArrayList<>();
        Csv.read(out.toString()).forEach(l -> back.add(l.fields()));
        assertThat(back).isEqualTo(records);
        assertThat(Csv.read(out.toString())).extracting(Csv.Line::number).containsExactly(1, 2, 4);
    }

    @Test
    void malformedTextIsRefusedAtItsLine() {
        assertThatThrownBy(() -> Csv.read("a,b\n\"open,1\n2")).isInstanceOfSatisfying(Csv.MalformedException.class,
                e -> assertThat(e.line()).isEqualTo(2));
        assertThatThrownBy(() -> Csv.read("a\nb\"c\"")).isInstanceOfSatisfying(Csv.MalformedException.class,
                e -> assertThat(e.line()).isEqualTo(2));
        assertThatThrownBy(() -> Csv.read("\"a\"b")).isInstanceOf(Csv.MalformedException.class);
    }

    @Test
    void malformedTextIsExplained() {
        assertThatThrownBy(() -> Csv.read("a,b\n\"open,1\n2")).hasMessage("a quoted field is not closed");
        assertThatThrownBy(() -> Csv.read("x\ny\nb\"c\"")).isInstanceOfSatisfying(Csv.MalformedException.class, e -> {
            assertThat(e.line()).isEqualTo(3);
            assertThat(e).hasMessageContaining("a quote inside an unquoted field");
        });
        assertThatThrownBy(() -> Csv.read("1\n\"a\" ,b")).isInstanceOfSatisfying(Csv.MalformedException.class, e -> {
            assertThat(e.line()).isEqualTo(2);
            assertThat(e).hasMessageContaining("text after a closing quote");
        });
        // a broken record after a quoted line break is reported at the line it is on
        assertThatThrownBy(() -> Csv.read("\"a\nb\",c\nd\"e")).isInstanceOfSatisfying(Csv.MalformedException.class,
                e -> assertThat(e.line()).isEqualTo(3));
    }

    @Test
    void readLinesAreImmutable() {
        Csv.Line line = Csv.read("a,b").getFirst();
        assertThatThrownBy(() -> line.fields().add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(line.fields()).isEqualTo(Arrays.asList("a", "b"));
    }
}
