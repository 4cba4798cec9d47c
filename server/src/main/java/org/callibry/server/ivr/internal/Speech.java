package org.callibry.server.ivr.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a {@code say} node says, as the keys of the bundled prompts ({@code prompts/ivr/<lang>/<key>.wav},
 * texts in {@code prompts/ivr/prompts.tsv}) in English or Russian: numbers, digits, amounts of money and
 * dates.
 *
 * <p>Russian grammar: a number agrees in gender with what it counts ("один рубль", "одна копейка",
 * "одно"; "два"/"две"), and the counted word takes the form its last two digits ask for: 1 (but 11)
 * the nominative singular ("рубль", "тысяча"), 2-4 (but 12-14) the genitive singular ("рубля",
 * "тысячи"), else the genitive plural ("рублей", "тысяч"); thousands are feminine, millions masculine.
 * A date is "пятое марта две тысячи двадцать пятого года": the day a neuter ordinal, the month in the
 * genitive, the year an ordinal in the genitive whose last word alone is ordinal.
 *
 * <p>English: "one hundred twenty three", "twelve dollars and fifty cents", "March fifth, twenty
 * twenty five" (years 2000-2009 as "two thousand five", others in pairs: "nineteen oh five",
 * "nineteen hundred").
 */
final class Speech {
    static final long MAX = 999_999_999L;

    /** A value that cannot be said (not a number, out of range, unknown currency, ...). */
    static final class Unsayable extends IllegalArgumentException {
        Unsayable(String message) {
            super(message);
        }
    }

    enum Gender { MASCULINE, FEMININE, NEUTER }

    /** A currency: its major and minor unit keys (each with the {@code -1}, {@code -2}, {@code -5} forms) and genders. */
    enum Currency {
        RUB("rub", Gender.MASCULINE, "kop", Gender.FEMININE),
        USD("usd", Gender.MASCULINE, "cent", Gender.MASCULINE),
        EUR("eur", Gender.MASCULINE, "cent", Gender.MASCULINE);

        final String major;
        final Gender majorGender;
        final String minor;
        final Gender minorGender;

        Currency(String major, Gender majorGender, String minor, Gender minorGender) {
            this.major = major;
            this.majorGender = majorGender;
            this.minor = minor;
            this.minorGender = minorGender;
        }
    }

    static final List<String> KINDS = List.of("number", "digits", "money", "date");

    private Speech() {
    }

    /**
     * The prompt keys that say {@code value} as {@code kind} in {@code language} ({@code en} or {@code ru});
     * {@code today} is the date {@code today} stands for.
     */
    static List<String> say(String kind, String value, String language, String currency, String gender, LocalDate today) {
        boolean ru = "ru".equals(language);
        String v = value == null ? "" : value.strip();
        return switch (kind) {
            case "number" -> number(v, ru, gender(gender));
            case "digits" -> digits(v);
            case "money" -> money(v, ru, currency(currency));
            case "date" -> date(v, ru, today);
            default -> throw new Unsayable("unknown kind '" + kind + "' (number, digits, money, date)");
        };
    }

    static Gender gender(String g) {
        try {
            return Gender.valueOf(g == null ? "MASCULINE" : g.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Unsayable("unknown gender '" + g + "' (masculine, feminine, neuter)");
        }
    }

    static Currency currency(String c) {
        try {
            return Currency.valueOf(c == null ? "RUB" : c.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Unsayable("unknown currency '" + c + "' (RUB, USD, EUR)");
        }
    }

    // ---------------------------------------------------------------- numbers

    private static List<String> number(String v, boolean ru, Gender gender) {
        long n;
        try {
            n = Long.parseLong(v.replace(" ", ""));
        } catch (NumberFormatException e) {
            throw new Unsayable("'" + v + "' is not a whole number");
        }
        if (n == Long.MIN_VALUE) {
            throw new Unsayable("'" + v + "' is too large to say");
        }
        List<String> keys = new ArrayList<>();
        if (n < 0) {
            keys.add("minus");
            n = -n;
        }
        check(n);
        keys.addAll(cardinal(n, ru, gender));
        return keys;
    }

    private static void check(long n) {
        if (n > MAX) {
            throw new Unsayable(n + " is more than " + MAX);
        }
    }

    /** {@code n} (0 to {@link #MAX}) in words; in Russian the last group agrees with {@code gender}. */
    static List<String> cardinal(long n, boolean ru, Gender gender) {
        if (n == 0) {
            return List.of("0");
        }
        List<String> keys = new ArrayList<>();
        int millions = (int) (n / 1_000_000);
        int thousands = (int) (n / 1000 % 1000);
        int rest = (int) (n % 1000);
        if (millions > 0) {
            keys.addAll(group(millions, ru, Gender.MASCULINE));
            keys.add("million-" + form(millions, ru));
        }
        if (thousands > 0) {
            keys.addAll(group(thousands, ru, Gender.FEMININE));
            keys.add("thousand-" + form(thousands, ru));
        }
        if (rest > 0) {
            keys.addAll(group(rest, ru, gender));
        }
        return keys;
    }

    /** 1-999: hundreds, tens and units; 1 and 2 in the Russian feminine and neuter have keys of their own. */
    private static List<String> group(int g, boolean ru, Gender gender) {
        List<String> keys = new ArrayList<>();
        int hundreds = g / 100;
        int rest = g % 100;
        if (hundreds > 0) {
            keys.add(Integer.toString(hundreds * 100));
        }
        if (rest == 0) {
            return keys;
        }
        int last = rest;
        if (rest >= 20 && rest % 10 != 0) {
            keys.add(Integer.toString(rest / 10 * 10));
            last = rest % 10;
        }
        String key = Integer.toString(last);
        if (ru && last == 1 && gender == Gender.FEMININE) {
            key = "1f";
        } else if (ru && last == 1 && gender == Gender.NEUTER) {
            key = "1n";
        } else if (ru && last == 2 && gender == Gender.FEMININE) {
            key = "2f";
        }
        keys.add(key);
        return keys;
    }

    /**
     * The form of a word counted by {@code n}: {@code 1} (nominative singular), {@code 2} (genitive
     * singular) or {@code 5} (genitive plural); English has {@code 1} and {@code 5}.
     */
    static int form(long n, boolean ru) {
        if (!ru) {
            return n == 1 ? 1 : 5;
        }
        long lastTwo = n % 100;
        long last = n % 10;
        if (lastTwo >= 11 && lastTwo <= 14) {
            return 5;
        }
        if (last == 1) {
            return 1;
        }
        return last >= 2 && last <= 4 ? 2 : 5;
    }

    // ---------------------------------------------------------------- digits

    private static List<String> digits(String v) {
        if (v.isEmpty()) {
            throw new Unsayable("no digits to say");
        }
        List<String> keys = new ArrayList<>();
        for (char c : v.toCharArray()) {
            if (c >= '0' && c <= '9') {
                keys.add(String.valueOf(c));
            } else if (c == '*') {
                keys.add("star");
            } else if (c == '#') {
                keys.add("hash");
            } else if (c != ' ' && c != '-' && c != '+') {
                throw new Unsayable("'" + c + "' is not a digit");
            }
        }
        return keys;
    }

    // ---------------------------------------------------------------- money

    private static List<String> money(String v, boolean ru, Currency currency) {
        BigDecimal amount;
        String text = v.replace(" ", "").replace(',', '.');
        if (text.length() > 30 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
            // an exponent (1e300000000) would make a number of millions of digits: refused before it is built
            throw new Unsayable("'" + v + "' is not an amount");
        }
        try {
            amount = new BigDecimal(text).setScale(2, RoundingMode.HALF_UP);
        } catch (NumberFormatException e) {
            throw new Unsayable("'" + v + "' is not an amount");
        }
        List<String> keys = new ArrayList<>();
        if (amount.signum() < 0) {
            keys.add("minus");
            amount = amount.negate();
        }
        BigDecimal major = amount.setScale(0, RoundingMode.DOWN);
        if (major.compareTo(BigDecimal.valueOf(MAX)) > 0) {
            throw new Unsayable(v + " is more than " + MAX);
        }
        long whole = major.longValueExact();
        int minor = amount.subtract(major).movePointRight(2).intValueExact();
        keys.addAll(cardinal(whole, ru, currency.majorGender));
        keys.add(currency.major + "-" + form(whole, ru));
        if (minor > 0) {
            if (!ru) {
                keys.add("and");
            }
            keys.addAll(cardinal(minor, ru, currency.minorGender));
            keys.add(currency.minor + "-" + form(minor, ru));
        }
        return keys;
    }

    // ---------------------------------------------------------------- dates

    private static List<String> date(String v, boolean ru, LocalDate today) {
        LocalDate d;
        if (v.equalsIgnoreCase("today")) {
            d = today;
        } else {
            try {
                d = LocalDate.parse(v);
            } catch (DateTimeParseException e) {
                throw new Unsayable("'" + v + "' is not a date (yyyy-MM-dd or today)");
            }
        }
        int year = d.getYear();
        if (year < 1000 || year > 2999) {
            throw new Unsayable("the year " + year + " is not between 1000 and 2999");
        }
        List<String> keys = new ArrayList<>();
        if (ru) {
            keys.addAll(dayOrdinal(d.getDayOfMonth()));
            keys.add("month-" + d.getMonthValue());
            keys.addAll(yearRu(year));
            keys.add("year");
        } else {
            keys.add("month-" + d.getMonthValue());
            keys.addAll(dayOrdinal(d.getDayOfMonth()));
            keys.addAll(yearEn(year));
        }
        return keys;
    }

    /** 1-31: "ord-N" up to 20 and for 30; 21-29 and 31 are "20"/"30" and the ordinal of the unit. */
    private static List<String> dayOrdinal(int day) {
        if (day <= 20 || day % 10 == 0) {
            return List.of("ord-" + day);
        }
        return List.of(Integer.toString(day / 10 * 10), "ord-" + day % 10);
    }

    /** The year as a Russian ordinal in the genitive: the last word ordinal ({@code yord-*}), the ones before cardinal. */
    private static List<String> yearRu(int year) {
        int thousands = year / 1000;
        int rest = year % 1000;
        List<String> keys = new ArrayList<>();
        if (rest == 0) {
            keys.add("yord-" + thousands * 1000);
            return keys;
        }
        if (thousands == 1) {
            keys.add("thousand-1"); // "тысяча девятьсот ...", without "одна"
        } else {
            keys.addAll(group(thousands, true, Gender.FEMININE));
            keys.add("thousand-" + form(thousands, true));
        }
        int hundreds = rest / 100;
        int lastTwo = rest % 100;
        if (lastTwo == 0) {
            keys.add("yord-" + hundreds * 100);
            return keys;
        }
        if (hundreds > 0) {
            keys.add(Integer.toString(hundreds * 100));
        }
        if (lastTwo < 20 || lastTwo % 10 == 0) {
            keys.add("yord-" + lastTwo);
        } else {
            keys.add(Integer.toString(lastTwo / 10 * 10));
            keys.add("yord-" + lastTwo % 10);
        }
        return keys;
    }

    /** 2000-2009 as a number; other years in two pairs: "nineteen ninety nine", "nineteen oh five", "nineteen hundred". */
    private static List<String> yearEn(int year) {
        if (year >= 2000 && year <= 2009) {
            return cardinal(year, false, Gender.MASCULINE);
        }
        List<String> keys = new ArrayList<>(cardinal(year / 100, false, Gender.MASCULINE));
        int rest = year % 100;
        if (rest == 0) {
            keys.add("hundred");
        } else if (rest < 10) {
            keys.add("oh");
            keys.add(Integer.toString(rest));
        } else {
            keys.addAll(cardinal(rest, false, Gender.MASCULINE));
        }
        return keys;
    }
}
