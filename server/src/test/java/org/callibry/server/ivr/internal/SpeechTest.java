package org.callibry.server.ivr.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@code say} says, word for word, in English and Russian:
 * <ul>
 *   <li>numbers: groups of thousands and millions, the Russian gender of one and two, negative numbers;</li>
 *   <li>the three Russian forms of a counted word (1, 2-4, 5-20 and 11-14), for rubles, kopecks, thousands;</li>
 *   <li>money with and without the minor unit, rounding, comma decimals;</li>
 *   <li>dates: the Russian day ordinal, month genitive and year ordinal genitive; English years in pairs;</li>
 *   <li>digits, star and hash; what cannot be said;</li>
 *   <li>every key composed for 0-100,000 and every date of two centuries has a bundled prompt in its language.</li>
 * </ul>
 */
class SpeechTest {
    private static final LocalDate TODAY = LocalDate.of(2025, 3, 5);

    private static String say(String kind, String value, String lang) {
        return say(kind, value, lang, "RUB", "masculine");
    }

    private static String say(String kind, String value, String lang, String currency, String gender) {
        return String.join(" ", Speech.say(kind, value, lang, currency, gender, TODAY).stream()
                .map(k -> IvrPrompts.text(lang, k)).toList());
    }

    @Test
    void saysNumbersInEnglish() {
        assertThat(say("number", "0", "en")).isEqualTo("zero");
        assertThat(say("number", "13", "en")).isEqualTo("thirteen");
        assertThat(say("number", "254", "en")).isEqualTo("two hundred fifty four");
        assertThat(say("number", "1001", "en")).isEqualTo("one thousand one");
        assertThat(say("number", "2500000", "en")).isEqualTo("two million five hundred thousand");
        assertThat(say("number", "-40", "en")).isEqualTo("minus forty");
    }

    @Test
    void russianNumbersAgreeInGender() {
        assertThat(say("number", "1", "ru")).isEqualTo("один");
        assertThat(say("number", "1", "ru", "RUB", "feminine")).isEqualTo("одна");
        assertThat(say("number", "1", "ru", "RUB", "neuter")).isEqualTo("одно");
        assertThat(say("number", "22", "ru", "RUB", "feminine")).isEqualTo("двадцать две");
        assertThat(say("number", "12", "ru", "RUB", "feminine")).as("twelve has no gender").isEqualTo("двенадцать");
        assertThat(say("number", "2002", "ru")).isEqualTo("две тысячи два");
        assertThat(say("number", "1000", "ru")).isEqualTo("одна тысяча");
        assertThat(say("number", "5000", "ru")).isEqualTo("пять тысяч");
        assertThat(say("number", "11000", "ru")).isEqualTo("одиннадцать тысяч");
        assertThat(say("number", "21000", "ru")).isEqualTo("двадцать одна тысяча");
        assertThat(say("number", "1000000", "ru")).isEqualTo("один миллион");
        assertThat(say("number", "3400000", "ru")).isEqualTo("три миллиона четыреста тысяч");
        assertThat(say("number", "-7", "ru")).isEqualTo("минус семь");
    }

    @Test
    void russianCountedWordsTakeTheirThreeForms() {
        assertThat(say("money", "1", "ru")).isEqualTo("один рубль");
        assertThat(say("money", "2", "ru")).isEqualTo("два рубля");
        assertThat(say("money", "4", "ru")).isEqualTo("четыре рубля");
        assertThat(say("money", "5", "ru")).isEqualTo("пять рублей");
        assertThat(say("money", "11", "ru")).isEqualTo("одиннадцать рублей");
        assertThat(say("money", "12", "ru")).isEqualTo("двенадцать рублей");
        assertThat(say("money", "14", "ru")).isEqualTo("четырнадцать рублей");
        assertThat(say("money", "21", "ru")).isEqualTo("двадцать один рубль");
        assertThat(say("money", "111", "ru")).isEqualTo("сто одиннадцать рублей");
        assertThat(say("money", "0", "ru")).isEqualTo("ноль рублей");
        assertThat(Speech.form(1, true)).isEqualTo(1);
        assertThat(Speech.form(3, true)).isEqualTo(2);
        assertThat(Speech.form(113, true)).isEqualTo(5);
        assertThat(Speech.form(1_021, true)).isEqualTo(1);
    }

    @Test
    void saysMoneyWithKopecksAndCents() {
        assertThat(say("money", "1.01", "ru")).isEqualTo("один рубль одна копейка");
        assertThat(say("money", "2.02", "ru")).isEqualTo("два рубля две копейки");
        assertThat(say("money", "1234,56", "ru")).isEqualTo("одна тысяча двести тридцать четыре рубля пятьдесят шесть копеек");
        assertThat(say("money", "0.5", "ru")).isEqualTo("ноль рублей пятьдесят копеек");
        assertThat(say("money", "-3.999", "ru")).as("rounded half up to kopecks").isEqualTo("минус четыре рубля");
        assertThat(say("money", "21.21", "ru", "USD", null)).isEqualTo("двадцать один доллар двадцать один цент");
        assertThat(say("money", "5", "ru", "EUR", null)).isEqualTo("пять евро");
        assertThat(say("money", "12.50", "en", "USD", null)).isEqualTo("twelve dollars and fifty cents");
        assertThat(say("money", "1.01", "en", "RUB", null)).isEqualTo("one ruble and one kopeck");
        assertThat(say("money", "1", "en", "USD", null)).isEqualTo("one dollar");
    }

    @Test
    void saysDatesInRussian() {
        assertThat(say("date", "2025-03-05", "ru")).isEqualTo("пятое марта две тысячи двадцать пятого года");
        assertThat(say("date", "2000-01-01", "ru")).isEqualTo("первое января двухтысячного года");
        assertThat(say("date", "1999-12-31", "ru")).isEqualTo("тридцать первое декабря тысяча девятьсот девяносто девятого года");
        assertThat(say("date", "2020-05-09", "ru")).isEqualTo("девятое мая две тысячи двадцатого года");
        assertThat(say("date", "2100-11-20", "ru")).isEqualTo("двадцатое ноября две тысячи сотого года");
        assertThat(say("date", "1812-09-07", "ru")).isEqualTo("седьмое сентября тысяча восемьсот двенадцатого года");
        assertThat(say("date", "today", "ru")).isEqualTo("пятое марта две тысячи двадцать пятого года");
    }

    @Test
    void saysDatesInEnglish() {
        assertThat(say("date", "2025-03-05", "en")).isEqualTo("March fifth twenty twenty five");
        assertThat(say("date", "2005-07-22", "en")).isEqualTo("July twenty second two thousand five");
        assertThat(say("date", "1905-01-31", "en")).isEqualTo("January thirty first nineteen oh five");
        assertThat(say("date", "1900-10-10", "en")).isEqualTo("October tenth nineteen hundred");
    }

    @Test
    void saysDigitsOneByOne() {
        assertThat(say("digits", "1#0*", "en")).isEqualTo("one hash zero star");
        assertThat(say("digits", "+7 900", "ru")).isEqualTo("семь девять ноль ноль");
    }

    @Test
    void refusesWhatCannotBeSaid() {
        assertThatThrownBy(() -> Speech.say("number", "12.5", "en", null, null, TODAY)).isInstanceOf(Speech.Unsayable.class)
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> Speech.say("number", "1000000000", "en", null, null, TODAY)).isInstanceOf(Speech.Unsayable.class);
        assertThatThrownBy(() -> Speech.say("money", "abc", "en", null, null, TODAY)).isInstanceOf(Speech.Unsayable.class);
        // refused before any work: an exponent would build a number of millions of digits
        assertThatThrownBy(() -> Speech.say("money", "1e300000000", "en", null, null, TODAY)).isInstanceOf(Speech.Unsayable.class);
        assertThatThrownBy(() -> Speech.say("number", Long.toString(Long.MIN_VALUE), "en", null, null, TODAY))
                .isInstanceOf(Speech.Unsayable.class);
        assertThatThrownBy(() -> Speech.say("money", "1", "en", "GBP", null, TODAY)).hasMessageContaining("currency");
        assertThatThrownBy(() -> Speech.say("date", "05.03.2025", "en", null, null, TODAY)).hasMessageContaining("yyyy-MM-dd");
        assertThatThrownBy(() -> Speech.say("date", "0999-01-01", "en", null, null, TODAY)).hasMessageContaining("year");
        assertThatThrownBy(() -> Speech.say("digits", "12x", "en", null, null, TODAY)).hasMessageContaining("'x'");
        assertThatThrownBy(() -> Speech.say("number", "1", "en", null, "plural", TODAY)).hasMessageContaining("gender");
    }

    @Test
    void everyComposedKeyHasABundledPrompt() {
        List<String> missing = new ArrayList<>();
        for (String lang : List.of("en", "ru")) {
            for (long n = 0; n <= 100_000; n += n < 2_000 ? 1 : 7) {
                for (String g : List.of("masculine", "feminine", "neuter")) {
                    check(missing, lang, Speech.say("number", Long.toString(n), lang, null, g, TODAY));
                }
                for (String c : List.of("RUB", "USD", "EUR")) {
                    check(missing, lang, Speech.say("money", n + "." + (n % 100), lang, c, null, TODAY));
                }
            }
            check(missing, lang, Speech.say("number", "-987654321", lang, null, null, TODAY));
            for (LocalDate d = LocalDate.of(1900, 1, 1); d.getYear() < 2101; d = d.plusDays(3)) {
                check(missing, lang, Speech.say("date", d.toString(), lang, null, null, TODAY));
            }
            check(missing, lang, Speech.say("digits", "0123456789*#", lang, null, null, TODAY));
            check(missing, lang, List.of("beep"));
        }
        assertThat(missing).isEmpty();
    }

    private static void check(List<String> missing, String lang, List<String> keys) {
        for (String k : keys) {
            if (!IvrPrompts.bundled(lang, k) && !missing.contains(lang + "/" + k)) {
                missing.add(lang + "/" + k);
            }
        }
    }
}
