package org.callibry.server.ivr.internal;

import java.util.Map;
import java.util.Optional;
import org.callibry.server.acd.QueueDirectory;
import org.callibry.server.directory.SipDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo IVR (unless {@code callibry.demo.enabled=false}), created when the demo tenant has no
 * scenario numbered {@code 700}: a time node open around the clock (on a date of the tenant's holiday
 * calendar it says so first), then a menu: 1 the balance (looked up at this server's
 * {@code /demo/balance} and said back in rubles), 2 an informer message, 0 an operator (queue 500), 9
 * the same menu in Russian. Its document is {@code /ivr/demo-700.json}, with the queue's id and this
 * server's HTTP port filled in.
 */
@Component
@Order(3)
class DemoIvr implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(DemoIvr.class);
    static final String DEMO_DOMAIN = "demo.callibry.test";
    static final String NUMBER = "700";

    private final SipDirectory directory;
    private final IvrStore store;
    private final IvrService service;
    private final IvrEndpoint endpoint;
    private final ObjectProvider<QueueDirectory> queues;
    private final Environment environment;
    private final boolean demo;

    DemoIvr(SipDirectory directory, IvrStore store, IvrService service, IvrEndpoint endpoint, ObjectProvider<QueueDirectory> queues,
            Environment environment, @Value("${callibry.demo.enabled:true}") boolean demo) {
        this.directory = directory;
        this.store = store;
        this.service = service;
        this.endpoint = endpoint;
        this.queues = queues;
        this.environment = environment;
        this.demo = demo;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        if (!demo) {
            return;
        }
        Optional<SipDirectory.Domain> domain = directory.domains().stream().filter(d -> d.name().equals(DEMO_DOMAIN)).findFirst();
        QueueDirectory q = queues.getIfAvailable();
        if (domain.isEmpty() || q == null) {
            return;
        }
        long tenant = domain.get().tenantId();
        if (store.all().stream().anyMatch(s -> s.tenantId() == tenant && NUMBER.equals(s.number()))) {
            return;
        }
        Optional<Long> support = q.queuesOf(tenant).keySet().stream().filter(id -> q.number(id).filter("500"::equals).isPresent())
                .findFirst();
        if (support.isEmpty()) {
            log.info("Demo IVR {} not created: the demo tenant has no queue 500", NUMBER);
            return;
        }
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        String text;
        try (var in = DemoIvr.class.getResourceAsStream("/ivr/demo-700.json")) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        JsonNode document = JsonMapper.builder().build().readTree(text.replace("\"__QUEUE__\"", Long.toString(support.get()))
                .replace("__PORT__", port));
        ScenarioValidator.Checked checked = ScenarioValidator.check(document, endpoint.references(tenant));
        if (!checked.validation().valid()) {
            throw new IllegalStateException("the demo scenario is invalid: " + checked.validation().errors());
        }
        long id = store.insert(tenant, "Demo: balance, news, operator", NUMBER, document, "demo");
        service.put(store.find(id));
        log.info("Demo IVR {} created (scenario {}; balance at :{}/demo/balance, operator queue {})", NUMBER, id, port,
                support.get());
    }
}
