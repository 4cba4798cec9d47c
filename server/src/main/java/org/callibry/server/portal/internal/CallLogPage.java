package org.callibry.server.portal.internal;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcInvoker;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.dto.Cdrs;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /portal/calls}: the call log ({@code cdr.search}) filtered by numbers, a date range, outcome and
 * route, paged with the total, with links to the CSV export and to each call's recording.
 */
@Controller
class CallLogPage {
    private static final Map<String, String> FORM_NAMES = Map.of("from", "from", "to", "to", "timeFrom", "dateFrom",
            "timeTo", "dateTo", "disposition", "outcome", "route", "route");

    private final RpcInvoker rpc;
    private final PortalFormat format;
    private final int pageSize;

    CallLogPage(RpcInvoker rpc, PortalFormat format, PortalProperties properties) {
        this.rpc = rpc;
        this.format = format;
        this.pageSize = properties.pageSize();
    }

    /** The filter as the form has it (all text, so a wrong value comes back to the field as typed). */
    record Form(String from, String to, String dateFrom, String dateTo, String outcome, String route) {
    }

    @GetMapping({"/portal/", "/portal"})
    String home() {
        return "redirect:/portal/calls";
    }

    @GetMapping("/portal/calls")
    String calls(Caller caller, Model model, @RequestParam(required = false) String from,
                 @RequestParam(required = false) String to, @RequestParam(required = false) String dateFrom,
                 @RequestParam(required = false) String dateTo, @RequestParam(required = false) String outcome,
                 @RequestParam(required = false) String route, @RequestParam(defaultValue = "1") String page) {
        Form form = new Form(blank(from), blank(to), blank(dateFrom), blank(dateTo), blank(outcome), blank(route));
        FieldErrors errors = new FieldErrors();
        Cdrs.Filter filter = filter(form, errors);
        int pageNo = pageNumber(page);
        model.addAttribute("form", form);
        model.addAttribute("outcomes", Cdrs.Disposition.values());
        model.addAttribute("errors", errors.asMap());
        if (filter != null) {
            try {
                Cdrs.SearchResult result = rpc.call(caller, Methods.CDR_SEARCH,
                        Cdrs.SearchParams.of(filter, (pageNo - 1) * pageSize, pageSize), Cdrs.SearchResult.class);
                model.addAttribute("result", result);
                PortalLinks.pager(model, pageNo, result.total(), result.totalExact(), pageSize);
                model.addAttribute("csv", csv(filter));
            } catch (RpcException e) {
                errors.add(e, FORM_NAMES);
            }
        }
        return "portal/calls";
    }

    /** The form as a {@code cdr.search} filter, or null (with errors) when a field is wrong. */
    private Cdrs.Filter filter(Form form, FieldErrors errors) {
        LocalDate fromDay = day(form.dateFrom(), "dateFrom", errors);
        LocalDate toDay = day(form.dateTo(), "dateTo", errors);
        if (fromDay != null && toDay != null && toDay.isBefore(fromDay)) {
            errors.add("dateTo", "error.dateOrder");
        }
        Cdrs.Disposition disposition = null;
        if (form.outcome() != null) {
            try {
                disposition = Cdrs.Disposition.valueOf(form.outcome().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add("outcome", "error.choice");
            }
        }
        if (errors.any()) {
            return null;
        }
        return new Cdrs.Filter(form.from(), form.to(), null, fromDay == null ? null : format.startOf(fromDay),
                toDay == null ? null : format.startOf(toDay.plusDays(1)), disposition, form.route(), null);
    }

    private static String csv(Cdrs.Filter f) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("from", f.from());
        q.put("to", f.to());
        q.put("timeFrom", f.timeFrom());
        q.put("timeTo", f.timeTo());
        q.put("disposition", f.disposition());
        q.put("route", f.route());
        return PortalLinks.withQuery("/portal/calls.csv", q);
    }

    static LocalDate day(String value, String field, FieldErrors errors) {
        try {
            return PortalFormat.date(value);
        } catch (DateTimeParseException e) {
            errors.add(field, "error.date");
            return null;
        }
    }

    static int pageNumber(String page) {
        try {
            return Math.max(1, Math.min(100_000, Integer.parseInt(page.strip())));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
