package org.callibry.server.portal.internal;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** {@code /portal/login} (the form; Spring Security checks the POST) and {@code /portal/denied}. */
@Controller
class LoginPage {

    @GetMapping("/portal/login")
    String login(Model model, @RequestParam(required = false) String error, @RequestParam(required = false) Long wait) {
        if (error != null) {
            String reason = switch (error) {
                case "throttled", "operator", "missing" -> error;
                default -> "bad";
            };
            model.addAttribute("error", "login.error." + reason);
            model.addAttribute("wait", wait == null ? 0 : wait);
        }
        return "portal/login";
    }

    /** Any method: Spring Security forwards a refused POST (a missing CSRF token) here as it came. */
    @RequestMapping("/portal/denied")
    String denied() {
        return "portal/denied";
    }
}
