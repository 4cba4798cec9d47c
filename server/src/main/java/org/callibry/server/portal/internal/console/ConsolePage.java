package org.callibry.server.portal.internal.console;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The operator console's one page ({@code /console/}): the call card, notes and wrap-up, the queue's
 * script, the outbound form and supervisors' messages. The page holds no data: its script reads the
 * call from the query ({@code callId}, {@code caller}, {@code queue}, {@code wait}), takes the API token
 * from the softphone's bridge ({@code window.callibry.token()}) or a login form, and talks to
 * {@code /api/rpc} and {@code /api/events}. Text in the request's language ({@code lang} or
 * Accept-Language; see {@link ConsoleLanguage}).
 */
@Controller
class ConsolePage {

    @GetMapping("/console/")
    String page() {
        return "console/index";
    }

    @GetMapping({"/console", "/console/index.html"})
    String toPage() {
        return "redirect:/console/";
    }
}
