package org.callibry.softphone.sip;

/** Where the account's registration stands. */
public enum RegistrationState {
    UNREGISTERED, REGISTERING, REGISTERED, FAILED
}
