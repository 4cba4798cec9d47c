package org.callibry.softphone.ui;

import java.util.function.Consumer;
import javafx.concurrent.Worker;
import javafx.scene.web.WebView;
import netscape.javascript.JSObject;
import org.callibry.softphone.crm.CallEvent;

/**
 * The CRM page (a WebView): loads the URL the model gives, offers {@link CrmBridge} to the page as
 * {@code window.callibry} and passes it every call event through {@code window.callibryEvent}.
 */
final class CrmBrowser {
    private final WebView browser = new WebView();
    /** Held here: WebView keeps only a weak reference to objects given to JavaScript. */
    private CrmBridge bridge;

    CrmBrowser(MainViewModel vm) {
        browser.setId("crm");
        Consumer<String> load = url -> {
            if (url != null && !url.isBlank()) {
                browser.getEngine().load(url);
            }
        };
        vm.crmUrl.addListener((o, was, url) -> load.accept(url));
        load.accept(vm.crmUrl.get()); // a call that rang before the browser was there
        browser.getEngine().getLoadWorker().stateProperty().addListener((o, was, state) -> {
            if (state == Worker.State.SCHEDULED || state == Worker.State.RUNNING) {
                if (bridge != null) {
                    bridge.retire(); // the page going away keeps no bridge while the next one loads
                }
            }
            if (state == Worker.State.SUCCEEDED) {
                JSObject window = (JSObject) browser.getEngine().executeScript("window");
                // the token goes to the page this bridge was made for, and only while that page is shown
                String loadedAt = browser.getEngine().getLocation();
                bridge = new CrmBridge(vm, () -> loadedAt != null && loadedAt.equals(browser.getEngine().getLocation()) ? loadedAt : "");
                window.setMember("callibry", bridge);
                // a page that waits for the bridge (the operator console) starts now
                browser.getEngine().executeScript("window.callibryReady && window.callibryReady()");
            }
        });
        // the server's pushes for the console, from the phone's own push channel
        vm.onPageScript(script -> {
            // notes and supervisors' messages only for the server's own page (the console), not a third-party CRM
            if (browser.getEngine().getLoadWorker().getState() == Worker.State.SUCCEEDED
                    && !vm.apiTokenFor(browser.getEngine().getLocation()).isEmpty()) {
                browser.getEngine().executeScript(script);
            }
        });
        // every call event goes to the page too: window.callibryEvent({callId, state, direction, peer, peerName, reason})
        vm.lastEvent.addListener((o, was, event) -> {
            if (event != null && browser.getEngine().getLoadWorker().getState() == Worker.State.SUCCEEDED) {
                browser.getEngine().executeScript(CallEvent.script(event));
            }
        });
    }

    WebView node() {
        return browser;
    }
}
