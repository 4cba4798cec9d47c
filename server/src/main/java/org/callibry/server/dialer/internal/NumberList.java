package org.callibry.server.dialer.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.callibry.shared.api.dto.Campaigns;
import org.callibry.shared.csv.Csv;

/**
 * A campaign's number list as uploaded: CSV (RFC 4180, {@link Csv}) whose header names a {@code number}
 * column, an optional {@code name} column, and any further columns, which become the number's variables
 * (for an IVR scenario). A file without a header row is read as {@code number[,name]}. Numbers are taken
 * as people write them ({@code +7 (495) 123-45-67}) and stored as digits with an optional leading
 * {@code +}; a number that is not 3-20 digits then is malformed, a number seen before in the file is a
 * duplicate, each reported with its line.
 */
final class NumberList {
    static final int MAX_VARIABLES = 50;
    private static final Pattern NUMBER = Pattern.compile("\\+?[0-9]{3,20}");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s().\\-]");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,39}");

    /** A number to add, with the line it came from. */
    record Row(int line, String number, String name, Map<String, String> variables) {
    }

    /** What a file holds: rows to add, and the lines refused (malformed or duplicate). */
    record Parsed(int lines, List<Row> rows, int malformed, int duplicates, List<Campaigns.Problem> problems) {
    }

    private NumberList() {
    }

    /** The number as stored, or null when it is not one. */
    static String normalize(String raw) {
        if (raw == null) {
            return null;
        }
        String n = SEPARATORS.matcher(raw.strip()).replaceAll("");
        return NUMBER.matcher(n).matches() ? n : null;
    }

    /**
     * Reads {@code text}; throws {@link IllegalArgumentException} naming the line for a file that is not
     * CSV at all or whose header is unusable.
     */
    static Parsed parse(String text) {
        List<Csv.Line> records;
        try {
            records = Csv.read(text);
        } catch (Csv.MalformedException e) {
            throw new IllegalArgumentException("line " + e.line() + ": " + e.getMessage());
        }
        if (records.isEmpty()) {
            return new Parsed(0, List.of(), 0, 0, List.of());
        }
        List<String> first = records.getFirst().fields();
        int numberColumn = -1;
        for (int i = 0; i < first.size(); i++) {
            if (first.get(i).strip().equalsIgnoreCase("number")) {
                numberColumn = i;
            }
        }
        boolean header = numberColumn >= 0;
        List<String> names = new ArrayList<>();
        int nameColumn = -1;
        if (header) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < first.size(); i++) {
                String h = first.get(i).strip();
                String key = h.toLowerCase(Locale.ROOT);
                if (!seen.add(key)) {
                    throw new IllegalArgumentException("line " + records.getFirst().number() + ": column '" + h + "' appears twice");
                }
                if (key.equals("name")) {
                    nameColumn = i;
                } else if (i != numberColumn && !VARIABLE.matcher(h).matches()) {
                    throw new IllegalArgumentException("line " + records.getFirst().number() + ": column '" + h
                            + "' is not a variable name (a letter or _, then letters, digits or _; at most 40)");
                }
                names.add(h);
            }
            if (names.size() - 1 - (nameColumn >= 0 ? 1 : 0) > MAX_VARIABLES) {
                throw new IllegalArgumentException("line " + records.getFirst().number() + ": more than " + MAX_VARIABLES
                        + " variable columns");
            }
        } else {
            numberColumn = 0;
            nameColumn = 1;
        }
        List<Row> rows = new ArrayList<>();
        List<Campaigns.Problem> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int malformed = 0;
        int duplicates = 0;
        for (Csv.Line line : header ? records.subList(1, records.size()) : records) {
            List<String> f = line.fields();
            String raw = numberColumn < f.size() ? f.get(numberColumn) : "";
            String number = normalize(raw);
            if (number == null) {
                malformed++;
                problems.add(new Campaigns.Problem(line.number(), raw, "malformed number (3-20 digits, optional leading +)"));
                continue;
            }
            if (!seen.add(number)) {
                duplicates++;
                problems.add(new Campaigns.Problem(line.number(), raw, "duplicate of an earlier line"));
                continue;
            }
            String name = nameColumn >= 0 && nameColumn < f.size() ? f.get(nameColumn).strip() : "";
            Map<String, String> variables = new LinkedHashMap<>();
            if (header) {
                for (int i = 0; i < names.size(); i++) {
                    if (i != numberColumn && i != nameColumn) {
                        variables.put(names.get(i), i < f.size() ? f.get(i) : "");
                    }
                }
            }
            rows.add(new Row(line.number(), number, name.length() > 200 ? name.substring(0, 200) : name, variables));
        }
        int lines = records.size() - (header ? 1 : 0);
        return new Parsed(lines, rows, malformed, duplicates, problems);
    }
}
