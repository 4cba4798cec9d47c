package org.callibry.server.routing.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.callibry.server.routing.RouteQuery;
import org.callibry.server.routing.RouteTarget;
import org.callibry.server.routing.RoutingDecision;
import org.callibry.shared.api.dto.Routes;

/**
 * The route table as evaluated: every route compiled and sorted by priority (then id), plus an index
 * of the enabled routes by the literal prefixes of their B-number mask (or, for routes whose B-number
 * mask has none, of their A-number mask), so a call is only checked against the routes whose prefix
 * its numbers start with, and those that have no prefix at all. Immutable and safe to share between
 * threads.
 */
final class RouteSnapshot {
    private static final RoutingDecision NONE = new RoutingDecision(List.of());
    private static final int[] NO_ROUTES = {};

    private final CompiledRoute[] routes;
    private final ZoneId[] zones;
    private final int[] zoneOf;
    private final Node byB = new Node();
    private final Node byA = new Node();
    private final int[] unindexed;

    RouteSnapshot(List<CompiledRoute> compiled) {
        this.routes = compiled.toArray(CompiledRoute[]::new);
        Arrays.sort(routes, Comparator.comparingInt((CompiledRoute r) -> r.route().priority()).thenComparingLong(CompiledRoute::id));
        Map<ZoneId, Integer> zoneIndex = new HashMap<>();
        this.zoneOf = new int[routes.length];
        Map<Node, List<Integer>> lists = new IdentityHashMap<>();
        List<Integer> always = new ArrayList<>();
        for (int i = 0; i < routes.length; i++) {
            CompiledRoute r = routes[i];
            zoneOf[i] = zoneIndex.computeIfAbsent(r.zone(), z -> zoneIndex.size());
            if (!r.enabled()) {
                continue;
            }
            // the prefixes of one mask never prefix one another, so a route is met at most once per call
            List<String> bPrefixes = r.bNumber() == null ? List.of() : r.bNumber().prefixes();
            List<String> aPrefixes = r.aNumber() == null ? List.of() : r.aNumber().prefixes();
            Node root = !bPrefixes.isEmpty() ? byB : !aPrefixes.isEmpty() ? byA : null;
            if (root == null) {
                always.add(i);
                continue;
            }
            for (String prefix : root == byB ? bPrefixes : aPrefixes) {
                Node node = root;
                for (int c = 0; c < prefix.length(); c++) {
                    node = node.childOrNew(prefix.charAt(c));
                }
                lists.computeIfAbsent(node, n -> new ArrayList<>()).add(i);
            }
        }
        lists.forEach((node, indices) -> node.routes = indices.stream().mapToInt(Integer::intValue).toArray());
        this.unindexed = always.stream().mapToInt(Integer::intValue).toArray();
        this.zones = new ZoneId[zoneIndex.size()];
        zoneIndex.forEach((z, i) -> zones[i] = z);
    }

    static RouteSnapshot empty() {
        return new RouteSnapshot(List.of());
    }

    int size() {
        return routes.length;
    }

    /** The compiled route with this id, or null (for reusing it when the table is reloaded). */
    Map<Long, CompiledRoute> byId() {
        Map<Long, CompiledRoute> m = new HashMap<>();
        for (CompiledRoute r : routes) {
            m.put(r.id(), r);
        }
        return m;
    }

    /** The first matching route and, while each target continues on failure, the next matching ones. */
    RoutingDecision decide(RouteQuery q) {
        String a = text(q.aNumber());
        String aHost = text(q.aHost());
        String source = text(q.sourceAddress());
        String b = text(q.bNumber());
        String bHost = text(q.bHost());
        LocalClock clock = new LocalClock(q.time());
        List<RouteTarget> targets = null;
        for (int i : candidates(a, b)) {
            CompiledRoute r = routes[i];
            if (!r.masksMatch(a, aHost, source, b, bHost) || r.timed() && !clock.open(r, i)) {
                continue;
            }
            if (targets == null) {
                targets = new ArrayList<>(2);
            }
            targets.add(r.target(a, b));
            if (!r.continueOnFailure()) {
                break;
            }
        }
        return targets == null ? NONE : new RoutingDecision(List.copyOf(targets));
    }

    /**
     * The same decision as {@link #decide}, worked out route by route over the whole table (disabled
     * routes included), with the reason each route looked at did not take the call.
     */
    Routes.TestResult explain(RouteQuery q) {
        String a = text(q.aNumber());
        String aHost = text(q.aHost());
        String source = text(q.sourceAddress());
        String b = text(q.bNumber());
        String bHost = text(q.bHost());
        LocalClock clock = new LocalClock(q.time());
        List<Routes.Target> targets = new ArrayList<>();
        List<Routes.Skipped> skipped = new ArrayList<>();
        for (int i = 0; i < routes.length; i++) {
            CompiledRoute r = routes[i];
            String reason;
            if (r.broken() != null) {
                reason = r.broken();
            } else if (!r.route().enabled()) {
                reason = "disabled";
            } else {
                reason = r.mismatch(a, aHost, source, b, bHost);
                if (reason == null && r.timed()) {
                    long local = clock.local(zoneOf[i]);
                    reason = r.closed((int) (local >> 32), (int) local);
                }
            }
            if (reason != null) {
                skipped.add(new Routes.Skipped(r.id(), r.route().name(), r.route().priority(), reason));
                continue;
            }
            targets.add(CompiledRoute.dto(r.target(a, b), r.route()));
            if (!r.continueOnFailure()) {
                break;
            }
        }
        return new Routes.TestResult(clock.time, targets, skipped);
    }

    /** Indices of the enabled routes the numbers may match, ascending (= priority order). */
    private int[] candidates(String a, String b) {
        int[][] lists = new int[a.length() + b.length() + 1][];
        int k = walk(byB, b, lists, 0);
        k = walk(byA, a, lists, k);
        if (unindexed.length > 0) {
            lists[k++] = unindexed;
        }
        int total = 0;
        for (int l = 0; l < k; l++) {
            total += lists[l].length;
        }
        if (k == 0) {
            return NO_ROUTES;
        }
        if (k == 1) {
            return lists[0];
        }
        // k-way merge of short sorted lists (k is at most the length of the number + 1)
        int[] merged = new int[total];
        int[] at = new int[k];
        for (int out = 0; out < total; out++) {
            int best = -1;
            for (int l = 0; l < k; l++) {
                if (at[l] < lists[l].length && (best < 0 || lists[l][at[l]] < lists[best][at[best]])) {
                    best = l;
                }
            }
            merged[out] = lists[best][at[best]++];
        }
        return merged;
    }

    /** Adds the route lists met along {@code number}'s path through the trie; returns the new count. */
    private static int walk(Node root, String number, int[][] lists, int k) {
        Node node = root;
        for (int c = 0; c < number.length() && (node = node.child(number.charAt(c))) != null; c++) {
            if (node.routes.length > 0) {
                lists[k++] = node.routes;
            }
        }
        return k;
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    /** The call's local day and time in each route time zone, worked out once per zone and call. */
    private final class LocalClock {
        final Instant time;
        private long[] local;

        LocalClock(Instant time) {
            this.time = time == null ? Instant.now() : time;
        }

        boolean open(CompiledRoute r, int index) {
            long l = local(zoneOf[index]);
            return r.open((int) (l >> 32), (int) l);
        }

        /** ISO day of the week in the high 32 bits, second of the day in the low ones. */
        long local(int zone) {
            if (local == null) {
                local = new long[zones.length];
                Arrays.fill(local, -1);
            }
            if (local[zone] < 0) {
                long seconds = time.getEpochSecond() + zones[zone].getRules().getOffset(time).getTotalSeconds();
                long day = Math.floorDiv(seconds, 86_400);
                int isoDay = (int) Math.floorMod(day + 3, 7) + 1; // 1970-01-01 was a Thursday (4)
                local[zone] = ((long) isoDay << 32) | Math.floorMod(seconds, 86_400);
            }
            return local[zone];
        }
    }

    /** A node of the prefix trie: the routes whose B-number prefix ends here, and the next characters. */
    private static final class Node {
        private Node[] digits;
        private Map<Character, Node> others;
        int[] routes = NO_ROUTES;

        Node child(char c) {
            if (c >= '0' && c <= '9') {
                return digits == null ? null : digits[c - '0'];
            }
            return others == null ? null : others.get(c);
        }

        Node childOrNew(char c) {
            if (c >= '0' && c <= '9') {
                if (digits == null) {
                    digits = new Node[10];
                }
                if (digits[c - '0'] == null) {
                    digits[c - '0'] = new Node();
                }
                return digits[c - '0'];
            }
            if (others == null) {
                others = new HashMap<>();
            }
            return others.computeIfAbsent(c, x -> new Node());
        }
    }
}
