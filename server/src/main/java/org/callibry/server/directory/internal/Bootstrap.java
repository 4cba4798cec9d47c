package org.callibry.server.directory.internal;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.callibry.server.directory.DirectoryChanged;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.sip.DigestHashes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StringUtils;

/**
 * First-start data: the {@code admin} user when no admin exists, and (unless
 * {@code callibry.demo.enabled=false}) the demo tenant with its local-alias SIP domain, accounts
 * 1001-1005 and a customer user {@code demo}. Generated passwords are logged once, when created.
 */
@Component
@Order(0)
class Bootstrap implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);
    static final String DEMO_TENANT = "Demo";
    static final String DEMO_DOMAIN = "demo.callibry.test";
    static final List<String> DEMO_ACCOUNTS = List.of("1001", "1002", "1003", "1004", "1005");

    private final JdbcClient jdbc;
    private final UserDirectory users;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final String adminPassword;
    private final boolean demo;
    private final String demoPassword;

    Bootstrap(JdbcClient jdbc, UserDirectory users, TransactionTemplate tx, ApplicationEventPublisher events,
              @Value("${callibry.admin.password:}") String adminPassword,
              @Value("${callibry.demo.enabled:true}") boolean demo,
              @Value("${callibry.demo.password:}") String demoPassword) {
        this.jdbc = jdbc;
        this.users = users;
        this.tx = tx;
        this.events = events;
        this.adminPassword = adminPassword;
        this.demo = demo;
        this.demoPassword = demoPassword;
    }

    @Override
    public void run(ApplicationArguments args) {
        tx.executeWithoutResult(s -> createAdmin());
        if (demo) {
            Long domain = tx.execute(s -> createDemo());
            if (domain != null) {
                // after the commit, so that listeners (the SIP registrar's cache) see the new domain and accounts
                events.publishEvent(new DirectoryChanged(Methods.DOMAIN, domain, null, "created"));
            }
        }
    }

    private void createAdmin() {
        if (jdbc.sql("select count(*) from app_user where role = 'ADMIN'").query(Long.class).single() > 0) {
            return;
        }
        boolean generated = !StringUtils.hasText(adminPassword);
        String password = generated ? generate() : adminPassword;
        jdbc.sql("insert into app_user (username, password_hash, role, display_name) values ('admin', ?, 'ADMIN', 'Administrator')")
                .param(users.hash(password)).update();
        if (generated) {
            log.warn("""

                    ************************************************************
                      Created user 'admin' with password: {}
                      (shown once; set CALLIBRY_ADMIN_PASSWORD to choose it)
                    ************************************************************""", password);
        } else {
            log.info("Created user 'admin' with the password from CALLIBRY_ADMIN_PASSWORD");
        }
    }

    /**
     * Creates the demo data item by item when missing (also on an existing data directory): the tenant,
     * its domain and accounts (on first start), and the users: customer {@code demo}, operators
     * {@code operator1003}..{@code operator1005} linked to those accounts, and {@code supervisor}. Returns
     * the new domain's id, or null.
     */
    private Long createDemo() {
        Long existing = jdbc.sql("select id from tenant where lower(name) = lower(?)").param(DEMO_TENANT).query(Long.class)
                .optional().orElse(null);
        boolean generated = !StringUtils.hasText(demoPassword);
        String password = generated ? generate() : demoPassword;
        Long domain = null;
        long tenant;
        if (existing == null) {
            tenant = jdbc.sql("insert into tenant (name, description) values (?, 'Demo tenant created on first start') returning id")
                    .param(DEMO_TENANT).query(Long.class).single();
            boolean aliasFree = jdbc.sql("select count(*) from sip_domain where local_alias").query(Long.class).single() == 0;
            domain = jdbc.sql("insert into sip_domain (tenant_id, name, local_alias) values (?, ?, ?) returning id")
                    .params(tenant, DEMO_DOMAIN, aliasFree).query(Long.class).single();
            for (String number : DEMO_ACCOUNTS) {
                jdbc.sql("insert into sip_account (tenant_id, domain_id, number, display_name, ha1_md5, ha1_sha256)"
                                + " values (?, ?, ?, ?, ?, ?)")
                        .params(tenant, domain, number, "Demo " + number, DigestHashes.ha1Md5(number, DEMO_DOMAIN, password),
                                DigestHashes.ha1Sha256(number, DEMO_DOMAIN, password))
                        .update();
            }
        } else {
            tenant = existing;
        }
        List<String> added = new ArrayList<>();
        for (DemoUser u : DEMO_USERS) {
            if (jdbc.sql("select count(*) from app_user where lower(username) = lower(?)").param(u.username()).query(Long.class)
                    .single() > 0) {
                continue;
            }
            Long account = u.account() == null ? null : jdbc.sql("select id from sip_account where tenant_id = ? and number = ?")
                    .params(tenant, u.account()).query(Long.class).optional().orElse(null);
            jdbc.sql("insert into app_user (username, password_hash, role, tenant_id, account_id, display_name)"
                    + " values (?, ?, ?, ?, ?, ?)").params(u.username(), users.hash(password), u.role(), tenant, account,
                    u.displayName()).update();
            added.add(u.username());
        }
        String shown = generated ? password : "(from CALLIBRY_DEMO_PASSWORD)";
        if (existing == null) {
            log.warn("""

                    ************************************************************
                      Demo tenant '{}': SIP domain {} (also answers to this server's addresses),
                      accounts {}..{} and portal/API users {}, password: {}
                    ************************************************************""",
                    DEMO_TENANT, DEMO_DOMAIN, DEMO_ACCOUNTS.getFirst(), DEMO_ACCOUNTS.getLast(), String.join(", ", added), shown);
        } else if (!added.isEmpty()) {
            log.warn("Demo tenant '{}': added users {}, password: {}", DEMO_TENANT, String.join(", ", added), shown);
        }
        return domain;
    }

    /** A demo API user: the customer, the operators at the queue agents' accounts, the supervisor. */
    record DemoUser(String username, String role, String account, String displayName) {
    }

    static final List<DemoUser> DEMO_USERS = List.of(
            new DemoUser("demo", "CUSTOMER", null, "Demo customer"),
            new DemoUser("operator1003", "OPERATOR", "1003", "Operator 1003"),
            new DemoUser("operator1004", "OPERATOR", "1004", "Operator 1004"),
            new DemoUser("operator1005", "OPERATOR", "1005", "Operator 1005"),
            new DemoUser("supervisor", "SUPERVISOR", null, "Demo supervisor"));

    private static String generate() {
        final String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
