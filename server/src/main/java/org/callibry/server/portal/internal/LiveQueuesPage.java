package org.callibry.server.portal.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcInvoker;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.api.dto.Queues;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.core.type.TypeReference;

/**
 * {@code /portal/live}: the queues now ({@code queue.stats}), their waiting callers ({@code queue.waiting})
 * and, for supervisors and admins, the agents' states ({@code agent.list}). The panel reloads itself
 * every two seconds (htmx); the actions the role allows (a caller's priority, kicking a caller, an agent's
 * status) are CSRF-protected POSTs that answer with the panel.
 */
@Controller
class LiveQueuesPage {
    private static final TypeReference<List<Queues.Stats>> STATS = new TypeReference<>() {
    };
    private static final TypeReference<List<Queues.Waiting>> WAITING = new TypeReference<>() {
    };
    private static final TypeReference<List<Agents.AgentStatus>> AGENTS = new TypeReference<>() {
    };

    private final RpcInvoker rpc;

    LiveQueuesPage(RpcInvoker rpc) {
        this.rpc = rpc;
    }

    /** One queue's live figures and its waiting callers, longest waiting first. */
    record QueueNow(Queues.Stats stats, List<Queues.Waiting> waiting) {
    }

    @GetMapping("/portal/live")
    String page(Caller caller, Model model) {
        fill(caller, model);
        return "portal/live";
    }

    @GetMapping("/portal/live/panel")
    String panel(Caller caller, Model model) {
        fill(caller, model);
        return "portal/live :: panel";
    }

    @PostMapping("/portal/live/priority")
    String priority(Caller caller, Model model, @RequestParam String id, @RequestParam int priority) {
        return act(caller, model, () -> rpc.call(caller, Methods.QUEUE_SET_PRIORITY,
                new Queues.SetPriority(id, Math.max(-1000, Math.min(1000, priority))), Queues.Waiting.class), "live.done.priority");
    }

    @PostMapping("/portal/live/kick")
    String kick(Caller caller, Model model, @RequestParam String id) {
        return act(caller, model, () -> rpc.call(caller, Methods.QUEUE_KICK, new Queues.Kick(id, null), Void.class),
                "live.done.kick");
    }

    @PostMapping("/portal/live/agent")
    String agent(Caller caller, Model model, @RequestParam long accountId, @RequestParam String status) {
        return act(caller, model, () -> rpc.call(caller, Methods.AGENT_SET_STATUS, new Agents.SetStatus(
                Agents.Status.valueOf(status.toUpperCase(Locale.ROOT)), null, accountId), Agents.AgentStatus.class),
                "live.done.agent");
    }

    private String act(Caller caller, Model model, Runnable action, String doneKey) {
        try {
            action.run();
            model.addAttribute("done", doneKey);
        } catch (RpcException e) {
            model.addAttribute("failure", e.getMessage());
        } catch (IllegalArgumentException e) {
            model.addAttribute("failure", e.getMessage());
        }
        fill(caller, model);
        return "portal/live :: panel";
    }

    private void fill(Caller caller, Model model) {
        List<QueueNow> queues = new ArrayList<>();
        for (Queues.Stats s : rpc.call(caller, Methods.QUEUE_STATS, new Queues.StatsParams(null), STATS)) {
            List<Queues.Waiting> waiting = s.waiting() == 0 ? List.of() : new ArrayList<>(
                    rpc.call(caller, Methods.QUEUE_WAITING, new Queues.WaitingParams(s.queueId()), WAITING));
            if (!waiting.isEmpty()) {
                waiting.sort(Comparator.comparingLong(Queues.Waiting::waitSeconds).reversed());
            }
            queues.add(new QueueNow(s, waiting));
        }
        queues.sort(Comparator.comparing(q -> q.stats().name(), String.CASE_INSENSITIVE_ORDER));
        boolean supervises = caller.role() == Role.ADMIN || caller.role() == Role.SUPERVISOR;
        model.addAttribute("queues", queues);
        model.addAttribute("supervises", supervises);
        model.addAttribute("agents", supervises ? rpc.call(caller, Methods.AGENT_LIST, new Agents.ListParams(null), AGENTS)
                .stream().sorted(Comparator.comparing(Agents.AgentStatus::number, Comparator.nullsLast(String::compareTo))).toList()
                : List.of());
    }
}
