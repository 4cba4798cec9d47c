package org.callibry.server.ivr.internal;

import java.math.BigDecimal;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo's balance lookup ({@code GET /demo/balance?number=1001}): what the demo scenario 700 asks
 * over HTTP, as a customer's billing system would answer. The balance is made up from the number, the
 * same on every call; no login, no data. Off with {@code callibry.demo.enabled=false}.
 */
@RestController
@ConditionalOnProperty(name = "callibry.demo.enabled", havingValue = "true", matchIfMissing = true)
class DemoBalance {

    @GetMapping("/demo/balance")
    Map<String, Object> balance(@RequestParam(defaultValue = "") String number) {
        String digits = number.replaceAll("\\D", "");
        long kopecks = digits.isEmpty() ? 0 : Math.floorMod(Long.parseLong(digits.substring(0, Math.min(digits.length(), 15)))
                * 7_919L, 2_500_000L);
        return Map.of("number", digits, "balance", BigDecimal.valueOf(kopecks, 2).toPlainString(), "currency", "RUB");
    }
}
