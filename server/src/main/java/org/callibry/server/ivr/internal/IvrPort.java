package org.callibry.server.ivr.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.callibry.shared.api.dto.Calls;

/**
 * What the {@link Interpreter} needs of the world: the caller's line (play, digits, record, hand-offs,
 * hang-up), HTTP, the clock and the tenant's calendar. {@link CallPort} drives a real call on the
 * media server; {@link SimulationPort} answers from the digits and HTTP answers of {@code ivr.simulate}.
 * Every method may block (a call runs on a virtual thread of its own) and throws {@link CallerGone}
 * once the caller has hung up.
 */
interface IvrPort {

    /** An audio file by name, or a say-prompt key with its words (for the trace). */
    record Prompt(String name, boolean said, String text) {
        static Prompt audio(String name) {
            return new Prompt(name, false, name);
        }

        static Prompt said(String key, String text) {
            return new Prompt(key, true, text);
        }
    }

    record HttpRequest(String node, String method, String url, Map<String, String> headers, String body, Duration timeout) {
    }

    record HttpResponse(int status, String body, long millis) {
    }

    /** An audio file of the tenant's library holding what the caller said. */
    record Recorded(long audioFileId, String name, long millis) {
    }

    /** The caller hung up: the walk ends. */
    final class CallerGone extends RuntimeException {
        CallerGone(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A named audio file that neither the tenant nor the bundle has. */
    final class MissingAudio extends Exception {
        MissingAudio(String name) {
            super(name, null, false, false);
        }
    }

    /** Something the port was asked to do failed; {@code timeout} when it was a timeout. */
    final class Failed extends Exception {
        final boolean timeout;
        final long millis;

        Failed(String message, boolean timeout, long millis) {
            super(message, null, false, false);
            this.timeout = timeout;
            this.millis = millis;
        }
    }

    /**
     * Plays the prompts one after the other and returns when they end; when {@code interruptible}, a digit
     * ends them at once (and stays typed ahead for {@link #digit}). Nothing is played when one is missing.
     */
    void play(String language, List<Prompt> prompts, boolean interruptible) throws MissingAudio;

    /** The next digit the caller typed (typed ahead included), or null when none comes within {@code timeout}. */
    Character digit(Duration timeout);

    /** Forgets the digits typed ahead. */
    void discardDigits();

    HttpResponse http(HttpRequest request) throws Failed;

    /** Records the caller until {@code max}, a digit of {@code stopDigits} or hang-up, into an audio file named {@code name}. */
    Recorded record(String name, Duration max, String stopDigits) throws Failed;

    /** Hands the caller to queue {@code queueId}; returns when the queue is done with it, saying how it went. */
    String queue(long queueId) throws Failed;

    /** Connects the caller to {@code number} (through the routes); returns when that call ends, saying how it went. */
    String transfer(String number, Duration ring) throws Failed;

    /** The number of account {@code accountId} when it is an account of the scenario's tenant. */
    Optional<String> accountNumber(long accountId);

    /** Scenario {@code id} of the tenant at its latest version, for a transfer into it. */
    Optional<Loaded> scenario(long id);

    /** A scenario as stored: its id, version and the document read. */
    record Loaded(long id, long tenantId, int version, Scenario scenario) {
    }

    void hangup(String reason);

    Instant now();

    /** The tenant's time zone. */
    ZoneId zone();

    /** The name of the tenant's holiday on {@code date}, if it is one. */
    Optional<String> holiday(LocalDate date);

    /** Who {@code number} is for the tenant (its CRM lookup, else its contacts); empty when nobody is known. */
    Optional<Calls.CallerCard> callerCard(String number) throws Failed;
}
