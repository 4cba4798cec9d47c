package org.callibry.softphone.ui;

import java.util.Map;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.callibry.shared.i18n.Messages;
import org.callibry.softphone.contacts.PersonalContacts;
import org.callibry.softphone.crm.PagePush;
import org.callibry.softphone.crm.UrlTemplate;
import org.callibry.softphone.phone.Phone;
import org.callibry.softphone.settings.Settings;

/**
 * State and actions of the main window (MVVM): the view binds to these properties and calls these
 * methods; the phone's events arrive on any thread and are applied on the JavaFX thread.
 */
public final class MainViewModel implements Phone.Listener {
    private final Phone phone;
    private final Messages text;
    private final Consumer<Runnable> fx;
    private Settings settings;

    final StringProperty registration = new SimpleStringProperty();
    final BooleanProperty registered = new SimpleBooleanProperty();
    final StringProperty number = new SimpleStringProperty("");
    final StringProperty callStatus = new SimpleStringProperty("");
    final ObjectProperty<Phone.CallInfo> call = new SimpleObjectProperty<>();
    /** The latest call event, whatever call it is about (the CRM page gets each one). */
    final ObjectProperty<Phone.CallInfo> lastEvent = new SimpleObjectProperty<>();
    final BooleanProperty muted = new SimpleBooleanProperty();
    final BooleanProperty held = new SimpleBooleanProperty();
    final StringProperty crmUrl = new SimpleStringProperty("");
    final StringProperty search = new SimpleStringProperty("");
    final ObservableList<PersonalContacts.Contact> contacts = FXCollections.observableArrayList();
    /** The chat tab. */
    final ChatViewModel chat;
    /** The operator's status and live state in the top bar. */
    final StatusViewModel status;
    final ObservableList<String> history = FXCollections.observableArrayList();
    /** The other call when there are two (call waiting), as text; empty otherwise. */
    final StringProperty waiting = new SimpleStringProperty("");
    final StringProperty untrustedCertificate = new SimpleStringProperty("");
    /** The accounts ({@code user@server}) when there are several: outgoing calls and messages use {@link #outgoingAccount}. */
    final ObservableList<String> accounts = FXCollections.observableArrayList();
    final StringProperty outgoingAccount = new SimpleStringProperty("");
    private final java.util.Map<String, Phone.AccountStatus> statuses = new java.util.LinkedHashMap<>();
    private final java.util.Map<String, Phone.CallInfo> calls = new java.util.LinkedHashMap<>();
    private java.util.function.Supplier<java.util.List<String>> historySource = java.util.List::of;
    /** The API token of the phone's own login to the server (empty while it has none). */
    private volatile java.util.function.Supplier<String> apiToken = () -> "";

    public MainViewModel(Phone phone, Messages text, Settings settings) {
        this(phone, text, settings, Platform::runLater);
    }

    /** {@code fx} runs a change on the UI thread (tests pass {@code Runnable::run}). */
    MainViewModel(Phone phone, Messages text, Settings settings, Consumer<Runnable> fx) {
        this.phone = phone;
        this.text = text;
        this.settings = settings;
        this.fx = fx;
        this.chat = new ChatViewModel(phone, fx);
        this.status = new StatusViewModel(text, java.time.Clock.systemUTC());
        phone.addListener(this);
        settings.accounts().stream().filter(a -> !a.user().isBlank() && !a.server().isBlank())
                .forEach(a -> accounts.add(a.label()));
        // the line the phone uses now (a window rebuilt after a language change shows the one chosen before)
        outgoingAccount.set(accounts.contains(phone.outgoingAccount()) ? phone.outgoingAccount()
                : accounts.isEmpty() ? "" : accounts.getFirst());
        outgoingAccount.addListener((o, was, is) -> {
            if (is != null && !is.isBlank()) {
                phone.useAccount(is);
            }
        });
        phone.status().forEach(s -> statuses.put(s.account(), s));
        showRegistration();
        search.addListener((o, was, query) -> filterContacts());
    }

    private java.util.List<PersonalContacts.Contact> allContacts = java.util.List.of();

    /** The contacts to search: personal ones and the company directory. */
    public void setContacts(java.util.List<PersonalContacts.Contact> all) {
        allContacts = java.util.List.copyOf(all);
        filterContacts();
        java.util.Map<String, String> names = new java.util.HashMap<>();
        allContacts.forEach(c -> names.putIfAbsent(c.number(), c.name()));
        chat.setNames(names);
    }

    private void filterContacts() {
        contacts.setAll(PersonalContacts.search(allContacts, search.get()));
    }

    public StringProperty registrationProperty() {
        return registration;
    }

    public StringProperty numberProperty() {
        return number;
    }

    public StringProperty callStatusProperty() {
        return callStatus;
    }

    private final java.util.List<Consumer<String>> pageScripts = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** {@code script} runs in the CRM page for each server push the page should get (see {@link PagePush}). */
    void onPageScript(Consumer<String> script) {
        pageScripts.add(script);
    }

    /** A notification from the phone's push channel: the operator console's ones go on to the page. */
    public void pushToPage(org.callibry.shared.api.dto.Notification n) {
        if (PagePush.forPage(n)) {
            String script = PagePush.script(n);
            fx.accept(() -> pageScripts.forEach(s -> s.accept(script)));
        }
    }

    /** Where the bridge's {@code token()} comes from: the current token of the phone's API login. */
    public void useApiToken(java.util.function.Supplier<String> token) {
        this.apiToken = token;
    }

    /**
     * The API token for the page at {@code pageUrl}: only a page of the server itself (same scheme, host
     * and port as the API address) gets it, so a third-party CRM page in the browser never sees it;
     * empty otherwise or while the phone is not logged in.
     */
    String apiTokenFor(String pageUrl) {
        java.net.URI api = settings.effectiveApiUrl();
        java.net.URI page;
        try {
            page = pageUrl == null ? null : java.net.URI.create(pageUrl);
        } catch (IllegalArgumentException e) {
            return "";
        }
        if (page == null || page.getScheme() == null || page.getHost() == null
                || !page.getScheme().equalsIgnoreCase(api.getScheme()) || !page.getHost().equalsIgnoreCase(api.getHost())
                || port(page) != port(api)) {
            return "";
        }
        try {
            String t = apiToken.get();
            return t == null ? "" : t;
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static int port(java.net.URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    public StringProperty crmUrlProperty() {
        return crmUrl;
    }

    public void connect() {
        statuses.clear();
        accounts.forEach(a -> statuses.put(a, new Phone.AccountStatus(a, Phone.Registration.REGISTERING, null)));
        showRegistration();
        phone.register(settings);
        if (accounts.size() > 1 && !outgoingAccount.get().isBlank()) {
            phone.useAccount(outgoingAccount.get()); // the line chosen before the registration started again
        }
    }

    /** Dials the number typed or clicked; a blank number does nothing. */
    public void dial() {
        String n = number.get() == null ? "" : number.get().strip();
        if (!n.isEmpty() && call.get() == null) {
            phone.dial(n);
        }
    }

    /** Answers the ringing call the window shows. */
    public void answer() {
        Phone.CallInfo c = call.get();
        if (c != null && c.incoming() && c.state() == Phone.CallState.RINGING) {
            phone.answer(c.id());
        } else {
            phone.answer();
        }
    }

    public void hangup() {
        Phone.CallInfo c = call.get();
        if (c != null && c.incoming() && c.state() == Phone.CallState.RINGING) {
            phone.reject(c.id());
        } else {
            phone.hangup();
        }
    }

    public void toggleHold() {
        phone.hold(!held.get());
    }

    public void toggleMute() {
        muted.set(!muted.get());
        phone.mute(muted.get());
    }

    public void digit(char d) {
        if (call.get() != null && call.get().state() == Phone.CallState.ACTIVE) {
            phone.sendDigit(d);
        } else {
            number.set((number.get() == null ? "" : number.get()) + d);
        }
    }

    public void transfer(String target) {
        if (target != null && !target.isBlank()) {
            phone.transfer(target.strip());
        }
    }

    /** Attended transfer: holds the call and calls {@code target} to announce it. */
    public void consult(String target) {
        if (target != null && !target.isBlank() && call.get() != null) {
            phone.consult(target.strip());
        }
    }

    /** Attended transfer: connects the held caller with the consulted party. */
    public void completeTransfer() {
        phone.completeTransfer();
    }

    /** The operator accepted the server certificate it was shown: trust it from now on and register again. */
    public void acceptCertificate(String fingerprint, java.util.function.Consumer<Settings> save) {
        // added to those accepted before: each account's server may have its own certificate
        java.util.Set<String> accepted = new java.util.LinkedHashSet<>();
        for (String f : settings.tlsFingerprint().split(",")) {
            if (!f.isBlank()) {
                accepted.add(f.strip());
            }
        }
        accepted.add(fingerprint.strip());
        settings = settings.withTlsFingerprint(String.join(",", accepted));
        untrustedCertificate.set("");
        save.accept(settings);
        connect();
    }

    public StringProperty untrustedCertificateProperty() {
        return untrustedCertificate;
    }

    /** Where the history list comes from; refreshed now and after every call. */
    public void setHistorySource(java.util.function.Supplier<java.util.List<String>> source) {
        this.historySource = source;
        history.setAll(source.get());
    }

    public ChatViewModel chat() {
        return chat;
    }

    /** The operator's status control and live state. */
    public StatusViewModel status() {
        return status;
    }

    /** Stops following the phone: the window is rebuilt (language change) or closed. */
    public void close() {
        phone.removeListener(this);
        chat.close();
        status.close();
    }

    // ---------------------------------------------------------------- phone events

    @Override
    public void registration(String account, Phone.Registration state, String reason) {
        fx.accept(() -> {
            if (!accounts.isEmpty() && !accounts.contains(account)) {
                return; // a line these settings no longer have, signing off
            }
            statuses.put(account, new Phone.AccountStatus(account, state, reason));
            if (state == Phone.Registration.FAILED) {
                phone.refusedCertificate().ifPresent(untrustedCertificate::set);
            }
            showRegistration();
        });
    }

    /** Why a call ended, in the window's language: "busy (486)", "failed: Service Unavailable (503)". */
    private String ending(Phone.Ending e) {
        String kind = text.find("end." + e.kind()).orElse(e.kind());
        if ("FAILED".equals(e.kind()) && e.detail() != null && !e.detail().isBlank()) {
            kind = kind + ": " + e.detail().replaceAll(" \\(\\d{3}\\)$", "");
        }
        return e.status() > 0 ? kind + " (" + e.status() + ")" : kind;
    }

    /** A reason the phone gives in English (the log's words), in the window's language when it is a known one. */
    private String reason(String r) {
        return r == null ? null : text.find("reason." + r.strip().replace(' ', '_')).orElse(r);
    }

    /** One account: its state (and reason); several: each one's, named. */
    private void showRegistration() {
        java.util.List<Phone.AccountStatus> all = java.util.List.copyOf(statuses.values());
        registered.set(!all.isEmpty() && all.stream().allMatch(s -> s.state() == Phone.Registration.REGISTERED));
        if (all.isEmpty()) {
            registration.set(text.get("registration.UNREGISTERED"));
            return;
        }
        registration.set(all.stream().map(s -> {
            String label = text.get("registration." + s.state().name());
            label = s.reason() == null || s.reason().isBlank() ? label : label + ": " + reason(s.reason());
            return all.size() > 1 ? s.account() + " " + label : label;
        }).collect(java.util.stream.Collectors.joining(" · ")));
    }

    @Override
    public void call(Phone.CallInfo info) {
        fx.accept(() -> {
            lastEvent.set(info);
            boolean over = info.state() == Phone.CallState.ENDED;
            if (over) {
                calls.remove(info.id());
            } else {
                calls.put(info.id(), info);
            }
            // the call the controls act on: a ringing one (call waiting), else the one in progress, else one on hold
            Phone.CallInfo focus = calls.values().stream().filter(c -> c.state() == Phone.CallState.RINGING).findFirst()
                    .or(() -> calls.values().stream().filter(c -> c.state() != Phone.CallState.HELD).findFirst())
                    .or(() -> calls.values().stream().findFirst()).orElse(null);
            call.set(focus);
            waiting.set(calls.size() > 1 ? calls.values().stream().filter(c -> c != focus)
                    .map(c -> text.get("call." + c.state().name()) + " " + c.peer()).findFirst().orElse("") : "");
            held.set(focus != null && focus.state() == Phone.CallState.HELD);
            if (over) {
                muted.set(false);
                history.setAll(historySource.get());
            }
            String s = text.get("call." + info.state().name()) + " " + info.peer();
            String why = info.ending() != null ? ending(info.ending()) : info.reason();
            s = why == null || why.isBlank() ? s : s + " (" + why + ")";
            callStatus.set(accounts.size() > 1 && !info.account().isBlank() ? s + " · " + info.account() : s);
            // the line's own number: several accounts may be registered, the call is on one of them
            String line = info.account().contains("@") ? info.account().substring(0, info.account().lastIndexOf('@')) : settings.user();
            boolean loadNow = info.incoming() && ("answer".equals(settings.crmLoadOn()) ? info.state() == Phone.CallState.ACTIVE
                    : info.state() == Phone.CallState.RINGING);
            if (loadNow && !settings.crmUrlTemplate().isBlank()) {
                String api = settings.effectiveApiUrl().toString();
                crmUrl.set(new UrlTemplate(settings.crmUrlTemplate()).expand(Map.ofEntries(Map.entry("caller", info.peer()),
                        Map.entry("callerName", info.peerName() == null ? "" : info.peerName()), Map.entry("called", line),
                        Map.entry("callId", info.sharedCallId()), Map.entry("direction", info.incoming() ? "in" : "out"),
                        Map.entry("agent", settings.user()), Map.entry("account", line), Map.entry("queue", info.queue()),
                        Map.entry("wait", info.queueWait()), Map.entry("language", settings.language()),
                        Map.entry("apiUrl", api.endsWith("/") ? api.substring(0, api.length() - 1) : api))));
            }
        });
    }
}
