package org.callibry.server.relay.rtp;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.callibry.server.directory.AudioPrompts;
import org.callibry.server.relay.rtp.DefaultMusic;
import org.springframework.stereotype.Component;

/**
 * The music a held party hears: the tenant's playlist (its audio files named {@code moh...}) when it
 * has one, else the shipped default ({@link DefaultMusic}). Playlists are loaded off the call path and
 * kept for a minute: a hold never waits for the database — the first one of a tenant may get the
 * default music while its playlist loads.
 */
@Component
public class MusicOnHold {
    private static final long TTL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private record Cached(List<short[]> playlist, long loadedNanos) {
    }

    private final List<short[]> defaultMusic = List.of(DefaultMusic.samples());
    private final AudioPrompts prompts;
    private final Map<Long, Cached> byTenant = new ConcurrentHashMap<>();
    private final Map<Long, Boolean> loading = new ConcurrentHashMap<>();

    public MusicOnHold(AudioPrompts prompts) {
        this.prompts = prompts;
    }

    public List<short[]> forTenant(Long tenantId) {
        if (tenantId == null) {
            return defaultMusic;
        }
        Cached c = byTenant.get(tenantId);
        if (c == null || System.nanoTime() - c.loadedNanos > TTL_NANOS) {
            if (loading.putIfAbsent(tenantId, Boolean.TRUE) == null) {
                Thread.ofVirtual().name("moh-load-" + tenantId).start(() -> {
                    try {
                        byTenant.put(tenantId, new Cached(prompts.musicOnHold(tenantId), System.nanoTime()));
                    } finally {
                        loading.remove(tenantId);
                    }
                });
            }
        }
        return c == null || c.playlist.isEmpty() ? defaultMusic : c.playlist;
    }

    /** Loads the tenant's playlist now (a media application about to play it may wait). */
    public List<short[]> forTenantNow(Long tenantId) {
        if (tenantId == null) {
            return defaultMusic;
        }
        List<short[]> p = prompts.musicOnHold(tenantId);
        byTenant.put(tenantId, new Cached(p, System.nanoTime()));
        return p.isEmpty() ? defaultMusic : p;
    }
}
