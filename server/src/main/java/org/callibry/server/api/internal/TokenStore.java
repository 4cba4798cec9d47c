package org.callibry.server.api.internal;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.callibry.shared.sip.DigestHashes;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Bearer tokens of {@code auth.login}: 256 random bits, kept in the database only as their SHA-256
 * (so tokens survive a restart and a stolen database does not yield them), cached in memory.
 */
@Component
class TokenStore {
    private static final Duration CACHE_FOR = Duration.ofSeconds(30);

    record Token(String token, Instant expiresAt) {
    }

    private record Cached(long userId, Instant expiresAt, Instant checkedAt) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final JdbcClient jdbc;
    private final Duration ttl;
    private final Clock clock = Clock.systemUTC();

    TokenStore(JdbcClient jdbc, ApiProperties properties) {
        this.jdbc = jdbc;
        this.ttl = properties.tokenTtl();
    }

    Token issue(long userId) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expires = clock.instant().plus(ttl);
        jdbc.sql("insert into api_token (token_hash, user_id, expires_at) values (?, ?, ?)")
                .params(hash(token), userId, Timestamp.from(expires)).update();
        return new Token(token, expires);
    }

    /** The user id the token belongs to, if it exists and has not expired. */
    Optional<Long> userOf(String token) {
        String hash = hash(token);
        Instant now = clock.instant();
        Cached c = cache.get(hash);
        if (c == null || c.checkedAt().plus(CACHE_FOR).isBefore(now)) {
            c = jdbc.sql("select user_id, expires_at from api_token where token_hash = ?").param(hash)
                    .query((rs, n) -> new Cached(rs.getLong(1), rs.getTimestamp(2).toInstant(), now))
                    .optional().orElse(null);
            if (c == null) {
                cache.remove(hash);
                return Optional.empty();
            }
            cache.put(hash, c);
        }
        return c.expiresAt().isAfter(now) ? Optional.of(c.userId()) : Optional.empty();
    }

    void revoke(String token) {
        String hash = hash(token);
        cache.remove(hash);
        jdbc.sql("delete from api_token where token_hash = ?").param(hash).update();
    }

    void revokeAll(long userId) {
        cache.values().removeIf(c -> c.userId() == userId);
        jdbc.sql("delete from api_token where user_id = ?").param(userId).update();
    }

    @Scheduled(fixedDelay = 600_000, initialDelay = 60_000)
    void purgeExpired() {
        Instant now = clock.instant();
        cache.values().removeIf(c -> !c.expiresAt().isAfter(now));
        jdbc.sql("delete from api_token where expires_at < ?").param(Timestamp.from(now)).update();
    }

    private static String hash(String token) {
        return DigestHashes.hex("SHA-256", token);
    }
}
