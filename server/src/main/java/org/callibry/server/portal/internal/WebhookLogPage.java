package org.callibry.server.portal.internal;

import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcInvoker;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.dto.Page;
import org.callibry.shared.api.dto.Webhooks;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.core.type.TypeReference;

/** {@code /portal/webhooks}: the webhook delivery log ({@code webhook.deliveries}), newest first, by call id, paged. */
@Controller
class WebhookLogPage {
    private static final TypeReference<Page<Webhooks.Delivery>> DELIVERIES = new TypeReference<>() {
    };

    private final RpcInvoker rpc;
    private final int pageSize;

    WebhookLogPage(RpcInvoker rpc, PortalProperties properties) {
        this.rpc = rpc;
        this.pageSize = properties.pageSize();
    }

    record Form(String callId) {
    }

    @GetMapping("/portal/webhooks")
    String deliveries(Caller caller, Model model, @RequestParam(required = false) String callId,
                      @RequestParam(defaultValue = "1") String page) {
        Form form = new Form(CallLogPage.blank(callId));
        FieldErrors errors = new FieldErrors();
        int pageNo = CallLogPage.pageNumber(page);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors.asMap());
        try {
            Page<Webhooks.Delivery> result = rpc.call(caller, Methods.WEBHOOK_DELIVERIES, new Webhooks.DeliveriesParams(
                    null, form.callId(), null, (pageNo - 1) * pageSize, pageSize), DELIVERIES);
            model.addAttribute("result", result);
            PortalLinks.pager(model, pageNo, result.total(), true, pageSize);
        } catch (RpcException e) {
            errors.add(e, java.util.Map.of("callId", "callId"));
        }
        return "portal/webhooks";
    }
}
