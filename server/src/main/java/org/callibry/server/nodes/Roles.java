package org.callibry.server.nodes;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The roles this process runs in, from {@code callibry.roles} (default {@code signaling,media}):
 * {@code signaling} runs the SIP proxy and registrar and the registry of media nodes; {@code media}
 * runs the relay and the media server and, when {@code callibry.media.node.signaling} names signaling
 * nodes, announces itself to them. A process with role {@code media} only is a media node.
 */
@Component
public class Roles {
    public static final String SIGNALING = "signaling";
    public static final String MEDIA = "media";

    private final Set<String> roles;

    public Roles(@Value("${callibry.roles:signaling,media}") List<String> roles) {
        this.roles = roles.stream().map(r -> r.strip().toLowerCase(Locale.ROOT)).filter(r -> !r.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        for (String r : this.roles) {
            if (!r.equals(SIGNALING) && !r.equals(MEDIA)) {
                throw new IllegalArgumentException("callibry.roles: unknown role '" + r + "' (signaling, media)");
            }
        }
        if (this.roles.isEmpty()) {
            throw new IllegalArgumentException("callibry.roles: name at least one of signaling, media");
        }
    }

    /** SIP proxy, registrar and the media-node registry run here. */
    public boolean signaling() {
        return roles.contains(SIGNALING);
    }

    /** The relay and media server run here. */
    public boolean media() {
        return roles.contains(MEDIA);
    }

    @Override
    public String toString() {
        return String.join(",", roles);
    }
}
