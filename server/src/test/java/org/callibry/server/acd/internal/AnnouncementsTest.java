package org.callibry.server.acd.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.callibry.server.directory.AudioPrompts;
import org.callibry.shared.media.WavReader;
import org.junit.jupiter.api.Test;

/**
 * The queue announcements. Scenarios: every key is bundled in English and Russian as 8 kHz mono audio
 * and nothing else is; numbers 0-999 composed from their words, larger ones digit by digit, negative
 * ones refused; the wait rounded up to minutes with the Russian forms (одну минуту, две минуты, пять
 * минут, 11-14 минут) and English "minute"/"minutes"; "less than a minute" under 60 seconds; the
 * position, callback and fixed phrases; an unknown language is English; a tenant's audio file
 * {@code acd-<lang>-<key>} replaces exactly that prompt, is looked up once a minute, and a failing
 * lookup falls back to the bundled prompt.
 */
class AnnouncementsTest {
    private static final List<String> LANGUAGES = List.of("en", "ru");

    /** The audio library of a test: files by name (any case), every lookup counted. */
    private static final class FakePrompts implements AudioPrompts {
        final Map<String, short[]> files = new HashMap<>();
        final List<String> lookups = new ArrayList<>();
        RuntimeException failure;

        void upload(long tenantId, String name, short[] samples) {
            files.put(tenantId + "/" + name.toLowerCase(Locale.ROOT), samples);
        }

        @Override
        public Optional<short[]> playback(long tenantId, long audioFileId) {
            return Optional.empty();
        }

        @Override
        public Optional<short[]> playbackByName(long tenantId, String name) {
            lookups.add(tenantId + "/" + name);
            if (failure != null) {
                throw failure;
            }
            return Optional.ofNullable(files.get(tenantId + "/" + name.toLowerCase(Locale.ROOT)));
        }

        @Override
        public List<short[]> musicOnHold(long tenantId) {
            return List.of();
        }
    }

    private final FakePrompts library = new FakePrompts();
    private long now = 0;
    private final Announcements announcements = new Announcements(library, () -> now);

    /** The keys of the bundled prompts {@code said} is made of (the very arrays, not equal copies). */
    private static List<String> keysOf(String language, List<short[]> said) {
        List<String> keys = new ArrayList<>();
        for (short[] samples : said) {
            String found = "(not a bundled " + language + " prompt)";
            for (String key : Announcements.KEYS) {
                if (Announcements.bundled(language, key) == samples) {
                    found = key;
                    break;
                }
            }
            keys.add(found);
        }
        return keys;
    }

    @Test
    void everyKeyIsBundledInBothLanguagesAs8kHzMono() throws IOException {
        for (String language : LANGUAGES) {
            for (String key : Announcements.KEYS) {
                String path = Announcements.RESOURCES + language + "/" + key + ".wav";
                try (InputStream in = Announcements.class.getResourceAsStream(path)) {
                    assertThat(in).as(path).isNotNull();
                    WavReader.Wav wav = WavReader.open(in).readAll();
                    assertThat(wav.sampleRate()).as(path).isEqualTo(8000);
                    assertThat(wav.channels()).as(path).isEqualTo(1);
                    assertThat(wav.durationMillis()).as(path).isBetween(150L, 12_000L);
                    assertThat(Announcements.bundled(language, key)).as(path).isEqualTo(wav.samples());
                }
            }
        }
    }

    @Test
    void theBundledFilesAreExactlyTheKeys() throws IOException, URISyntaxException {
        for (String language : LANGUAGES) {
            Path dir = Path.of(Announcements.class.getResource(Announcements.RESOURCES + language).toURI());
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .as("scripts/make-prompts.sh and Announcements.KEYS agree")
                        .containsExactlyInAnyOrderElementsOf(Announcements.KEYS.stream().map(k -> k + ".wav").toList());
            }
        }
    }

    @Test
    void numbersUpToTwentyAndRoundOnesHaveAPromptOfTheirOwn() {
        assertThat(keysOf("en", announcements.number(null, "en", 0))).containsExactly("0");
        assertThat(keysOf("en", announcements.number(null, "en", 7))).containsExactly("7");
        assertThat(keysOf("ru", announcements.number(null, "ru", 13))).containsExactly("13");
        assertThat(keysOf("ru", announcements.number(null, "ru", 20))).containsExactly("20");
        assertThat(keysOf("ru", announcements.number(null, "ru", 90))).containsExactly("90");
        assertThat(keysOf("en", announcements.number(null, "en", 300))).containsExactly("300");
    }

    @Test
    void otherNumbersUpTo999AreComposed() {
        assertThat(keysOf("en", announcements.number(null, "en", 21))).containsExactly("20", "1");
        assertThat(keysOf("ru", announcements.number(null, "ru", 21))).containsExactly("20", "1");
        assertThat(keysOf("en", announcements.number(null, "en", 254))).containsExactly("200", "50", "4");
        assertThat(keysOf("ru", announcements.number(null, "ru", 254))).containsExactly("200", "50", "4");
        assertThat(keysOf("ru", announcements.number(null, "ru", 113))).containsExactly("100", "13");
        assertThat(keysOf("ru", announcements.number(null, "ru", 740))).containsExactly("700", "40");
        assertThat(keysOf("en", announcements.number(null, "en", 999))).containsExactly("900", "90", "9");
    }

    @Test
    void numbersAbove999AreSaidDigitByDigit() {
        assertThat(keysOf("en", announcements.number(null, "en", 1000))).containsExactly("1", "0", "0", "0");
        assertThat(keysOf("ru", announcements.number(null, "ru", 20_507))).containsExactly("2", "0", "5", "0", "7");
    }

    @Test
    void negativeNumbersAreRefused() {
        assertThatThrownBy(() -> announcements.number(null, "en", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void russianMinutesTakeTheirPluralFormAndFeminineOneAndTwo() {
        Map<Integer, List<String>> expected = new LinkedHashMap<>();
        expected.put(1, List.of("1f", "minute-1"));
        expected.put(2, List.of("2f", "minute-2"));
        expected.put(3, List.of("3", "minute-2"));
        expected.put(4, List.of("4", "minute-2"));
        expected.put(5, List.of("5", "minute-5"));
        expected.put(11, List.of("11", "minute-5"));
        expected.put(12, List.of("12", "minute-5"));
        expected.put(14, List.of("14", "minute-5"));
        expected.put(20, List.of("20", "minute-5"));
        expected.put(21, List.of("20", "1f", "minute-1"));
        expected.put(22, List.of("20", "2f", "minute-2"));
        expected.put(25, List.of("20", "5", "minute-5"));
        expected.put(101, List.of("100", "1f", "minute-1"));
        expected.put(111, List.of("100", "11", "minute-5"));
        expected.forEach((minutes, words) -> {
            List<String> keys = new ArrayList<>(List.of("estimated-wait"));
            keys.addAll(words);
            assertThat(keysOf("ru", announcements.estimatedWait(null, "ru", minutes * 60)))
                    .as(minutes + " minutes").containsExactlyElementsOf(keys);
        });
    }

    @Test
    void englishMinutesAreMinuteOrMinutes() {
        assertThat(keysOf("en", announcements.estimatedWait(null, "en", 60))).containsExactly("estimated-wait", "1", "minute-1");
        assertThat(keysOf("en", announcements.estimatedWait(null, "en", 120))).containsExactly("estimated-wait", "2", "minute-5");
        assertThat(keysOf("en", announcements.estimatedWait(null, "en", 21 * 60))).containsExactly("estimated-wait", "20", "1", "minute-5");
    }

    @Test
    void theWaitIsRoundedUpToWholeMinutes() {
        assertThat(keysOf("en", announcements.estimatedWait(null, "en", 61))).containsExactly("estimated-wait", "2", "minute-5");
        assertThat(keysOf("ru", announcements.estimatedWait(null, "ru", 299))).containsExactly("estimated-wait", "5", "minute-5");
    }

    @Test
    void underAMinuteIsLessThanOneMinute() {
        assertThat(keysOf("en", announcements.estimatedWait(null, "en", 59)))
                .containsExactly("estimated-wait", "less-than", "1", "minute-1");
        assertThat(keysOf("en", announcements.estimatedWait(null, "en", 0)))
                .containsExactly("estimated-wait", "less-than", "1", "minute-1");
        // "менее минуты": the genitive singular, which is the word of minute-2
        assertThat(keysOf("ru", announcements.estimatedWait(null, "ru", 30)))
                .containsExactly("estimated-wait", "less-than", "minute-2");
    }

    @Test
    void positionIsYouAreNumberAndTheNumber() {
        assertThat(keysOf("ru", announcements.position(null, "ru", 5))).containsExactly("you-are-number", "5");
        assertThat(keysOf("en", announcements.position(null, "en", 42))).containsExactly("you-are-number", "40", "2");
    }

    @Test
    void callbackOfferSaysItsDigitOrJustTheOffer() {
        assertThat(keysOf("en", announcements.callbackOffer(null, "en", '2'))).containsExactly("callback-offer", "2");
        assertThat(keysOf("ru", announcements.callbackOffer(null, "ru", '0'))).containsExactly("callback-offer", "0");
        assertThat(keysOf("en", announcements.callbackOffer(null, "en", '#'))).containsExactly("callback-offer");
        assertThat(keysOf("en", announcements.callbackOffer(null, "en", '*'))).containsExactly("callback-offer");
    }

    @Test
    void fixedPhrasesArePlayedAlone() {
        for (String language : LANGUAGES) {
            assertThat(keysOf(language, announcements.callbackEnterNumber(null, language))).containsExactly("callback-enter-number");
            assertThat(keysOf(language, announcements.callbackConfirmed(null, language))).containsExactly("callback-confirmed");
            assertThat(keysOf(language, announcements.callbackFailed(null, language))).containsExactly("callback-failed");
            assertThat(keysOf(language, announcements.allBusy(null, language))).containsExactly("all-busy");
            assertThat(keysOf(language, announcements.thankYouHolding(null, language))).containsExactly("thank-you-holding");
        }
    }

    @Test
    void anUnknownLanguageIsEnglish() {
        assertThat(announcements.allBusy(null, "de")).containsExactly(Announcements.bundled("en", "all-busy"));
        assertThat(announcements.allBusy(null, null)).containsExactly(Announcements.bundled("en", "all-busy"));
        assertThat(announcements.allBusy(null, "RU")).containsExactly(Announcements.bundled("ru", "all-busy"));
        assertThat(Announcements.bundled("en", "all-busy")).isNotEqualTo(Announcements.bundled("ru", "all-busy"));
    }

    @Test
    void aTenantsAudioFileReplacesExactlyItsPrompt() {
        short[] own = {1, 2, 3};
        library.upload(7, "ACD-RU-You-Are-Number", own);

        List<short[]> said = announcements.position(7L, "ru", 3);
        assertThat(said.get(0)).isSameAs(own);
        assertThat(said.get(1)).isSameAs(Announcements.bundled("ru", "3"));
        assertThat(library.lookups).containsExactly("7/acd-ru-you-are-number", "7/acd-ru-3");

        // the other language, another tenant and no tenant keep the bundled prompt
        assertThat(keysOf("en", announcements.position(7L, "en", 3))).containsExactly("you-are-number", "3");
        assertThat(keysOf("ru", announcements.position(8L, "ru", 3))).containsExactly("you-are-number", "3");
        int before = library.lookups.size();
        assertThat(keysOf("ru", announcements.position(null, "ru", 3))).containsExactly("you-are-number", "3");
        assertThat(library.lookups).hasSize(before);
    }

    @Test
    void overridesAreLookedUpOnceAMinute() {
        announcements.allBusy(7L, "en");
        now += TimeUnit.SECONDS.toNanos(59);
        assertThat(announcements.allBusy(7L, "en")).containsExactly(Announcements.bundled("en", "all-busy"));
        assertThat(library.lookups).containsExactly("7/acd-en-all-busy");

        short[] own = {4, 5, 6};
        library.upload(7, "acd-en-all-busy", own);
        now += TimeUnit.SECONDS.toNanos(2);
        assertThat(announcements.allBusy(7L, "en")).containsExactly(own);
        assertThat(library.lookups).hasSize(2);
    }

    @Test
    void aFailingLookupPlaysTheBundledPrompt() {
        library.failure = new IllegalStateException("database away");
        assertThat(announcements.thankYouHolding(7L, "ru")).containsExactly(Announcements.bundled("ru", "thank-you-holding"));
    }
}
