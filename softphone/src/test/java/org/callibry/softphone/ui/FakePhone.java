package org.callibry.softphone.ui;

import java.util.ArrayList;
import java.util.List;
import org.callibry.softphone.phone.Phone;
import org.callibry.softphone.settings.Settings;

/** Records what the screens asked for and lets a test play the phone's events. */
final class FakePhone implements Phone {
    final List<String> actions = new ArrayList<>();
    final List<Listener> listeners = new ArrayList<>();

    @Override
    public void addListener(Listener l) {
        listeners.add(l);
    }

    @Override
    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    @Override
    public void register(Settings settings) {
        actions.add("register " + settings.user() + "@" + settings.server());
    }

    @Override
    public void dial(String number) {
        actions.add("dial " + number);
    }

    @Override
    public void answer() {
        actions.add("answer");
    }

    @Override
    public void reject() {
        actions.add("reject");
    }

    @Override
    public void hangup() {
        actions.add("hangup");
    }

    @Override
    public void hold(boolean on) {
        actions.add("hold " + on);
    }

    @Override
    public void mute(boolean on) {
        actions.add("mute " + on);
    }

    @Override
    public void transfer(String target) {
        actions.add("transfer " + target);
    }

    @Override
    public void consult(String target) {
        actions.add("consult " + target);
    }

    @Override
    public void completeTransfer() {
        actions.add("complete transfer");
    }

    @Override
    public void sendDigit(char digit) {
        actions.add("digit " + digit);
    }

    @Override
    public java.util.concurrent.CompletableFuture<Void> sendMessage(String to, String text) {
        actions.add("message " + to + " " + text);
        java.util.concurrent.CompletableFuture<Void> sent = new java.util.concurrent.CompletableFuture<>();
        messages.add(sent);
        return sent;
    }

    /** The outcome of each message sent, for the test to complete. */
    final java.util.List<java.util.concurrent.CompletableFuture<Void>> messages = new java.util.ArrayList<>();

    @Override
    public void answer(String callId) {
        actions.add("answer " + callId);
    }

    @Override
    public void reject(String callId) {
        actions.add("reject " + callId);
    }

    @Override
    public void useAccount(String account) {
        actions.add("use " + account);
    }

    @Override
    public void close() {
        actions.add("close");
    }

    void registration(Registration r, String reason) {
        registration("1001@127.0.0.1:5060", r, reason);
    }

    void registration(String account, Registration r, String reason) {
        listeners.forEach(l -> l.registration(account, r, reason));
    }

    void call(CallInfo c) {
        listeners.forEach(l -> l.call(c));
    }

    void message(String from, String name, String text) {
        listeners.forEach(l -> l.message(from, name, text));
    }
}
