package org.callibry.softphone.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import javafx.scene.Scene;
import javafx.scene.web.WebView;
import javafx.stage.Stage;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.CallNotes;
import org.callibry.softphone.i18n.SoftphoneText;
import org.callibry.softphone.phone.TestHandset;
import org.callibry.shared.api.dto.Notification;
import org.callibry.softphone.server.PushChannel;
import org.callibry.softphone.server.ServerApi;
import org.callibry.softphone.settings.Settings;
import org.callibry.softphone.sip.SipTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The softphone's window (real WebView, headless Monocle) against the packaged server: a real call to the
 * operator's phone rings, the window loads the server's operator console by the default CRM template, the
 * page takes the phone's API token through the bridge (no login form, no token in the address) and its
 * call card shows the caller's contact; a note written on the call's shared id arrives in the card by push
 * (through the phone's own push channel and {@code window.callibryPush}: the page opens no WebSocket in
 * the WebView, where JavaFX 21's fails). Through a queue: the card shows the queue, the wait and its
 * script under the caller's call id; a call a supervisor transfers from a first operator to this one
 * arrives with the same call id, and the card shows the note the first operator wrote.
 */
@ExtendWith(ApplicationExtension.class)
class ConsoleCardIT {
    static {
        // the UI runs headless as in the unit tests (Failsafe has no Surefire's system properties)
        System.setProperty("testfx.robot", "glass");
        System.setProperty("testfx.headless", "true");
        System.setProperty("glass.platform", "Monocle");
        System.setProperty("monocle.platform", "Headless");
        System.setProperty("prism.order", "sw");
        System.setProperty("prism.text", "t2k");
        System.setProperty("java.awt.headless", "true");
    }

    private static final String OPERATOR = "1861";
    private static final String CALLER = "1862";

    @TempDir
    static Path dir;
    private static SipTestServer server;
    private static Accounts.Account operatorAccount;
    private TestHandset operatorPhone;
    private TestHandset callerPhone;
    private PushChannel pushes;
    private final java.util.concurrent.CountDownLatch pushConnected = new java.util.concurrent.CountDownLatch(1);

    @BeforeAll
    static void startServer() throws Exception {
        server = SipTestServer.start(dir.resolve("server"));
        operatorAccount = server.account(OPERATOR, "Operator " + OPERATOR);
        Accounts.Account caller = server.account(CALLER, "Caller " + CALLER);
        server.operator(operatorAccount);
        server.contact(caller.tenantId(), "Anna Console", CALLER, "Acme Ltd");
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private URI api() {
        return URI.create("http://127.0.0.1:" + server.httpPort + "/");
    }

    @Start
    void start(Stage stage) throws Exception {
        operatorPhone = TestHandset.create(dir.resolve("operator"), 440);
        Settings settings = Settings.defaults().withServer("127.0.0.1:" + server.sipPort).withUser(OPERATOR)
                .withPassword(SipTestServer.PASSWORD).withApiUrl(api().toString());
        assertThat(settings.crmUrlTemplate()).as("the console is the default page").contains("/console/");
        MainViewModel vm = new MainViewModel(operatorPhone.phone(), SoftphoneText.in(Locale.ENGLISH), settings);
        ServerApi serverApi = new ServerApi(api(), OPERATOR, SipTestServer.PASSWORD);
        vm.useApiToken(serverApi::token);
        // the phone's push channel, wired as the application wires it: the console's notifications go to the page
        pushes = new PushChannel(serverApi.base(), serverApi::token, serverApi::login, new PushChannel.Listener() {
            @Override
            public void connected() {
                pushConnected.countDown();
            }

            @Override
            public void notification(Notification n) {
                javafx.application.Platform.runLater(() -> vm.pushToPage(n));
            }
        });
        pushes.start();
        MainView view = new MainView(vm, SoftphoneText.in(Locale.ENGLISH), true);
        stage.setScene(new Scene(view.root(), 900, 700));
        stage.show();
        operatorPhone.phone().register(settings);
    }

    @AfterEach
    void closePhones() {
        if (pushes != null) {
            pushes.close();
        }
        if (callerPhone != null) {
            callerPhone.phone().close();
        }
        if (operatorPhone != null) {
            operatorPhone.phone().close();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private String eval(FxRobot robot, String script) {
        AtomicReference<Object> r = new AtomicReference<>();
        robot.interact(() -> r.set(robot.lookup("#crm").queryAs(WebView.class).getEngine().executeScript(script)));
        return String.valueOf(r.get());
    }

    private String text(FxRobot robot, String id) {
        return eval(robot, "(function(){var e=document.getElementById('" + id + "');return e?e.textContent:'';})()");
    }

    /** The window as the operator sees it, for the docs ({@code target/screenshots/console-softphone.png}). */
    private static void snapshot(FxRobot robot, Path folder) throws Exception {
        AtomicReference<javafx.scene.image.WritableImage> image = new AtomicReference<>();
        robot.interact(() -> image.set(robot.lookup("#crm").queryAs(WebView.class).getScene().snapshot(null)));
        javafx.scene.image.WritableImage img = image.get();
        java.awt.image.BufferedImage out = new java.awt.image.BufferedImage((int) img.getWidth(), (int) img.getHeight(),
                java.awt.image.BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, img.getPixelReader().getArgb(x, y));
            }
        }
        java.nio.file.Files.createDirectories(folder);
        javax.imageio.ImageIO.write(out, "png", folder.resolve("console-softphone.png").toFile());
    }

    @Test
    void aRingingCallShowsTheCallersCardAndNotesArriveByPush(FxRobot robot) throws Exception {
        await("the operator's phone registered", operatorPhone::registered);
        callerPhone = TestHandset.registering(dir.resolve("caller"), 880, server, CALLER);
        await("the caller's phone registered", callerPhone::registered);
        callerPhone.phone().dial(OPERATOR);

        await("the console loaded for the call", () -> eval(robot, "location.href").contains("/console/?callId="));
        String url = eval(robot, "location.href");
        assertThat(url).startsWith(api() + "console/?callId=").contains("caller=" + CALLER).contains("lang=en")
                .doesNotContain("token");
        await("the caller's name on the card", () -> text(robot, "card-name").equals("Anna Console"));
        assertThat(text(robot, "card-company")).isEqualTo("Acme Ltd");
        assertThat(text(robot, "card-number")).isEqualTo(CALLER);
        assertThat(text(robot, "who")).as("signed in with the phone's token").isEqualTo(OPERATOR);
        assertThat(eval(robot, "document.getElementById('login').classList.contains('d-none')")).isEqualTo("true");

        // a note on the call (by its shared id, as another operator's console would write it) reaches the card
        String query = URI.create(url).getRawQuery();
        String callId = URLDecoder.decode(query.substring("callId=".length(), query.indexOf('&')), StandardCharsets.UTF_8);
        assertThat(callId).isNotBlank();
        await("the page takes pushes from the phone", () -> "bridge".equals(eval(robot, "document.body.dataset.push")));
        assertThat(pushConnected.await(20, java.util.concurrent.TimeUnit.SECONDS)).as("the phone's push channel").isTrue();
        CallibryClient operatorApi = CallibryClient.of(api());
        operatorApi.login(OPERATOR, SipTestServer.PASSWORD);
        operatorApi.addCallNote(new CallNotes.NoteAdd(callId, null, "Asked for the invoice copy"));
        await("the note on the card", () -> text(robot, "notes-list").contains("Asked for the invoice copy"));
        snapshot(robot, Path.of("target", "screenshots"));
        callerPhone.phone().hangup();
    }

    @Test
    void aTransferredCallsCardShowsWhatTheFirstOperatorWrote(FxRobot robot) throws Exception {
        Accounts.Account first = server.account("1863", "Operator 1863");
        server.operator(first);
        server.queue(first, "5863", "Billing", "");
        server.agentStatus(first, true, null);
        TestHandset firstPhone = TestHandset.registering(dir.resolve("first-operator"), 660, server, "1863");
        try {
            await("the operator's phone registered", operatorPhone::registered);
            await("the first operator's phone registered", firstPhone::registered);
            callerPhone = TestHandset.registering(dir.resolve("transfer-caller"), 880, server, CALLER);
            await("the caller's phone registered", callerPhone::registered);
            callerPhone.phone().dial("5863");
            await("the offer to the first operator", () -> firstPhone.state() == org.callibry.softphone.phone.Phone.CallState.RINGING);
            firstPhone.phone().answer();
            await("the first operator talking", () -> firstPhone.state() == org.callibry.softphone.phone.Phone.CallState.ACTIVE);
            String callId = firstPhone.calls().getLast().serverCallId();
            assertThat(callId).isEqualTo(callerPhone.calls().getLast().serverCallId());
            CallibryClient firstApi = CallibryClient.of(api());
            firstApi.login("1863", SipTestServer.PASSWORD);
            firstApi.addCallNote(new CallNotes.NoteAdd(callId, null, "Wants a refund; passing to the second line"));

            server.transfer(callId, OPERATOR);
            await("the console loaded for the transferred call", () -> eval(robot, "location.href").contains("queue=Billing"));
            String query = URI.create(eval(robot, "location.href")).getRawQuery();
            assertThat(URLDecoder.decode(query.substring("callId=".length(), query.indexOf('&')), StandardCharsets.UTF_8))
                    .as("the same call id on the next operator's card").isEqualTo(callId);
            await("the first operator's note on the card", () -> text(robot, "notes-list").contains("Wants a refund"));
            assertThat(text(robot, "notes-list")).contains("1863");
            assertThat(text(robot, "card-name")).isEqualTo("Anna Console");
            callerPhone.phone().hangup();
        } finally {
            firstPhone.phone().close();
        }
    }

    @Test
    void aQueueCallsCardShowsTheQueueTheWaitItsScriptUnderTheCallersCallId(FxRobot robot) throws Exception {
        server.queue(operatorAccount, "5861", "Sales line", "Greet the caller by name.");
        server.agentStatus(operatorAccount, true, null);
        await("the operator's phone registered", operatorPhone::registered);
        callerPhone = TestHandset.registering(dir.resolve("queue-caller"), 880, server, CALLER);
        await("the caller's phone registered", callerPhone::registered);
        callerPhone.phone().dial("5861");

        await("the console loaded for the queue's offer", () -> eval(robot, "location.href").contains("queue=Sales%20line"));
        String url = eval(robot, "location.href");
        assertThat(url).containsPattern("&wait=\\d+&");
        String query = URI.create(url).getRawQuery();
        String callId = URLDecoder.decode(query.substring("callId=".length(), query.indexOf('&')), StandardCharsets.UTF_8);
        String callersCallId = callerPhone.calls().getLast().serverCallId();
        assertThat(callId).as("the offer's X-Callibry-Call-Id: the caller's call, not the agent leg's SIP Call-ID")
                .isEqualTo(callersCallId);
        await("the caller's name on the card", () -> text(robot, "card-name").equals("Anna Console"));
        assertThat(text(robot, "card-queue-name")).isEqualTo("Sales line");
        assertThat(text(robot, "card-wait-value")).matches("\\d+ s");
        await("the queue's script", () -> text(robot, "script-text").equals("Greet the caller by name."));
        callerPhone.phone().hangup();
    }
}
