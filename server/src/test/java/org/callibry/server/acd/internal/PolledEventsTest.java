package org.callibry.server.acd.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PolledEventsTest {

    @Test
    void runsTasksFromSeveralThreadsInTheOrderEachHandedThem() throws Exception {
        PolledEvents events = new PolledEvents("polled-events-test");
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(2_000);
        Thread[] publishers = new Thread[2];
        for (int p = 0; p < publishers.length; p++) {
            String name = "p" + p;
            publishers[p] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 1_000; i++) {
                    int n = i;
                    events.execute(() -> {
                        seen.add(name + ":" + n);
                        done.countDown();
                    });
                }
            });
        }
        for (Thread t : publishers) {
            t.join();
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        for (String name : List.of("p0", "p1")) {
            List<Integer> order = seen.stream().filter(s -> s.startsWith(name + ":"))
                    .map(s -> Integer.parseInt(s.substring(name.length() + 1))).toList();
            assertThat(order).hasSize(1_000).isSorted();
        }
    }

    @Test
    void aFailingTaskDoesNotStopTheOnesAfterIt() throws Exception {
        PolledEvents events = new PolledEvents("polled-events-test");
        CountDownLatch after = new CountDownLatch(1);
        events.execute(() -> {
            throw new IllegalStateException("a bug in one event");
        });
        events.execute(after::countDown);
        assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
