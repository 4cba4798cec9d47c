package org.callibry.softphone.ui;

import org.callibry.shared.api.dto.Agents;

/**
 * What the CRM page may ask of the phone: {@code window.callibry.dial('1002')} and friends, and the
 * server's own pages {@code window.callibry.token()}. Public:
 * the page's JavaScript calls these methods by reflection.
 */
public final class CrmBridge {
    private final MainViewModel vm;
    private final java.util.function.Supplier<String> location;
    private volatile boolean live = true;

    /** {@code location}: the address of the page now shown (the token goes only to the server's own pages). */
    CrmBridge(MainViewModel vm, java.util.function.Supplier<String> location) {
        this.vm = vm;
        this.location = location;
    }

    /**
     * The phone's current API bearer token, so the server's operator console needs no second login;
     * empty for a page that is not the server's own (another origin) and while the phone is not logged in.
     */
    public String token() {
        return live ? vm.apiTokenFor(location.get()) : "";
    }

    /** The page this bridge was given to is going away: it gets nothing more from the phone. */
    void retire() {
        live = false;
    }

    /**
     * True: the phone passes the server's pushes for the operator console to the page as
     * {@code window.callibryPush(n)}, so the page opens no WebSocket of its own (see {@code PagePush}).
     */
    public boolean pushes() {
        return true;
    }

    public void dial(String number) {
        vm.number.set(number);
        vm.dial();
    }

    public void hangup() {
        vm.hangup();
    }

    public void hold() {
        vm.toggleHold();
    }

    public void transfer(String target) {
        vm.transfer(target);
    }

    /**
     * The operator's status: {@code setStatus(true, '')} available; {@code setStatus(false, 'Lunch')}
     * paused with that reason; {@code setStatus(false, '')} logged out (JavaScript's {@code undefined}
     * arrives as the text "undefined": no reason either).
     */
    public void setStatus(boolean free, String reason) {
        if (free) {
            vm.status.choose(Agents.Status.FREE);
        } else if (reason != null && !reason.isBlank() && !"undefined".equals(reason)) {
            vm.status.pause(reason);
        } else {
            vm.status.choose(Agents.Status.UNAVAILABLE);
        }
    }
}
