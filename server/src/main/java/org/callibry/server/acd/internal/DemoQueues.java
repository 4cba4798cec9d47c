package org.callibry.server.acd.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.callibry.server.directory.SipDirectory;
import org.callibry.shared.api.dto.Queues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Demo queues (unless {@code callibry.demo.enabled=false}), each created when missing, also on an
 * existing data directory: {@code 500} "Support" (round robin over 1003 and 1004, wrap-up 5 s, callback
 * on digit 1, no overflow: callers wait even while every agent is paused) and {@code 501} "Sales"
 * (ring all of 1004 and 1005).
 */
@Component
@Order(2)
class DemoQueues implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(DemoQueues.class);
    static final String DEMO_DOMAIN = "demo.callibry.test";

    private final SipDirectory directory;
    private final QueueStore store;
    private final QueueEndpoint queues;
    private final boolean demo;

    DemoQueues(SipDirectory directory, QueueStore store, QueueEndpoint queues, @Value("${callibry.demo.enabled:true}") boolean demo) {
        this.directory = directory;
        this.store = store;
        this.queues = queues;
        this.demo = demo;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!demo) {
            return;
        }
        Optional<SipDirectory.Domain> domain = directory.domains().stream().filter(d -> d.name().equals(DEMO_DOMAIN)).findFirst();
        if (domain.isEmpty()) {
            return;
        }
        long tenant = domain.get().tenantId();
        Map<String, Long> accounts = directory.accounts().stream().filter(a -> a.domainId() == domain.get().id())
                .collect(Collectors.toMap(SipDirectory.Credentials::number, SipDirectory.Credentials::accountId, (x, y) -> x));
        List<Queues.Queue> existing = store.queues();
        create(tenant, existing, accounts, "500", "Support", Queues.Strategy.ROUND_ROBIN, List.of("1003", "1004"), 5, "1");
        create(tenant, existing, accounts, "501", "Sales", Queues.Strategy.RING_ALL, List.of("1004", "1005"), 0, "");
    }

    private void create(long tenant, List<Queues.Queue> existing, Map<String, Long> accounts, String number, String name,
                        Queues.Strategy strategy, List<String> agents, int wrapUp, String callbackDigit) {
        if (existing.stream().anyMatch(q -> q.tenantId() == tenant && q.number().equals(number))
                || !agents.stream().allMatch(accounts::containsKey)) {
            return;
        }
        List<Queues.Member> members = agents.stream().map(a -> new Queues.Member(accounts.get(a), 0)).toList();
        queues.save(null, new Queues.Queue(0, tenant, number, name, strategy, members, List.of(), 0, 0, null, null, null, 30, "en",
                wrapUp, 20, 20, callbackDigit, 3, 0, 0, 0, false, 5, List.of(), false, null, null, null));
        log.info("Demo queue {} '{}' created ({}, agents {})", number, name, strategy, String.join(", ", agents));
    }
}
