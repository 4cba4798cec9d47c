package org.callibry.server.portal.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcInvoker;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.dto.Page;
import org.callibry.shared.api.dto.QueueLogs;
import org.callibry.shared.api.dto.Queues;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.core.type.TypeReference;

/**
 * {@code /portal/queue-log}: the queue distribution log ({@code queue.calls}), one row per caller's wait:
 * queue, caller, operator, entered, waited, talked, answered and outcome; a date range (the last 7 days
 * by default) and a queue as filters, paged, with its CSV export.
 */
@Controller
class QueueLogPage {
    private static final Map<String, String> FORM_NAMES = Map.of("timeFrom", "dateFrom", "timeTo", "dateTo",
            "queueId", "queue");
    static final TypeReference<Page<QueueLogs.QueueCall>> CALLS = new TypeReference<>() {
    };
    static final TypeReference<Page<Queues.Queue>> QUEUES = new TypeReference<>() {
    };

    private final RpcInvoker rpc;
    private final PortalFormat format;
    private final int pageSize;

    QueueLogPage(RpcInvoker rpc, PortalFormat format, PortalProperties properties) {
        this.rpc = rpc;
        this.format = format;
        this.pageSize = properties.pageSize();
    }

    record Form(String dateFrom, String dateTo, String queue) {
    }

    @GetMapping("/portal/queue-log")
    String log(Caller caller, Model model, @RequestParam(required = false) String dateFrom,
               @RequestParam(required = false) String dateTo, @RequestParam(required = false) String queue,
               @RequestParam(defaultValue = "1") String page) {
        LocalDate today = format.today();
        Form form = new Form(orDefault(dateFrom, today.minusDays(6)), orDefault(dateTo, today), CallLogPage.blank(queue));
        FieldErrors errors = new FieldErrors();
        Range range = Range.of(form.dateFrom(), form.dateTo(), format, errors);
        Long queueId = null;
        if (form.queue() != null) {
            try {
                queueId = Long.parseLong(form.queue());
            } catch (NumberFormatException e) {
                errors.add("queue", "error.choice");
            }
        }
        int pageNo = CallLogPage.pageNumber(page);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors.asMap());
        model.addAttribute("queues", queues(caller));
        if (!errors.any()) {
            try {
                Page<QueueLogs.QueueCall> result = rpc.call(caller, Methods.QUEUE_CALLS, new QueueLogs.CallsParams(
                        range.from(), range.to(), queueId, null, (pageNo - 1) * pageSize, pageSize), CALLS);
                model.addAttribute("result", result);
                PortalLinks.pager(model, pageNo, result.total(), true, pageSize);
                Map<String, Object> q = new LinkedHashMap<>();
                q.put("timeFrom", range.from());
                q.put("timeTo", range.to());
                q.put("queueId", queueId);
                model.addAttribute("csv", PortalLinks.withQuery("/portal/queue-log.csv", q));
            } catch (RpcException e) {
                errors.add(e, FORM_NAMES);
            }
        }
        return "portal/queue-log";
    }

    List<Queues.Queue> queues(Caller caller) {
        return rpc.call(caller, Methods.crud(Methods.QUEUE, Methods.LIST), new Queues.ListParams(null), QUEUES).items();
    }

    static String orDefault(String value, LocalDate day) {
        String v = CallLogPage.blank(value);
        return v == null ? day.toString() : v;
    }

    /** A whole-day range [first day 00:00, day after the last 00:00) in the portal's zone. */
    record Range(Instant from, Instant to) {
        static Range of(String dateFrom, String dateTo, PortalFormat format, FieldErrors errors) {
            LocalDate first = CallLogPage.day(dateFrom, "dateFrom", errors);
            LocalDate last = CallLogPage.day(dateTo, "dateTo", errors);
            if (first == null && !errors.asMap().containsKey("dateFrom")) {
                errors.add("dateFrom", "error.required");
            }
            if (last == null && !errors.asMap().containsKey("dateTo")) {
                errors.add("dateTo", "error.required");
            }
            if (first != null && last != null && last.isBefore(first)) {
                errors.add("dateTo", "error.dateOrder");
            }
            if (errors.any()) {
                return null;
            }
            return new Range(format.startOf(first), format.startOf(last.plusDays(1)));
        }
    }
}
