package org.callibry.server.portal.internal;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcInvoker;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.dto.Kpis;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /portal/kpi}: the call-center KPIs of a date range ({@code kpi.queues}, {@code kpi.agents}) per
 * queue and per agent, as tables and Chart.js charts (their data embedded in the page as JSON), printable.
 */
@Controller
class KpiPage {
    private static final Map<String, String> FORM_NAMES = Map.of("timeFrom", "dateFrom", "timeTo", "dateTo");
    private static final TypeReference<List<Kpis.QueueKpi>> QUEUES = new TypeReference<>() {
    };
    private static final TypeReference<List<Kpis.AgentKpi>> AGENTS = new TypeReference<>() {
    };

    private final RpcInvoker rpc;
    private final PortalFormat format;
    private final JsonMapper json;
    private final MessageSource messages;

    KpiPage(RpcInvoker rpc, PortalFormat format, JsonMapper json, MessageSource messages) {
        this.messages = messages;
        this.rpc = rpc;
        this.format = format;
        this.json = json;
    }

    record Form(String dateFrom, String dateTo) {
    }

    @GetMapping("/portal/kpi")
    String kpi(Caller caller, Model model, Locale locale, @RequestParam(required = false) String dateFrom,
               @RequestParam(required = false) String dateTo) {
        LocalDate today = format.today();
        Form form = new Form(QueueLogPage.orDefault(dateFrom, today.minusDays(6)), QueueLogPage.orDefault(dateTo, today));
        FieldErrors errors = new FieldErrors();
        QueueLogPage.Range range = QueueLogPage.Range.of(form.dateFrom(), form.dateTo(), format, errors);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors.asMap());
        if (!errors.any()) {
            try {
                List<Kpis.QueueKpi> queues = rpc.call(caller, Methods.KPI_QUEUES,
                        new Kpis.QueueParams(range.from(), range.to(), null, null), QUEUES);
                List<Kpis.AgentKpi> agents = rpc.call(caller, Methods.KPI_AGENTS,
                        new Kpis.AgentParams(range.from(), range.to(), null, null), AGENTS);
                model.addAttribute("queues", queues);
                model.addAttribute("agents", agents);
                model.addAttribute("chartData", inScript(json.writeValueAsString(chartData(queues, agents, locale))));
            } catch (RpcException e) {
                errors.add(e, FORM_NAMES);
            }
        }
        return "portal/kpi";
    }

    /**
     * JSON to write raw into a script element: {@code <}, {@code >} and {@code &} as JSON escapes, so a queue or
     * agent name such as {@code </script>} cannot end the element (the values read back unchanged).
     */
    static String inScript(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    /** What portal.js draws: labels and series per chart, seconds rounded. */
    private Map<String, Object> chartData(List<Kpis.QueueKpi> queues, List<Kpis.AgentKpi> agents, Locale locale) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("labels", queues.stream().map(Kpis.QueueKpi::queue).toList());
        q.put("avgWait", queues.stream().map(k -> round(k.avgWait())).toList());
        q.put("maxWait", queues.stream().map(k -> k.maxWait() == null ? 0L : k.maxWait()).toList());
        q.put("avgTalk", queues.stream().map(k -> round(k.avgTalk())).toList());
        q.put("maxTalk", queues.stream().map(k -> k.maxTalk() == null ? 0L : k.maxTalk()).toList());
        q.put("offered", queues.stream().map(Kpis.QueueKpi::offered).toList());
        q.put("answered", queues.stream().map(Kpis.QueueKpi::answered).toList());
        q.put("serviceLevel", queues.stream().map(k -> round(k.serviceLevelPct())).toList());
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("labels", agents.stream().map(Kpis.AgentKpi::agent).toList());
        a.put("answered", agents.stream().map(Kpis.AgentKpi::answered).toList());
        a.put("missed", agents.stream().map(Kpis.AgentKpi::missed).toList());
        a.put("avgTalk", agents.stream().map(k -> round(k.avgTalk())).toList());
        a.put("maxTalk", agents.stream().map(k -> k.maxTalk() == null ? 0L : k.maxTalk()).toList());
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("queues", q);
        all.put("agents", a);
        Map<String, String> names = new LinkedHashMap<>();
        for (String key : List.of("avgWait", "maxWait", "avgTalk", "maxTalk", "answered", "missed", "offered", "seconds", "calls")) {
            names.put(key, messages.getMessage("kpi." + key, null, locale));
        }
        all.put("names", names);
        return all;
    }

    private static double round(Double v) {
        return v == null ? 0 : Math.round(v * 10) / 10.0;
    }
}
