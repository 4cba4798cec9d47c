package org.callibry.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.CallNotes;
import org.callibry.shared.api.dto.Contacts;
import org.callibry.shared.api.dto.Queues;
import org.callibry.shared.api.dto.Users;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's headless Chromium through chromedriver) the width of the
 * softphone's pane, without the softphone's bridge. Scenarios: the login form (no token yet) signs the
 * operator in over {@code auth.login}; the call card of a transferred call shows the caller's contact,
 * the queue, the wait, the queue's script and the note the previous operator wrote; a note with a
 * wrap-up code saved from the form; another operator's note arrives by {@code callNote.changed}; a
 * supervisor's message shows as a toast; the outbound form says the bridge is missing. Screenshots go to
 * {@code target/console-screenshots} (the ones in {@code docs/images} come from there).
 */
class ConsoleBrowserIT extends ApiTestSupport {
    private static final Path SHOTS = Path.of("target", "console-screenshots");
    private WebDriver browser;

    @BeforeEach
    void openBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=en-US",
                "--window-size=420,1060", "--hide-scrollbars");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(420, 1060));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(10));
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private void shot(String name) throws Exception {
        Files.createDirectories(SHOTS);
        Files.write(SHOTS.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void anOperatorSignsInAndWorksACallCard() throws Exception {
        Fixture f = fixture();
        CallibryClient customer = as(f.customer());
        customer.contacts().create(new Contacts.Create(null, "Anna Petrova", "+74951234567", null, "Acme Ltd",
                "Prefers e-mail; contract renews in March"));
        CallibryClient supervisor = as(f.supervisor());
        supervisor.createWrapupCode(new CallNotes.WrapupCreate(null, "SALE", "Sale made", null));
        supervisor.createWrapupCode(new CallNotes.WrapupCreate(null, "INFO", "Information given", null));
        Queues.Queue queue = customer.queues().create(Queues.Create.of(null, "500", "Sales", null, List.of()));
        supervisor.setQueueScript(queue.id(), "Greet: \"Acme sales, this is <your name>.\"\nAsk for the order number.");
        String callId = unique("call") + "@192.0.2.7";
        // the operator who took the call first wrote a note, then transferred it
        String first = unique("op1");
        admin().users().create(new Users.Create(first, PASSWORD, Role.OPERATOR, f.tenant().id(), null, null, null));
        as(first).addCallNote(new CallNotes.NoteAdd(callId, "INFO", "Asked about the yearly plan; transferring to sales"));

        browser.get(base() + "console/?lang=en");
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
        assertThat(browser.findElement(By.id("app")).isDisplayed()).isFalse();
        assertThat(browser.getTitle()).isEqualTo("Callibry operator console");
        browser.manage().window().setSize(new Dimension(420, 480));
        shot("console-login.png");
        browser.manage().window().setSize(new Dimension(420, 1060));

        browser.findElement(By.id("login-user")).sendKeys(f.operator());
        browser.findElement(By.id("login-password")).sendKeys("wrong-password");
        browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
        browser.findElement(By.id("login-password")).clear();
        browser.findElement(By.id("login-password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("idle")));
        assertThat(text("who")).isEqualTo(f.operator());

        // the softphone opens the card with the call's variables; the token stays in the tab's sessionStorage
        browser.get(base() + "console/?callId=" + java.net.URLEncoder.encode(callId, java.nio.charset.StandardCharsets.UTF_8)
                + "&caller=%2B74951234567&queue=Sales&wait=42&lang=en");
        waiting().until(ExpectedConditions.textToBe(By.id("card-name"), "Anna Petrova"));
        assertThat(browser.getCurrentUrl()).as("no token in the address").doesNotContain("token");
        assertThat(text("card-company")).isEqualTo("Acme Ltd");
        assertThat(text("card-notes")).contains("contract renews in March");
        assertThat(text("card-queue-name")).isEqualTo("Sales");
        assertThat(text("card-wait-value")).isEqualTo("42 s");
        assertThat(text("script-text")).startsWith("Greet: \"Acme sales, this is <your name>.\"");
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("notes-list"), "transferring to sales"));
        assertThat(text("notes-list")).contains("Information given").contains(first);

        new Select(browser.findElement(By.id("note-wrapup"))).selectByVisibleText("Sale made");
        browser.findElement(By.id("note-text")).sendKeys("Yearly plan sold, invoice by e-mail");
        browser.findElement(By.cssSelector("#note-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("notes-list"), "Yearly plan sold"));
        List<CallNotes.Note> saved = as(f.supervisor()).callNotes(callId).items();
        assertThat(saved).extracting(CallNotes.Note::text).containsExactly("Asked about the yearly plan; transferring to sales",
                "Yearly plan sold, invoice by e-mail");
        assertThat(saved.get(1).wrapupCode()).isEqualTo("SALE");
        assertThat(saved.get(1).username()).isEqualTo(f.operator());

        // a note written elsewhere on the same call arrives by push
        waiting().until(d -> "open".equals(browser.findElement(By.tagName("body")).getDomAttribute("data-push")));
        as(first).addCallNote(new CallNotes.NoteAdd(callId, null, "Customer called back on my line too"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("notes-list"), "called back on my line"));

        // (the "saved" notice goes by itself after 4 s)
        waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".toast.text-bg-success")));
        browser.findElement(By.id("dial-number")).sendKeys("+74950000001");
        browser.findElement(By.id("dial-reason")).sendKeys("Renewal campaign");
        browser.findElement(By.cssSelector("#dial-form button[type=submit]")).click();
        assertThat(text("dial-status")).contains("bridge is missing");

        // a supervisor's message
        long me = as(f.operator()).whoami().userId();
        supervisor.messageOperator(new CallNotes.OperatorMessage(me, null, "Please take the next call in queue 2"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("toasts"), "Please take the next call in queue 2"));
        assertThat(text("toasts")).contains("Message from " + f.supervisor());
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
        shot("console-card.png");
    }

    @Test
    void anOutboundCallsReasonBecomesANoteOnTheCallThePhoneDialled() throws Exception {
        Fixture f = fixture();
        browser.get(base() + "console/?lang=en");
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
        browser.findElement(By.id("login-user")).sendKeys(f.operator());
        browser.findElement(By.id("login-password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("idle")));
        // a stand-in for the softphone's bridge: it records the number, as CrmBridge.dial dials it
        org.openqa.selenium.JavascriptExecutor js = (org.openqa.selenium.JavascriptExecutor) browser;
        js.executeScript("window.callibry = {dial: function (n) { window.dialled = n; }, token: function () { return ''; },"
                + " pushes: function () { return false; }};");
        browser.findElement(By.id("dial-number")).sendKeys("+74950000002");
        browser.findElement(By.id("dial-reason")).sendKeys("Renewal campaign");
        browser.findElement(By.cssSelector("#dial-form button[type=submit]")).click();
        assertThat(js.executeScript("return window.dialled")).isEqualTo("+74950000002");
        assertThat(text("dial-status")).isEqualTo("Dialling +74950000002… (Renewal campaign)");
        String callId = unique("out") + "@192.0.2.9";
        // the phone's events: another call first (not ours), then the call it dialled
        js.executeScript("window.callibryEvent({callId: 'l0', serverCallId: 'other@x', state: 'RINGING', direction: 'in', peer: '1002'});"
                + "window.callibryEvent({callId: 'l1', serverCallId: arguments[0], state: 'DIALING', direction: 'out', peer: '+74950000002'});"
                + "window.callibryEvent({callId: 'l1', serverCallId: arguments[0], state: 'ACTIVE', direction: 'out', peer: '+74950000002'});",
                callId);
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("dial-status"), "✓"));
        CallibryClient supervisor = as(f.supervisor());
        assertThat(supervisor.callNotes(callId).items()).singleElement().satisfies(n -> {
            assertThat(n.text()).isEqualTo("Renewal campaign");
            assertThat(n.username()).isEqualTo(f.operator());
        });
        assertThat(supervisor.callNotes("other@x").items()).isEmpty();
    }

    @Test
    void thePageSpeaksRussian() throws Exception {
        browser.get(base() + "console/?lang=ru");
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
        assertThat(browser.getTitle()).isEqualTo("Консоль оператора Callibry");
        assertThat(browser.findElement(By.cssSelector("#login-form button[type=submit]")).getText()).isEqualTo("Войти");
        browser.manage().window().setSize(new Dimension(420, 480));
        shot("console-login-ru.png");
    }
}
