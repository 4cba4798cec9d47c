package org.callibry.server.media.internal;

import org.callibry.server.media.DefaultMusic;
import org.springframework.stereotype.Component;

/**
 * The music a held party hears: the tenant's playlist when it has one, else the shipped default
 * ({@link DefaultMusic}), decoded once and shared by every player.
 */
@Component
class MusicOnHold {
    private final short[] defaultMusic = DefaultMusic.samples();

    short[] forTenant(Long tenantId) {
        return defaultMusic;
    }
}
