package org.callibry.server.sip.core;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.UnaryOperator;
import org.callibry.server.directory.AccountPresence;
import org.callibry.server.directory.SipDirectory;
import org.callibry.server.sip.RegistrationChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The location service (RFC 3261 §10): contacts registered per account, in memory for lookups and
 * written through to {@code sip_location} by a background writer (the registrar never waits for the
 * database), restored from it at start so a restarted server still reaches registered phones.
 */
@Component
public class Location implements AccountPresence {
    private static final Logger log = LoggerFactory.getLogger(Location.class);

    /** One registered contact, and the transport address its REGISTER came from (where requests go). */
    public record Binding(long accountId, long tenantId, String contact, Instant expires, float q, String callId, long cseq,
                   String transport, String sourceIp, int sourcePort, String userAgent) {
        public boolean natted(String contactHost, int contactPort) {
            return !sourceIp.equals(contactHost) || sourcePort != contactPort;
        }

        /** Where requests for this contact go: the address its REGISTER came from. */
        public javax.sip.address.Hop hop() {
            return new gov.nist.javax.sip.stack.HopImpl(sourceIp, sourcePort, transport);
        }
    }

    private record Write(long accountId, String contact, Binding binding) {
    }

    private final Map<Long, List<Binding>> byAccount = new ConcurrentHashMap<>();
    private final Map<String, Binding> byContact = new ConcurrentHashMap<>();
    private final BlockingQueue<Write> writes = new LinkedBlockingQueue<>(200_000);
    private final JdbcClient jdbc;
    /** The writer's batches: one round trip for a batch's upserts, one for its deletes. */
    private final JdbcTemplate batches;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final Clock clock = Clock.systemUTC();
    private volatile Thread writer;
    private volatile boolean stopping;

    public Location(JdbcClient jdbc, JdbcTemplate batches, TransactionTemplate tx, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.tx = tx;
        this.events = events;
    }

    /**
     * Loads unexpired bindings from the database and starts the write-behind thread; each binding's
     * tenant comes from the account as the directory has it now (bindings of deleted accounts are dropped).
     */
    public void start(SipAccounts accounts) {
        Instant now = clock.instant();
        List<Binding> stored = jdbc.sql("select account_id, contact, expires_at, q, call_id, cseq, transport, source_ip,"
                        + " source_port, user_agent from sip_location where expires_at > ?")
                .param(Timestamp.from(now))
                .query((rs, n) -> {
                    Optional<SipDirectory.Credentials> account = accounts.account(rs.getLong(1));
                    return account.isEmpty() ? null : new Binding(rs.getLong(1), account.get().tenantId(), rs.getString(2),
                            rs.getTimestamp(3).toInstant(), rs.getFloat(4), rs.getString(5), rs.getLong(6), rs.getString(7),
                            rs.getString(8), rs.getInt(9), rs.getString(10));
                })
                .list().stream().filter(java.util.Objects::nonNull).toList();
        for (Binding b : stored) {
            byAccount.computeIfAbsent(b.accountId(), k -> new ArrayList<>()).add(b);
            byContact.put(b.contact(), b);
        }
        jdbc.sql("delete from sip_location where expires_at <= ?").param(Timestamp.from(now)).update();
        log.info("Location service restored {} registrations", stored.size());
        writer = Thread.ofVirtual().name("sip-location-writer").start(this::writeLoop);
    }

    /** Stops the writer after it has written everything queued (the database is still up: SIP stops first). */
    public void stop() {
        stopping = true;
        Thread w = writer;
        if (w != null) {
            try {
                w.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The account's unexpired bindings, highest q first. */
    public List<Binding> bindings(long accountId) {
        List<Binding> list = byAccount.get(accountId);
        if (list == null) {
            return List.of();
        }
        Instant now = clock.instant();
        synchronized (list) {
            return list.stream().filter(b -> b.expires().isAfter(now))
                    .sorted(Comparator.comparingDouble(Binding::q).reversed()).toList();
        }
    }

    public Optional<Binding> byContact(String contact) {
        Binding b = byContact.get(contact);
        return b != null && b.expires().isAfter(clock.instant()) ? Optional.of(b) : Optional.empty();
    }

    /**
     * Changes an account's bindings atomically: {@code change} gets the current unexpired list and
     * returns the new one (or throws to abort). Differences are written behind and announced.
     */
    public List<Binding> update(long accountId, long tenantId, UnaryOperator<List<Binding>> change) {
        List<Binding> list = byAccount.computeIfAbsent(accountId, k -> new ArrayList<>());
        List<Binding> before;
        List<Binding> after;
        synchronized (list) {
            Instant now = clock.instant();
            before = list.stream().filter(b -> b.expires().isAfter(now)).toList();
            after = List.copyOf(change.apply(before));
            list.clear();
            list.addAll(after);
        }
        Map<String, Binding> afterByContact = new LinkedHashMap<>();
        after.forEach(b -> afterByContact.put(b.contact(), b));
        for (Binding b : before) {
            if (!afterByContact.containsKey(b.contact())) {
                byContact.remove(b.contact(), b);
                enqueue(new Write(accountId, b.contact(), null));
            }
        }
        Map<String, Binding> beforeByContact = new LinkedHashMap<>();
        before.forEach(b -> beforeByContact.put(b.contact(), b));
        for (Binding b : after) {
            byContact.put(b.contact(), b);
            if (worthWriting(beforeByContact.get(b.contact()), b)) {
                enqueue(new Write(accountId, b.contact(), b));
            }
        }
        if (before.size() != after.size()) {
            events.publishEvent(new RegistrationChanged(accountId, tenantId, after.size()));
        }
        return after;
    }

    /**
     * A refresh that only moves the expiry a little is not written: what the database holds is for a
     * restart, and a phone refreshes well before its stored expiry anyway. New contacts, another source
     * address or transport, and an expiry moved by more than a third of the interval are written.
     */
    private static boolean worthWriting(Binding old, Binding now) {
        if (old == null || !old.sourceIp().equals(now.sourceIp()) || old.sourcePort() != now.sourcePort()
                || !old.transport().equals(now.transport()) || old.q() != now.q()) {
            return true;
        }
        long interval = Math.max(1, now.expires().getEpochSecond() - Instant.now().getEpochSecond());
        long moved = Math.abs(now.expires().getEpochSecond() - old.expires().getEpochSecond());
        return moved * 3 > interval;
    }

    /** Drops expired bindings (their database rows too) and announces accounts that went offline. */
    @Scheduled(fixedDelay = 5_000)
    public void expire() {
        Instant now = clock.instant();
        for (Map.Entry<Long, List<Binding>> e : byAccount.entrySet()) {
            List<Binding> list = e.getValue();
            List<Binding> gone;
            int left;
            synchronized (list) {
                gone = list.stream().filter(b -> !b.expires().isAfter(now)).toList();
                list.removeAll(gone);
                left = list.size();
            }
            for (Binding b : gone) {
                byContact.remove(b.contact(), b);
                enqueue(new Write(b.accountId(), b.contact(), null));
            }
            if (!gone.isEmpty()) {
                events.publishEvent(new RegistrationChanged(e.getKey(), gone.getFirst().tenantId(), left));
            }
        }
    }

    public List<Binding> all() {
        List<Binding> out = new ArrayList<>();
        Instant now = clock.instant();
        for (List<Binding> list : byAccount.values()) {
            synchronized (list) {
                list.stream().filter(b -> b.expires().isAfter(now)).forEach(out::add);
            }
        }
        return out;
    }

    @Override
    public int contacts(long accountId) {
        return bindings(accountId).size();
    }

    @Override
    public Optional<Instant> registeredUntil(long accountId) {
        return bindings(accountId).stream().map(Binding::expires).max(Comparator.naturalOrder());
    }

    private void enqueue(Write w) {
        if (!writes.offer(w)) {
            log.warn("Location write-behind queue full: registration of account {} kept in memory only", w.accountId());
        }
    }

    private void writeLoop() {
        List<Write> batch = new ArrayList<>();
        while (!stopping || !writes.isEmpty()) {
            try {
                Write first = writes.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                writes.drainTo(batch, 999);
                writeOrRetry(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            batch.clear();
        }
    }

    /**
     * Writes a batch; if it fails, writes its rows one by one so that a row that can never be written
     * (its account was deleted meanwhile) does not hold back the others, and retries the rest while the
     * database is away.
     */
    private void writeOrRetry(List<Write> batch) throws InterruptedException {
        try {
            flush(batch);
            return;
        } catch (RuntimeException e) {
            log.debug("Batch of {} registrations failed, writing one by one: {}", batch.size(), e.getMessage());
        }
        for (Write w : batch) {
            while (true) {
                try {
                    flush(List.of(w));
                    break;
                } catch (org.springframework.dao.DataIntegrityViolationException e) {
                    break; // the account is gone: nothing to keep
                } catch (RuntimeException e) {
                    if (stopping) {
                        log.warn("Registration of account {} not written at shutdown: {}", w.accountId(), e.getMessage());
                        break;
                    }
                    log.warn("Database unavailable for registrations (kept in memory, retrying): {}", e.getMessage());
                    Thread.sleep(1_000);
                }
            }
        }
    }

    private void flush(List<Write> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Map<String, Write> last = new LinkedHashMap<>();
        batch.forEach(w -> last.put(w.accountId() + "\n" + w.contact(), w));
        List<Object[]> deletes = new ArrayList<>();
        List<Object[]> upserts = new ArrayList<>();
        for (Write w : last.values()) {
            Binding b = w.binding();
            if (b == null) {
                deletes.add(new Object[] {w.accountId(), w.contact()});
            } else {
                upserts.add(new Object[] {b.accountId(), b.contact(), Timestamp.from(b.expires()), b.q(), b.callId(), b.cseq(),
                        b.transport(), b.sourceIp(), b.sourcePort(), b.userAgent()});
            }
        }
        // each key once (the last write wins), so the order of the two statements does not matter
        tx.executeWithoutResult(s -> {
            if (!deletes.isEmpty()) {
                batches.batchUpdate("delete from sip_location where account_id = ? and contact = ?", deletes);
            }
            if (!upserts.isEmpty()) {
                batches.batchUpdate("insert into sip_location (account_id, contact, expires_at, q, call_id, cseq, transport, source_ip,"
                        + " source_port, user_agent) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " on conflict (account_id, contact) do update set expires_at = excluded.expires_at, q = excluded.q,"
                        + " call_id = excluded.call_id, cseq = excluded.cseq, transport = excluded.transport,"
                        + " source_ip = excluded.source_ip, source_port = excluded.source_port,"
                        + " user_agent = excluded.user_agent, updated_at = now()", upserts);
            }
        });
    }
}
