package org.callibry.softphone.crm;

import java.util.Set;
import org.callibry.shared.api.dto.Notification;

/**
 * The server's pushes the operator console needs, passed from the phone's own push channel to the page
 * as {@code window.callibryPush({method, params})}: notes changed on a call ({@code callNote.changed}) and
 * a supervisor's message ({@code operator.message}). The page opens no WebSocket of its own inside the
 * phone: JavaFX 21's WebView fails on one (its native {@code SocketStreamHandle} callbacks are missing:
 * {@code UnsatisfiedLinkError}), and one connection per phone is enough.
 */
public final class PagePush {
    /** The notifications the page gets. */
    public static final Set<String> METHODS = Set.of("callNote.changed", "operator.message");

    private PagePush() {
    }

    public static boolean forPage(Notification n) {
        return n != null && METHODS.contains(n.method());
    }

    /**
     * The script that hands {@code n} to the page (nothing happens when the page defines no handler).
     * The params are the server's JSON as parsed and written again by Jackson: a JavaScript literal.
     */
    public static String script(Notification n) {
        String params = n.params() == null || n.params().isMissingNode() ? "null" : n.params().toString();
        return "window.callibryPush && window.callibryPush({\"method\":" + CallEvent.quote(n.method()) + ",\"params\":" + params + "})";
    }
}
