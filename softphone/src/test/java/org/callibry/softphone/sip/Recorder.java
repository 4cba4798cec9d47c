package org.callibry.softphone.sip;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** A listener that keeps what a user agent reported, for tests to wait on. */
final class Recorder implements UserAgentListener {
    final List<Registration> registrations = new CopyOnWriteArrayList<>();
    final List<Call> incoming = new CopyOnWriteArrayList<>();
    final List<String> states = new CopyOnWriteArrayList<>();
    final List<String> dtmf = new CopyOnWriteArrayList<>();
    final List<InstantMessage> messages = new CopyOnWriteArrayList<>();
    final List<TransferProgress> transfers = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void registrationChanged(Registration registration) {
        registrations.add(registration);
        threads.add(Thread.currentThread().getName());
    }

    @Override
    public void incomingCall(Call call) {
        incoming.add(call);
    }

    @Override
    public void callStateChanged(Call call, CallState state) {
        states.add(call.remoteUser() + ":" + state);
    }

    @Override
    public void dtmfReceived(Call call, char digit, int durationMillis) {
        dtmf.add(call.remoteUser() + ":" + digit);
    }

    @Override
    public void messageReceived(InstantMessage message) {
        messages.add(message);
    }

    @Override
    public void transferProgress(Call call, TransferProgress progress) {
        transfers.add(progress);
    }

    Registration lastRegistration() {
        return registrations.isEmpty() ? null : registrations.getLast();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, Duration.ofSeconds(10), condition);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
