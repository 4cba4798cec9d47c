package org.callibry.server.routing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.callibry.server.api.RpcException;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.dto.Routes;
import org.callibry.shared.csv.Csv;

/**
 * The CSV form of the route table ({@code route.export}, {@code route.import}): a header row naming
 * the fields as the API does, then one route per row. On import the columns may come in any order,
 * {@code id}, {@code createdAt} and {@code updatedAt} are ignored and empty cells take the defaults of
 * {@code route.create}. The CSV itself (RFC 4180) is {@link Csv}'s; no formula guard, since the file is
 * meant to be read back as it was written.
 */
final class RouteCsv {
    static final List<String> HEADER = List.of("id", "name", "group", "priority", "enabled", "aNumberMask", "aHostMask",
            "bNumberMask", "bHostMask", "bRewrite", "aRewriteMask", "aRewrite", "destinationType", "destination",
            "recordCall", "relayMedia", "maxDurationSeconds", "continueOnFailure", "callerId", "days", "timeFrom", "timeTo",
            "timeZone", "createdAt", "updatedAt");
    private static final List<String> IGNORED = List.of("id", "createdAt", "updatedAt");

    private RouteCsv() {
    }

    /** One route read from the file, with the line it is on. */
    record Row(int line, Routes.Create route) {
    }

    static String write(List<Routes.Route> routes) {
        StringBuilder out = new StringBuilder();
        try {
            write(routes, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return out.toString();
    }

    private static void write(List<Routes.Route> routes, Appendable out) throws IOException {
        Csv.row(out, HEADER);
        for (Routes.Route r : routes) {
            Csv.row(out, List.of(Long.toString(r.id()), r.name(), r.group(), Integer.toString(r.priority()),
                    Boolean.toString(r.enabled()), r.aNumberMask(), r.aHostMask(), r.bNumberMask(), r.bHostMask(),
                    r.bRewrite(), r.aRewriteMask(), r.aRewrite(), r.destinationType().name(), r.destination(),
                    Boolean.toString(r.recordCall()), Boolean.toString(r.relayMedia()), text(r.maxDurationSeconds()),
                    Boolean.toString(r.continueOnFailure()), text(r.callerId()), RouteCompiler.days(r.days()),
                    text(r.timeFrom()), text(r.timeTo()), r.timeZone(), text(r.createdAt()), text(r.updatedAt())));
        }
    }

    /** The routes of a CSV file; a malformed file, header or cell is an invalid-params error naming line and field. */
    static List<Row> read(String csv) {
        List<Csv.Line> lines;
        try {
            lines = Csv.read(csv);
        } catch (Csv.MalformedException e) {
            throw atLine(RpcException.invalid("csv", e.getMessage()), e.line());
        }
        if (lines.isEmpty()) {
            throw atLine(RpcException.invalid("csv", "no header row"), 1);
        }
        Csv.Line header = lines.getFirst();
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.fields().size(); i++) {
            String name = header.fields().get(i).strip();
            String known = HEADER.stream().filter(h -> h.equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> atLine(RpcException.invalid(name.isEmpty() ? "csv" : name,
                            "unknown column '" + name + "' (columns: " + String.join(",", HEADER) + ")"), header.number()));
            if (columns.put(known, i) != null) {
                throw atLine(RpcException.invalid(known, "column given twice"), header.number());
            }
        }
        for (String required : List.of("name", "destinationType")) {
            if (!columns.containsKey(required)) {
                throw atLine(RpcException.invalid(required, "the header has no " + required + " column"), header.number());
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Csv.Line line : lines.subList(1, lines.size())) {
            if (line.fields().size() != header.fields().size()) {
                throw atLine(RpcException.invalid("csv", line.fields().size() + " fields where the header has "
                        + header.fields().size()), line.number());
            }
            Cells c = new Cells(line, columns);
            rows.add(new Row(line.number(), new Routes.Create(c.text("name"), c.text("group"), c.integer("priority"),
                    c.bool("enabled"), c.text("aNumberMask"), c.text("aHostMask"), c.text("bNumberMask"), c.text("bHostMask"),
                    c.text("bRewrite"), c.text("aRewriteMask"), c.text("aRewrite"),
                    c.parse("destinationType", v -> Routes.DestinationType.valueOf(v.strip().toUpperCase(Locale.ROOT)),
                            "must be one of " + List.of(Routes.DestinationType.values())),
                    c.text("destination"), c.bool("recordCall"), c.bool("relayMedia"), c.integer("maxDurationSeconds"),
                    c.bool("continueOnFailure"), c.text("callerId"), c.days(), c.text("timeFrom"), c.text("timeTo"),
                    c.text("timeZone"))));
        }
        return rows;
    }

    /** The same error, said to be at a line of the file ({@code data.line}). */
    static RpcException atLine(RpcException e, int line) {
        Map<String, Object> data = new LinkedHashMap<>(e.data() == null ? Map.of() : e.data());
        data.put("line", line);
        String message = e.getMessage();
        int colon = message.indexOf(": ");
        String kind = colon < 0 ? "" : message.substring(0, colon + 2);
        String rest = colon < 0 ? message : message.substring(colon + 2);
        return new RpcException(e.code(), kind + "line " + line + ": " + rest, data);
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }

    /** The cells of one row by column name; an absent column or empty cell is null. */
    private record Cells(Csv.Line line, Map<String, Integer> columns) {

        String text(String column) {
            Integer i = columns.get(column);
            if (i == null || IGNORED.contains(column)) {
                return null;
            }
            String v = line.fields().get(i);
            return v.isEmpty() ? null : v;
        }

        <T> T parse(String column, Function<String, T> parser, String expected) {
            String v = text(column);
            if (v == null) {
                return null;
            }
            try {
                return parser.apply(v);
            } catch (RuntimeException e) {
                throw atLine(new RpcException(ErrorCodes.INVALID_PARAMS, "Invalid params: " + column + ": " + expected
                        + ", not '" + v + "'", Map.of("field", column, "reason", expected)), line.number());
            }
        }

        Integer integer(String column) {
            return parse(column, v -> Integer.valueOf(v.strip()), "must be a whole number");
        }

        Boolean bool(String column) {
            return parse(column, v -> switch (v.strip().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1" -> true;
                case "false", "no", "0" -> false;
                default -> throw new IllegalArgumentException(v);
            }, "must be true or false");
        }

        List<Integer> days() {
            return parse("days", v -> {
                List<Integer> days = new ArrayList<>();
                for (String d : v.split("[,; ]+")) {
                    if (!d.isEmpty()) {
                        days.add(Integer.valueOf(d));
                    }
                }
                return days;
            }, "must be ISO days of the week like 1,2,3,4,5");
        }
    }
}
