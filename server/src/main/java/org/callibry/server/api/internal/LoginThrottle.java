package org.callibry.server.api.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.callibry.server.api.RpcException;
import org.callibry.shared.api.ErrorCodes;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Counts failed logins per user name and per source address in a sliding window; past the limit, more
 * attempts are refused (even with the right password) until the oldest failure leaves the window.
 */
@Component
class LoginThrottle {
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
    private final ApiProperties.Login limits;
    private final Clock clock;

    @Autowired
    LoginThrottle(ApiProperties properties) {
        this(properties.login(), Clock.systemUTC());
    }

    LoginThrottle(ApiProperties.Login limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** Throws {@link ErrorCodes#RATE_LIMITED} when this user or address has failed too often. */
    void check(String user, String address) {
        Instant now = clock.instant();
        long wait = Math.max(retryAfter(userKey(user), limits.maxFailuresPerUser(), now),
                retryAfter(addressKey(address), limits.maxFailuresPerAddress(), now));
        if (wait > 0) {
            throw new RpcException(ErrorCodes.RATE_LIMITED,
                    "Too many failed logins; retry in " + wait + " s", Map.of("retryAfterSeconds", wait));
        }
    }

    void failed(String user, String address) {
        Instant now = clock.instant();
        record(userKey(user), now);
        record(addressKey(address), now);
    }

    void succeeded(String user) {
        failures.remove(userKey(user));
    }

    private long retryAfter(String key, int max, Instant now) {
        Deque<Instant> q = failures.get(key);
        if (q == null) {
            return 0;
        }
        synchronized (q) {
            prune(q, now);
            if (q.size() < max) {
                return 0;
            }
            Instant oldest = q.peekFirst();
            return Math.max(1, Duration.between(now, oldest.plus(limits.window())).toSeconds() + 1);
        }
    }

    private void record(String key, Instant now) {
        Deque<Instant> q = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (q) {
            prune(q, now);
            q.addLast(now);
        }
    }

    private void prune(Deque<Instant> q, Instant now) {
        Instant horizon = now.minus(limits.window());
        while (!q.isEmpty() && q.peekFirst().isBefore(horizon)) {
            q.removeFirst();
        }
    }

    /** Forgets windows that have emptied, so a flood of made-up user names cannot grow the map forever. */
    @Scheduled(fixedDelay = 60_000)
    void evictIdle() {
        Instant now = clock.instant();
        failures.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                prune(e.getValue(), now);
                return e.getValue().isEmpty();
            }
        });
    }

    private static String userKey(String user) {
        return "u:" + (user == null ? "" : user.toLowerCase(Locale.ROOT));
    }

    private static String addressKey(String address) {
        return "a:" + address;
    }
}
