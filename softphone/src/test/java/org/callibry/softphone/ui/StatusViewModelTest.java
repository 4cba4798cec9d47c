package org.callibry.softphone.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.callibry.shared.api.dto.Agents;
import org.callibry.softphone.i18n.SoftphoneText;
import org.junit.jupiter.api.Test;

/**
 * The operator's status control without a window. Scenarios: available and logged out are sent at
 * once, a second click sends nothing; paused asks for the reason and sends nothing until one is given;
 * a blank or too long reason is refused at the field; a new reason while paused is sent, the same one
 * not; giving up the reason leaves the status; a change made elsewhere (supervisor, the server's
 * auto-pause) shows at once and is not sent back; a push while the reason is asked keeps the question;
 * a refused change shows why and the server's status again; no connection; the live state as text in
 * English and Russian; a server without a live state; the wrap-up countdown ticking down to its end;
 * the countdown's format.
 */
class StatusViewModelTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final TestClock clock = new TestClock();
    private final StatusViewModel vm = new StatusViewModel(SoftphoneText.in(Locale.ENGLISH), clock);
    private final List<String> sent = new ArrayList<>();

    StatusViewModelTest() {
        vm.onChange((status, reason) -> sent.add(status + " " + reason));
    }

    private static Agents.AgentStatus status(Agents.Status status, String reason, Agents.State state, Instant wrapUpEndsAt) {
        return new Agents.AgentStatus(11, 1, "1001", status, reason, T0.minusSeconds(60), state, T0.minusSeconds(10), null, null,
                wrapUpEndsAt);
    }

    @Test
    void availableAndLoggedOutAreSentAtOnceAndASecondClickSendsNothing() {
        vm.choose(Agents.Status.UNAVAILABLE);
        vm.choose(Agents.Status.UNAVAILABLE);
        assertThat(vm.status.get()).isEqualTo(Agents.Status.UNAVAILABLE);
        vm.choose(Agents.Status.FREE);
        assertThat(sent).containsExactly("UNAVAILABLE ", "FREE ");
    }

    @Test
    void pausedAsksForTheReasonAndSendsNothingUntilOneIsGiven() {
        vm.choose(Agents.Status.PAUSED);
        assertThat(vm.askingReason.get()).isTrue();
        assertThat(vm.status.get()).isEqualTo(Agents.Status.FREE);
        assertThat(sent).isEmpty();
        assertThat(vm.reasons).containsExactly("Break", "Lunch", "Meeting", "Training");

        vm.pause("  Lunch ");
        assertThat(sent).containsExactly("PAUSED Lunch");
        assertThat(vm.status.get()).isEqualTo(Agents.Status.PAUSED);
        assertThat(vm.reason.get()).isEqualTo("Lunch");
        assertThat(vm.askingReason.get()).isFalse();
    }

    @Test
    void aBlankOrTooLongReasonIsRefusedAtTheField() {
        vm.choose(Agents.Status.PAUSED);
        vm.pause(" ");
        assertThat(vm.error.get()).isEqualTo("Choose or type a reason");
        vm.pause(null);
        assertThat(vm.error.get()).isEqualTo("Choose or type a reason");
        vm.pause("x".repeat(StatusViewModel.MAX_REASON + 1));
        assertThat(vm.error.get()).isEqualTo("At most 200 characters");
        assertThat(sent).isEmpty();
        assertThat(vm.askingReason.get()).isTrue();

        vm.pause("x".repeat(StatusViewModel.MAX_REASON));
        assertThat(vm.error.get()).isEmpty();
        assertThat(sent).hasSize(1);
    }

    @Test
    void aNewReasonWhilePausedIsSentTheSameOneIsNot() {
        vm.choose(Agents.Status.PAUSED);
        vm.pause("Break");
        vm.choose(Agents.Status.PAUSED); // clicking Paused again while paused
        assertThat(vm.askingReason.get()).isFalse();
        vm.pause("Break");
        vm.pause("Meeting");
        assertThat(sent).containsExactly("PAUSED Break", "PAUSED Meeting");
    }

    @Test
    void givingUpTheReasonLeavesTheStatusAsItWas() {
        vm.choose(Agents.Status.PAUSED);
        vm.pause("");
        vm.cancelReason();
        assertThat(vm.askingReason.get()).isFalse();
        assertThat(vm.error.get()).isEmpty();
        assertThat(vm.status.get()).isEqualTo(Agents.Status.FREE);
        assertThat(sent).isEmpty();
    }

    @Test
    void aChangeMadeElsewhereShowsAtOnceAndIsNotSentBack() {
        vm.show(status(Agents.Status.PAUSED, "auto-paused after 3 missed offers", Agents.State.PAUSED, null));
        assertThat(vm.status.get()).isEqualTo(Agents.Status.PAUSED);
        assertThat(vm.reason.get()).isEqualTo("auto-paused after 3 missed offers");
        assertThat(vm.liveState.get()).isEqualTo("Paused — auto-paused after 3 missed offers");

        vm.show(status(Agents.Status.FREE, "", Agents.State.FREE, null)); // a supervisor set it free
        assertThat(vm.status.get()).isEqualTo(Agents.Status.FREE);
        assertThat(vm.reason.get()).isEmpty();
        assertThat(vm.liveState.get()).isEqualTo("Ready");
        assertThat(sent).isEmpty();
    }

    @Test
    void aPushWhileTheReasonIsAskedKeepsTheQuestion() {
        vm.choose(Agents.Status.PAUSED);
        vm.show(status(Agents.Status.FREE, "", Agents.State.RINGING, null));
        assertThat(vm.askingReason.get()).isTrue();
        assertThat(vm.liveState.get()).isEqualTo("Ringing");
        vm.show(status(Agents.Status.PAUSED, "Meeting", Agents.State.PAUSED, null)); // a supervisor paused us meanwhile
        assertThat(vm.askingReason.get()).isFalse();
        assertThat(vm.reason.get()).isEqualTo("Meeting");
    }

    @Test
    void aRefusedChangeSaysWhyAtTheFieldAndShowsTheServersStatusAgain() {
        vm.show(status(Agents.Status.FREE, "", Agents.State.FREE, null));
        vm.choose(Agents.Status.UNAVAILABLE);
        vm.refused("agent status of account 11: forbidden");
        assertThat(vm.error.get()).isEqualTo("Not changed: agent status of account 11: forbidden");
        assertThat(vm.status.get()).isEqualTo(Agents.Status.FREE);

        vm.choose(Agents.Status.UNAVAILABLE);
        assertThat(vm.error.get()).as("a new choice clears it").isEmpty();
        vm.notConnected();
        assertThat(vm.error.get()).isEqualTo("Not changed: no connection to the server");
    }

    @Test
    void theLiveStateInEnglishAndRussian() {
        var en = SoftphoneText.in(Locale.ENGLISH);
        var ru = SoftphoneText.in(Locale.forLanguageTag("ru"));
        assertThat(StatusViewModel.liveText(status(Agents.Status.FREE, "", Agents.State.BUSY, null), T0, en)).isEqualTo("Busy");
        assertThat(StatusViewModel.liveText(status(Agents.Status.FREE, "", Agents.State.RINGING, null), T0, en)).isEqualTo("Ringing");
        assertThat(StatusViewModel.liveText(status(Agents.Status.FREE, "", Agents.State.OFFLINE, null), T0, en)).isEqualTo("Offline");
        assertThat(StatusViewModel.liveText(status(Agents.Status.UNAVAILABLE, "", Agents.State.UNAVAILABLE, null), T0, en))
                .isEqualTo("Logged out");
        assertThat(StatusViewModel.liveText(status(Agents.Status.PAUSED, "Lunch", Agents.State.PAUSED, null), T0, en))
                .isEqualTo("Paused — Lunch");
        assertThat(StatusViewModel.liveText(status(Agents.Status.FREE, "", Agents.State.WRAP_UP, T0.plusSeconds(65)), T0, en))
                .isEqualTo("Wrap-up 1:05");
        assertThat(StatusViewModel.liveText(status(Agents.Status.FREE, "", Agents.State.BUSY, null), T0, ru)).isEqualTo("Разговор");
        assertThat(StatusViewModel.liveText(status(Agents.Status.PAUSED, "Обед", Agents.State.PAUSED, null), T0, ru))
                .isEqualTo("Пауза — Обед");
        assertThat(StatusViewModel.liveText(status(Agents.Status.FREE, "", Agents.State.WRAP_UP, T0.plusSeconds(5)), T0, ru))
                .isEqualTo("Обработка 0:05");
    }

    @Test
    void aServerWithoutTheLiveStateShowsTheChosenStatus() {
        vm.show(new Agents.AgentStatus(11, 1, "1001", Agents.Status.PAUSED, "Training", T0));
        assertThat(vm.liveState.get()).isEqualTo("Paused — Training");
        assertThat(vm.counting.get()).isFalse();
    }

    @Test
    void theWrapUpCountsDownEachTickToItsEnd() {
        assertThat(vm.liveState.get()).as("nothing before the server told").isEmpty();
        vm.show(status(Agents.Status.FREE, "", Agents.State.WRAP_UP, T0.plusSeconds(5)));
        assertThat(vm.liveState.get()).isEqualTo("Wrap-up 0:05");
        assertThat(vm.counting.get()).isTrue();
        clock.now = T0.plusSeconds(1);
        vm.tick();
        assertThat(vm.liveState.get()).isEqualTo("Wrap-up 0:04");
        clock.now = T0.plusMillis(1500);
        vm.tick();
        assertThat(vm.liveState.get()).isEqualTo("Wrap-up 0:04");
        clock.now = T0.plusSeconds(7); // the server's next push is late
        vm.tick();
        assertThat(vm.liveState.get()).isEqualTo("Wrap-up 0:00");

        vm.show(status(Agents.Status.FREE, "", Agents.State.FREE, null));
        assertThat(vm.liveState.get()).isEqualTo("Ready");
        assertThat(vm.counting.get()).isFalse();
    }

    @Test
    void theCountdownReadsMinutesAndSecondsRoundedUp() {
        assertThat(StatusViewModel.countdown(Duration.ZERO)).isEqualTo("0:00");
        assertThat(StatusViewModel.countdown(Duration.ofMillis(1))).isEqualTo("0:01");
        assertThat(StatusViewModel.countdown(Duration.ofMillis(4200))).isEqualTo("0:05");
        assertThat(StatusViewModel.countdown(Duration.ofSeconds(59))).isEqualTo("0:59");
        assertThat(StatusViewModel.countdown(Duration.ofSeconds(60))).isEqualTo("1:00");
        assertThat(StatusViewModel.countdown(Duration.ofMinutes(61))).isEqualTo("1:01:00");
        assertThat(StatusViewModel.countdown(Duration.ofSeconds(-3))).isEqualTo("0:00");
    }
}
