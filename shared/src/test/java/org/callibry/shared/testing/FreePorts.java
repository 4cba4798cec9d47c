package org.callibry.shared.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports free for both UDP and TCP on 127.0.0.1, for servers and SIP peers started by tests.
 *
 * <p>A port the kernel handed out for {@code bind(0)} is free only at that moment: the kernel hands the
 * same ephemeral range to every outgoing connection and every later {@code bind(0)} (the database
 * pool, the servers' own port-0 sockets, the browsers), so a server started on it a second later may
 * find it taken. These ports come from outside the kernel's ephemeral range and outside the relay's
 * default range (20000-29999), where nothing is assigned without asking, and a port is never handed
 * out twice in one JVM. (The ephemeral range is read line by line: a whole-file read of
 * {@code /proc/sys/net/ipv4/ip_local_port_range} comes back cut short in some sandboxes.)
 */
public final class FreePorts {
    private static final int RELAY_LOW = 20_000;
    private static final int RELAY_HIGH = 29_999;
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();
    private static final int[] RANGE = range();

    private FreePorts() {
    }

    /** One port free for UDP and TCP. */
    public static int udpAndTcp() {
        return block(1);
    }

    /**
     * The first of {@code count} consecutive ports, even, each free for UDP and TCP (an RTP/RTCP pair
     * or a phone's range of RTP ports).
     */
    public static int block(int count) {
        int low = RANGE[0];
        int high = RANGE[1] - count + 1;
        for (int attempt = 0; attempt < 500; attempt++) {
            int first = (ThreadLocalRandom.current().nextInt(low, high + 1)) & ~1;
            if (first < low) {
                continue;
            }
            if (reserve(first, count)) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " free consecutive ports in " + RANGE[0] + "-" + RANGE[1]);
    }

    private static boolean reserve(int first, int count) {
        for (int port = first; port < first + count; port++) {
            if (GIVEN.contains(port) || !free(port)) {
                return false;
            }
        }
        for (int port = first; port < first + count; port++) {
            if (!GIVEN.add(port)) { // another thread took it meanwhile
                for (int taken = first; taken < port; taken++) {
                    GIVEN.remove(taken);
                }
                return false;
            }
        }
        return true;
    }

    private static boolean free(int port) {
        try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress());
             ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** The widest stretch of at least 1,000 ports outside the ephemeral and the relay's ranges. */
    static int[] range() {
        int ephemeralLow = 32_768;
        int ephemeralHigh = 60_999;
        try {
            String[] r = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).getFirst().trim().split("\\s+");
            ephemeralLow = Integer.parseInt(r[0]);
            ephemeralHigh = Integer.parseInt(r[1]);
        } catch (IOException | RuntimeException notLinux) {
            // keep Linux's default range
        }
        int[][] candidates = {
                {ephemeralHigh + 1, 65_535},
                {Math.max(RELAY_HIGH + 1, 1_024), ephemeralLow - 1},
                {10_000, Math.min(RELAY_LOW - 1, ephemeralLow - 1)},
        };
        int[] best = null;
        for (int[] c : candidates) {
            if (c[1] - c[0] + 1 >= 1_000 && (best == null || c[1] - c[0] > best[1] - best[0])) {
                best = c;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no stretch of 1,000 ports outside the ephemeral range " + ephemeralLow + "-"
                    + ephemeralHigh + " and the relay's " + RELAY_LOW + "-" + RELAY_HIGH);
        }
        return best;
    }
}
