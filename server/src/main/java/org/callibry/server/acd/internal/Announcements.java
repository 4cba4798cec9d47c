package org.callibry.server.acd.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.callibry.server.directory.AudioPrompts;
import org.callibry.shared.media.WavReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * What a caller waiting in a queue hears, in English or Russian: each announcement is a sequence of
 * prompts (8 kHz mono 16-bit samples) to play one after the other, e.g. "you are caller number" +
 * "two hundred" + "fifty" + "four".
 *
 * <p>The prompts are bundled under {@code /prompts/acd/<lang>/<key>.wav} (made by
 * {@code scripts/make-prompts.sh}) and read once, on first use. A tenant replaces a prompt with an
 * audio file named {@code acd-<lang>-<key>} (any case), e.g. {@code acd-ru-you-are-number}. Those are
 * looked up through {@link AudioPrompts} and kept for {@value #OVERRIDE_TTL_SECONDS} seconds, found or
 * not, so announcements do not query the database each time and a new upload is heard within a
 * minute; a lookup that fails is logged and the bundled prompt is played (and also kept a minute, so a
 * database outage does not slow every announcement down).
 *
 * <p>Numbers 0-999 are composed from words (254: "200", "50", "4"), larger ones are said digit by
 * digit. Russian minutes take the accusative after "составит": "одну минуту", "две минуты", "пять
 * минут" ({@code 1f}, {@code 2f} and the three {@code minute-*} forms). The arrays returned are shared:
 * callers must not change them.
 */
@Component
final class Announcements {
    private static final Logger log = LoggerFactory.getLogger(Announcements.class);

    static final long OVERRIDE_TTL_SECONDS = 60;
    private static final long OVERRIDE_TTL_NANOS = TimeUnit.SECONDS.toNanos(OVERRIDE_TTL_SECONDS);

    /** Where the bundled prompts are on the classpath. */
    static final String RESOURCES = "/prompts/acd/";
    static final int RATE = 8000;

    /** Every prompt key; each language has a file for each. */
    static final List<String> KEYS = List.of(
            "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19",
            "20", "30", "40", "50", "60", "70", "80", "90",
            "100", "200", "300", "400", "500", "600", "700", "800", "900",
            "1f", "2f", "minute-1", "minute-2", "minute-5",
            "you-are-number", "estimated-wait", "less-than", "callback-offer", "callback-enter-number",
            "callback-confirmed", "callback-failed", "all-busy", "thank-you-holding");

    /** The languages prompts are bundled in; the first is the default. */
    enum Language {
        EN {
            @Override
            String minuteKey(int minutes) {
                return minutes == 1 ? "minute-1" : "minute-5";
            }

            @Override
            List<String> lessThanAMinute() {
                return List.of("less-than", "1", "minute-1");
            }
        },
        RU {
            @Override
            String minuteKey(int minutes) {
                int lastTwo = minutes % 100;
                int last = minutes % 10;
                if (lastTwo >= 11 && lastTwo <= 14) {
                    return "minute-5";
                }
                if (last == 1) {
                    return "minute-1";
                }
                return last >= 2 && last <= 4 ? "minute-2" : "minute-5";
            }

            @Override
            List<String> lessThanAMinute() {
                // "менее минуты": the genitive singular is the same word as minute-2
                return List.of("less-than", "minute-2");
            }

            @Override
            boolean minutesFeminine() {
                return true;
            }
        };

        /** The code used in resource paths and override names. */
        String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code ru} (any case, also {@code ru-RU}) is Russian; anything else, {@code null} included, English. */
        static Language of(String language) {
            if (language != null) {
                String code = language.strip().toLowerCase(Locale.ROOT);
                if (code.equals("ru") || code.startsWith("ru-") || code.startsWith("ru_")) {
                    return RU;
                }
            }
            return EN;
        }

        /** The form of "minute" that follows {@code minutes}. */
        abstract String minuteKey(int minutes);

        /** What follows "estimated wait" when it is under a minute. */
        abstract List<String> lessThanAMinute();

        /** Whether a count of minutes ending in 1 or 2 takes {@code 1f}/{@code 2f}. */
        boolean minutesFeminine() {
            return false;
        }
    }

    private record OverrideKey(long tenantId, String name) {
    }

    private record Cached(Optional<short[]> samples, long loadedNanos) {
    }

    private final AudioPrompts prompts;
    private final LongSupplier nanoTime;
    private final Map<OverrideKey, Cached> overrides = new ConcurrentHashMap<>();

    @Autowired
    Announcements(AudioPrompts prompts) {
        this(prompts, System::nanoTime);
    }

    /** With a clock of its own (nanoseconds), for tests of the override cache. */
    Announcements(AudioPrompts prompts, LongSupplier nanoTime) {
        this.prompts = prompts;
        this.nanoTime = nanoTime;
    }

    /** "You are caller number" + {@code position}. */
    List<short[]> position(Long tenantId, String language, int position) {
        List<String> keys = new ArrayList<>();
        keys.add("you-are-number");
        keys.addAll(numberKeys(position, false));
        return prompts(tenantId, language, keys);
    }

    /**
     * "Your estimated waiting time is" + the minutes, rounded up, with the form of "minute" the number
     * takes; under 60 seconds, "less than one minute" ("менее минуты").
     */
    List<short[]> estimatedWait(Long tenantId, String language, int seconds) {
        Language lang = Language.of(language);
        List<String> keys = new ArrayList<>();
        keys.add("estimated-wait");
        if (seconds < 60) {
            keys.addAll(lang.lessThanAMinute());
        } else {
            int minutes = (int) ((seconds + 59L) / 60);
            keys.addAll(numberKeys(minutes, lang.minutesFeminine()));
            keys.add(lang.minuteKey(minutes));
        }
        return prompts(tenantId, lang, keys);
    }

    /** {@code n} (0 or more) said as a number up to 999, digit by digit above. */
    List<short[]> number(Long tenantId, String language, int n) {
        return prompts(tenantId, language, numberKeys(n, false));
    }

    /**
     * "To be called back without losing your place, press" + {@code digit}; for a key that is not 0-9
     * ({@code *}, {@code #}) there is no prompt, and the offer is played alone.
     */
    List<short[]> callbackOffer(Long tenantId, String language, char digit) {
        List<String> keys = new ArrayList<>();
        keys.add("callback-offer");
        if (digit >= '0' && digit <= '9') {
            keys.add(String.valueOf(digit));
        }
        return prompts(tenantId, language, keys);
    }

    List<short[]> callbackEnterNumber(Long tenantId, String language) {
        return prompts(tenantId, language, List.of("callback-enter-number"));
    }

    List<short[]> callbackConfirmed(Long tenantId, String language) {
        return prompts(tenantId, language, List.of("callback-confirmed"));
    }

    List<short[]> callbackFailed(Long tenantId, String language) {
        return prompts(tenantId, language, List.of("callback-failed"));
    }

    List<short[]> allBusy(Long tenantId, String language) {
        return prompts(tenantId, language, List.of("all-busy"));
    }

    List<short[]> thankYouHolding(Long tenantId, String language) {
        return prompts(tenantId, language, List.of("thank-you-holding"));
    }

    /**
     * The keys that say {@code n}: 0-20 and the tens and hundreds have a key of their own, the rest of
     * 0-999 is composed (254: 200, 50, 4); above 999, one key a digit. With {@code feminine}, a number
     * ending in one or two (but not 11 or 12) ends in {@code 1f} or {@code 2f}.
     */
    static List<String> numberKeys(int n, boolean feminine) {
        if (n < 0) {
            throw new IllegalArgumentException("a number to say must not be negative: " + n);
        }
        List<String> keys = new ArrayList<>();
        if (n > 999) {
            for (char c : Integer.toString(n).toCharArray()) {
                keys.add(String.valueOf(c));
            }
            return keys;
        }
        int hundreds = n / 100;
        int rest = n % 100;
        if (hundreds > 0) {
            keys.add(Integer.toString(hundreds * 100));
        }
        if (rest == 0) {
            if (n == 0) {
                keys.add("0");
            }
            return keys;
        }
        int last = rest;
        if (rest > 20 && rest % 10 != 0) {
            keys.add(Integer.toString(rest / 10 * 10));
            last = rest % 10;
        }
        keys.add(feminine && (last == 1 || last == 2) ? last + "f" : Integer.toString(last));
        return keys;
    }

    /** The bundled samples of prompt {@code key} in {@code language}. */
    static short[] bundled(String language, String key) {
        short[] samples = Bundled.PROMPTS.get(Language.of(language).code() + "/" + key);
        if (samples == null) {
            throw new IllegalArgumentException("no prompt " + key);
        }
        return samples;
    }

    private List<short[]> prompts(Long tenantId, String language, List<String> keys) {
        return prompts(tenantId, Language.of(language), keys);
    }

    private List<short[]> prompts(Long tenantId, Language language, List<String> keys) {
        List<short[]> out = new ArrayList<>(keys.size());
        for (String key : keys) {
            out.add(prompt(tenantId, language, key));
        }
        return List.copyOf(out);
    }

    /** The tenant's own recording of {@code key} when it has one, else the bundled prompt. */
    private short[] prompt(Long tenantId, Language language, String key) {
        short[] bundled = bundled(language.code(), key);
        if (tenantId == null) {
            return bundled;
        }
        OverrideKey name = new OverrideKey(tenantId, "acd-" + language.code() + "-" + key);
        long now = nanoTime.getAsLong();
        Cached cached = overrides.get(name);
        if (cached == null || now - cached.loadedNanos() > OVERRIDE_TTL_NANOS) {
            cached = new Cached(lookUp(name), now);
            overrides.put(name, cached);
        }
        return cached.samples().orElse(bundled);
    }

    private Optional<short[]> lookUp(OverrideKey name) {
        try {
            return prompts.playbackByName(name.tenantId(), name.name());
        } catch (RuntimeException e) {
            log.warn("Audio file {} of tenant {} cannot be played, the bundled prompt is used: {}",
                    name.name(), name.tenantId(), e.getMessage());
            return Optional.empty();
        }
    }

    /** The bundled prompts by {@code <lang>/<key>}, read on first use. */
    private static final class Bundled {
        static final Map<String, short[]> PROMPTS = load();

        private static Map<String, short[]> load() {
            Map<String, short[]> prompts = new HashMap<>();
            for (Language language : Language.values()) {
                for (String key : KEYS) {
                    String path = RESOURCES + language.code() + "/" + key + ".wav";
                    prompts.put(language.code() + "/" + key, read(path));
                }
            }
            return Map.copyOf(prompts);
        }

        private static short[] read(String path) {
            InputStream in = Announcements.class.getResourceAsStream(path);
            if (in == null) {
                throw new IllegalStateException("the bundled prompt " + path + " is missing (scripts/make-prompts.sh makes it)");
            }
            try (InputStream stream = in; WavReader reader = WavReader.open(stream)) {
                WavReader.Wav wav = reader.readAll();
                if (wav.sampleRate() != RATE || wav.channels() != 1 || wav.samples().length == 0) {
                    throw new IllegalStateException("the bundled prompt " + path + " is not 8 kHz mono audio: "
                            + wav.sampleRate() + " Hz, " + wav.channels() + " channels, " + wav.frames() + " frames");
                }
                return wav.samples();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the bundled prompt " + path + ": " + e.getMessage(), e);
            }
        }
    }
}
