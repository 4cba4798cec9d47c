package org.callibry.server.dialer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.callibry.shared.api.dto.Campaigns;
import org.junit.jupiter.api.Test;

/**
 * Reading a campaign's number list. Scenarios: a header with name and variable columns in any order;
 * a file without a header; numbers written with spaces, brackets and dashes; malformed numbers and
 * duplicates reported by line (a quoted field spanning lines keeps the count right); a byte-order mark
 * and LF line ends; an unusable header and a broken CSV refused with the line.
 */
class NumberListTest {

    @Test
    void readsNumberNameAndVariablesByHeader() {
        NumberList.Parsed p = NumberList.parse("Balance,NUMBER,name,due_date\r\n125.50,+7 (495) 123-45-67,Ann,2026-12-31\r\n");
        assertThat(p.lines()).isEqualTo(1);
        assertThat(p.rows()).containsExactly(new NumberList.Row(2, "+74951234567", "Ann",
                Map.of("Balance", "125.50", "due_date", "2026-12-31")));
        assertThat(p.problems()).isEmpty();
    }

    @Test
    void readsAFileWithoutHeaderAsNumberAndName() {
        NumberList.Parsed p = NumberList.parse("\uFEFF89001234567,Bob\n89001234568\n");
        assertThat(p.rows()).extracting(NumberList.Row::number).containsExactly("89001234567", "89001234568");
        assertThat(p.rows()).extracting(NumberList.Row::name).containsExactly("Bob", "");
        assertThat(p.rows()).extracting(NumberList.Row::line).containsExactly(1, 2);
    }

    @Test
    void reportsMalformedAndDuplicateNumbersByLine() {
        NumberList.Parsed p = NumberList.parse("number,note\r\n"
                + "1001,\"two\r\nlines\"\r\n"   // lines 2-3
                + "12,too short\r\n"            // line 4
                + "10-01,same as line 2\r\n"     // line 5
                + "abc,letters\r\n"             // line 6
                + ",empty\r\n"                  // line 7
                + "123456789012345678901,too long\r\n"); // line 8
        assertThat(p.rows()).extracting(NumberList.Row::number).containsExactly("1001");
        assertThat(p.malformed()).isEqualTo(4);
        assertThat(p.duplicates()).isEqualTo(1);
        assertThat(p.problems()).extracting(Campaigns.Problem::line).containsExactly(4, 5, 6, 7, 8);
        assertThat(p.problems().get(1).reason()).isEqualTo("duplicate of an earlier line");
        assertThat(p.problems().get(0).reason()).startsWith("malformed number");
    }

    @Test
    void refusesUnusableHeadersAndBrokenCsvWithTheLine() {
        assertThatThrownBy(() -> NumberList.parse("number,number\r\n1001,1002\r\n")).hasMessage("line 1: column 'number' appears twice");
        assertThatThrownBy(() -> NumberList.parse("number,due date\r\n1001,x\r\n")).hasMessageStartingWith("line 1: column 'due date' is not a variable name");
        assertThatThrownBy(() -> NumberList.parse("number\r\n1001\r\n\"1002\r\n")).hasMessageStartingWith("line 3: ");
    }

    @Test
    void normalizesAsPeopleWriteNumbers() {
        assertThat(NumberList.normalize(" +1 (555) 010-99.88 ")).isEqualTo("+15550109988");
        assertThat(NumberList.normalize("++1555")).isNull();
        assertThat(NumberList.normalize("1555x")).isNull();
    }
}
