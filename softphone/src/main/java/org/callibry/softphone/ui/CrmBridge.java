package org.callibry.softphone.ui;

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

    public void setStatus(boolean free, String reason) {
        vm.setAvailable(free, reason);
    }
}
