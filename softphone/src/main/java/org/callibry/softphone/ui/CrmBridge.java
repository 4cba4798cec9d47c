package org.callibry.softphone.ui;

import org.callibry.shared.api.dto.Agents;

/**
 * What the CRM page may ask of the phone: {@code window.callibry.dial('1002')} and friends. Public:
 * the page's JavaScript calls these methods by reflection.
 */
public final class CrmBridge {
    private final MainViewModel vm;

    CrmBridge(MainViewModel vm) {
        this.vm = vm;
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
