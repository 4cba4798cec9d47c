package org.callibry.softphone.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Locale;
import org.callibry.shared.api.dto.Agents;
import org.callibry.softphone.i18n.SoftphoneText;
import org.callibry.softphone.phone.Phone;
import org.callibry.softphone.settings.Settings;
import org.junit.jupiter.api.Test;

/** The main window's logic without a window: what each action asks of the phone, what each event shows. */
class MainViewModelTest {
    private final FakePhone phone = new FakePhone();
    private final Settings settings = Settings.defaults().withServer("127.0.0.1:5060").withUser("1001")
            .withCrmUrlTemplate("https://crm/card?c={caller}&id={callId}&d={direction}");
    private final MainViewModel vm = new MainViewModel(phone, SoftphoneText.in(Locale.ENGLISH), settings, Runnable::run);

    private static Phone.CallInfo incoming(Phone.CallState state) {
        return new Phone.CallInfo("c1", "+7 495", "Anna", true, state, null);
    }

    @Test
    void registrationStateAndReasonAreShown() {
        vm.connect();
        assertThat(phone.actions).containsExactly("register 1001@127.0.0.1:5060");
        phone.registration(Phone.Registration.FAILED, "wrong password");
        assertThat(vm.registration.get()).isEqualTo("Registration failed: wrong password");
        phone.registration(Phone.Registration.REGISTERED, null);
        assertThat(vm.registered.get()).isTrue();
    }

    @Test
    void keypadTypesTheNumberThenDialsIt() {
        vm.digit('1');
        vm.digit('0');
        vm.digit('0');
        vm.digit('2');
        vm.dial();
        assertThat(phone.actions).containsExactly("dial 1002");
    }

    @Test
    void duringACallTheKeypadSendsDtmf() {
        phone.call(new Phone.CallInfo("c1", "1002", "", false, Phone.CallState.ACTIVE, null));
        vm.digit('5');
        assertThat(phone.actions).containsExactly("digit 5");
    }

    @Test
    void anIncomingCallLoadsTheCrmPageOnRingAndHangUpRejectsIt() {
        phone.call(incoming(Phone.CallState.RINGING));
        assertThat(vm.crmUrl.get()).isEqualTo("https://crm/card?c=%2B7%20495&id=c1&d=in");
        assertThat(vm.callStatus.get()).isEqualTo("Incoming call from +7 495");
        vm.hangup();
        assertThat(phone.actions).containsExactly("reject c1");
    }

    @Test
    void aQueueCallFillsTheCrmPagesQueueVariableAndADirectCallLeavesItEmpty() {
        MainViewModel crm = new MainViewModel(phone, SoftphoneText.in(Locale.ENGLISH),
                settings.withCrmUrlTemplate("https://crm/card?c={caller}&q={queue}"), Runnable::run);
        phone.call(new Phone.CallInfo("c1", "+7 495", "", true, Phone.CallState.RINGING, null, "", null, "Sales & Support"));
        assertThat(crm.crmUrl.get()).isEqualTo("https://crm/card?c=%2B7%20495&q=Sales%20%26%20Support");
        phone.call(new Phone.CallInfo("c1", "+7 495", "", true, Phone.CallState.ENDED, null));
        phone.call(new Phone.CallInfo("c2", "1002", "", true, Phone.CallState.RINGING, null));
        assertThat(crm.crmUrl.get()).isEqualTo("https://crm/card?c=1002&q=");
    }

    @Test
    void holdMuteAndTransferGoToThePhoneAndTheCallEndClearsThem() {
        phone.call(new Phone.CallInfo("c1", "1002", "", false, Phone.CallState.ACTIVE, null));
        vm.toggleHold();
        vm.toggleMute();
        vm.transfer(" 1003 ");
        assertThat(phone.actions).containsExactly("hold true", "mute true", "transfer 1003");
        phone.call(new Phone.CallInfo("c1", "1002", "", false, Phone.CallState.ENDED, "486 Busy Here"));
        assertThat(vm.call.get()).isNull();
        assertThat(vm.muted.get()).isFalse();
        assertThat(vm.callStatus.get()).isEqualTo("Call ended with 1002 (486 Busy Here)");
    }

    @Test
    void contactsFilterAsYouType() {
        vm.setContacts(java.util.List.of(new org.callibry.softphone.contacts.PersonalContacts.Contact("Anna", "1002", false),
                new org.callibry.softphone.contacts.PersonalContacts.Contact("Boris", "1003", true)));
        assertThat(vm.contacts).hasSize(2);
        vm.search.set("bo");
        assertThat(vm.contacts).extracting(org.callibry.softphone.contacts.PersonalContacts.Contact::name).containsExactly("Boris");
    }

    @Test
    void aClosedModelStopsTheStatusCountdown() {
        vm.status.show(new Agents.AgentStatus(1, 1, "1001", Agents.Status.FREE, "", Instant.now(), Agents.State.WRAP_UP,
                Instant.now(), null, 7L, Instant.now().plusSeconds(30)));
        assertThat(vm.status.counting.get()).isTrue();
        vm.close();
        assertThat(vm.status.counting.get()).isFalse();
    }

    @Test
    void aMessageOpensItsConversationAndCountsAsUnreadUntilTheChatIsShown() {
        vm.setContacts(java.util.List.of(new org.callibry.softphone.contacts.PersonalContacts.Contact("Carol", "1003", false)));
        phone.message("1002", "Bob", "hello");
        phone.message("1003", "", "ping");

        assertThat(vm.chat.peer.get()).isEqualTo("1002");
        assertThat(vm.chat.unread.get()).isEqualTo(2);
        assertThat(vm.chat.conversations).extracting(org.callibry.softphone.chat.ChatLog.Conversation::peer).containsExactly("1003", "1002");
        assertThat(vm.chat.label("1003", "")).isEqualTo("Carol (1003)");

        vm.chat.showing.set(true); // the chat tab is selected: the open conversation is read
        assertThat(vm.chat.unread.get()).isEqualTo(1);
        vm.chat.open("1003");
        assertThat(vm.chat.unread.get()).isZero();
        assertThat(vm.chat.messages).extracting(org.callibry.softphone.chat.ChatLog.Message::text).containsExactly("ping");
        phone.message("1003", "", "still there?");
        assertThat(vm.chat.unread.get()).as("arrives in the conversation being read").isZero();
    }

    @Test
    void aSentMessageShowsWhetherItWasDelivered() {
        vm.chat.open(" 1002 ");
        vm.chat.send("  hi  ");
        vm.chat.send("again");
        vm.chat.send("   "); // nothing

        assertThat(phone.actions).containsExactly("message 1002 hi", "message 1002 again");
        assertThat(vm.chat.messages).extracting(org.callibry.softphone.chat.ChatLog.Message::status)
                .containsOnly(org.callibry.softphone.chat.ChatLog.Status.SENDING);
        phone.messages.get(0).complete(null);
        phone.messages.get(1).completeExceptionally(new java.util.concurrent.CompletionException(
                new IllegalStateException("message not delivered: 480 Temporarily Unavailable")));
        assertThat(vm.chat.messages).extracting(org.callibry.softphone.chat.ChatLog.Message::status, org.callibry.softphone.chat.ChatLog.Message::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(org.callibry.softphone.chat.ChatLog.Status.DELIVERED, null),
                        org.assertj.core.groups.Tuple.tuple(org.callibry.softphone.chat.ChatLog.Status.FAILED,
                                "message not delivered: 480 Temporarily Unavailable"));
    }

    @Test
    void aClosedModelNoLongerFollowsThePhone() {
        vm.close();
        phone.call(incoming(Phone.CallState.RINGING));
        phone.message("1002", "Bob", "hello");
        assertThat(vm.call.get()).isNull();
        assertThat(vm.chat.conversations).isEmpty();
        assertThat(phone.listeners).isEmpty();
    }

    @Test
    void severalAccountsShowEachRegistrationAndCallsGoOutOnTheChosenOne() {
        Settings two = settings.withCrmUrlTemplate("https://crm/card?c={caller}&to={called}").withMoreAccounts(java.util.List.of(new Settings.Account("127.0.0.1:5060", "udp", "2001", "pw", "Queue")));
        MainViewModel multi = new MainViewModel(phone, SoftphoneText.in(Locale.ENGLISH), two, Runnable::run);
        assertThat(multi.accounts).containsExactly("1001@127.0.0.1:5060", "2001@127.0.0.1:5060");
        multi.connect();
        assertThat(multi.registration.get())
                .isEqualTo("1001@127.0.0.1:5060 Registering… · 2001@127.0.0.1:5060 Registering…");
        phone.registration("1001@127.0.0.1:5060", Phone.Registration.REGISTERED, null);
        phone.registration("2001@127.0.0.1:5060", Phone.Registration.FAILED, "wrong password");
        assertThat(multi.registration.get())
                .isEqualTo("1001@127.0.0.1:5060 Registered · 2001@127.0.0.1:5060 Registration failed: wrong password");
        assertThat(multi.registered.get()).as("not all lines registered").isFalse();
        phone.registration("2001@127.0.0.1:5060", Phone.Registration.REGISTERED, null);
        assertThat(multi.registered.get()).isTrue();

        multi.outgoingAccount.set("2001@127.0.0.1:5060");
        multi.number.set("1003");
        multi.dial();
        assertThat(phone.actions).containsSubsequence("register 1001@127.0.0.1:5060", "use 2001@127.0.0.1:5060", "dial 1003");

        phone.call(new Phone.CallInfo("c9", "1002", "Bob", true, Phone.CallState.RINGING, null, "2001@127.0.0.1:5060"));
        assertThat(multi.callStatus.get()).isEqualTo("Incoming call from 1002 · 2001@127.0.0.1:5060");
        assertThat(multi.crmUrl.get()).as("the CRM page gets the line called").isEqualTo("https://crm/card?c=1002&to=2001");
    }

    @Test
    void whyACallEndedIsShownInTheWindowsLanguage() {
        MainViewModel ru = new MainViewModel(phone, SoftphoneText.in(Locale.forLanguageTag("ru")), settings, Runnable::run);
        phone.call(new Phone.CallInfo("c3", "1003", "", false, Phone.CallState.ENDED, "busy (486)", "", new Phone.Ending("BUSY", 486, "busy (486)")));
        assertThat(ru.callStatus.get()).endsWith("1003 (занято (486))");
        phone.call(new Phone.CallInfo("c4", "1004", "", false, Phone.CallState.ENDED, "Service Unavailable (503)", "",
                new Phone.Ending("FAILED", 503, "Service Unavailable (503)")));
        assertThat(vm.callStatus.get()).endsWith("1004 (failed: Service Unavailable (503))");
        phone.registration(Phone.Registration.FAILED, "wrong password");
        assertThat(ru.registration.get()).endsWith(": неверный пароль");
    }

    @Test
    void byDefaultTheServersConsoleOpensWithTheSharedCallIdQueueAndWait() {
        Settings plain = Settings.defaults().withServer("pbx.example:5060").withUser("1001").withLanguage("ru");
        MainViewModel console = new MainViewModel(phone, SoftphoneText.in(Locale.ENGLISH), plain, Runnable::run);
        phone.call(new Phone.CallInfo("local-1", "+7 495", "Anna", true, Phone.CallState.RINGING, null, "", null, "Sales",
                "a84b4c76e66710@192.0.2.1", "42"));
        assertThat(console.crmUrl.get()).isEqualTo("http://pbx.example:8080/console/?callId=a84b4c76e66710%40192.0.2.1"
                + "&caller=%2B7%20495&queue=Sales&wait=42&lang=ru");
        phone.call(new Phone.CallInfo("local-2", "1002", "", true, Phone.CallState.RINGING, null));
        assertThat(console.crmUrl.get()).as("without the server's id, the call's own")
                .isEqualTo("http://pbx.example:8080/console/?callId=local-2&caller=1002&queue=&wait=&lang=ru");
    }

    @Test
    void theApiTokenGoesOnlyToTheServersOwnPages() {
        Settings s = Settings.defaults().withServer("pbx.example:5060").withUser("1001").withApiUrl("https://pbx.example:8443/");
        MainViewModel m = new MainViewModel(phone, SoftphoneText.in(Locale.ENGLISH), s, Runnable::run);
        assertThat(m.apiTokenFor("https://pbx.example:8443/console/?callId=1")).as("not logged in yet").isEmpty();
        m.useApiToken(() -> "t0k3n");
        assertThat(m.apiTokenFor("https://pbx.example:8443/console/?callId=1")).isEqualTo("t0k3n");
        assertThat(m.apiTokenFor("https://PBX.example:8443/console/")).isEqualTo("t0k3n");
        assertThat(m.apiTokenFor("https://crm.example/card?c=1")).isEmpty();
        assertThat(m.apiTokenFor("http://pbx.example:8443/console/")).as("another scheme").isEmpty();
        assertThat(m.apiTokenFor("https://pbx.example/console/")).as("another port").isEmpty();
        assertThat(m.apiTokenFor("https://pbx.example.evil.test:8443/")).isEmpty();
        assertThat(m.apiTokenFor("about:blank")).isEmpty();
        assertThat(m.apiTokenFor(null)).isEmpty();
        m.useApiToken(() -> {
            throw new IllegalStateException("no server");
        });
        assertThat(m.apiTokenFor("https://pbx.example:8443/console/")).isEmpty();
    }
}
