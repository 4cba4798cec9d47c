package org.callibry.softphone.sip;

import javax.sip.Dialog;

/**
 * The value of a Replaces header (RFC 3891 §6.1): the Call-ID and tags of the dialog a new INVITE
 * takes the place of, as the receiver of that INVITE sees them: {@code to-tag} is its own tag,
 * {@code from-tag} the other party's.
 *
 * @param callId  the dialog's Call-ID
 * @param toTag   the tag of the side receiving the INVITE with Replaces, or null
 * @param fromTag the tag of the other side, or null
 */
record Replaces(String callId, String toTag, String fromTag) {
    /** Parses {@code callid;to-tag=...;from-tag=...}; other parameters are ignored. */
    static Replaces parse(String value) {
        String[] parts = value.split(";");
        String toTag = null;
        String fromTag = null;
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].trim().split("=", 2);
            if (kv.length == 2 && kv[0].equalsIgnoreCase("to-tag")) {
                toTag = kv[1];
            } else if (kv.length == 2 && kv[0].equalsIgnoreCase("from-tag")) {
                fromTag = kv[1];
            }
        }
        return new Replaces(parts[0].trim(), toTag, fromTag);
    }

    /** What a transferor puts into Refer-To for {@code dialog}, as the transfer target will see it (RFC 3891 §3). */
    static Replaces forTarget(String callId, Dialog dialog) {
        return new Replaces(callId, dialog.getRemoteTag(), dialog.getLocalTag());
    }

    /** True when this names {@code dialog} from our side: our tag is the to-tag, the remote's the from-tag. */
    boolean names(Dialog dialog) {
        return dialog.getLocalTag() != null && dialog.getLocalTag().equals(toTag)
                && dialog.getRemoteTag() != null && dialog.getRemoteTag().equals(fromTag);
    }

    @Override
    public String toString() {
        return callId + ";to-tag=" + toTag + ";from-tag=" + fromTag;
    }
}
