package org.callibry.server.ivr.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
 * The audio a scenario plays, as 8 kHz mono 16-bit samples.
 *
 * <p>A {@code play} (or menu, collect) names an audio file: the tenant's audio file of that name (any
 * case), else the bundled prompt of that key in the current language (the demo's {@code demo-*}
 * phrases, {@code beep}); neither is a missing file, which takes the node's error branch.
 *
 * <p>What {@code say} composes are bundled prompts ({@code /prompts/ivr/<lang>/<key>.wav}, made by
 * {@code scripts/make-ivr-prompts.sh} from {@code prompts.tsv}); a tenant replaces one with an audio
 * file named {@code ivr-<lang>-<key>}, e.g. {@code ivr-ru-rub-5}.
 *
 * <p>Tenant files are looked up through {@link AudioPrompts} and kept {@value #TTL_SECONDS} s, found or
 * not, so a call does not query the database for every prompt and a new upload is heard within a
 * minute; a lookup that fails is logged and counts as "no such file" for that minute.
 */
@Component
class IvrPrompts {
    private static final Logger log = LoggerFactory.getLogger(IvrPrompts.class);
    static final long TTL_SECONDS = 60;
    static final String RESOURCES = "/prompts/ivr/";
    static final List<String> LANGUAGES = List.of("en", "ru");

    private record Key(long tenantId, String name) {
    }

    private record Cached(Optional<short[]> samples, long loadedNanos) {
    }

    private final AudioPrompts audio;
    private final LongSupplier nanoTime;
    private final Map<Key, Cached> tenantFiles = new ConcurrentHashMap<>();

    @Autowired
    IvrPrompts(AudioPrompts audio) {
        this(audio, System::nanoTime);
    }

    IvrPrompts(AudioPrompts audio, LongSupplier nanoTime) {
        this.audio = audio;
        this.nanoTime = nanoTime;
    }

    /** The samples of audio {@code name}: the tenant's file, else the bundled prompt in {@code language}. */
    Optional<short[]> audio(Long tenantId, String language, String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        Optional<short[]> own = tenantFile(tenantId, name.strip());
        return own.isPresent() ? own : Optional.ofNullable(Bundled.PROMPTS.get(language(language) + "/" + name.strip()));
    }

    /** The samples of say-prompt {@code key}: the tenant's {@code ivr-<lang>-<key>}, else the bundled one. */
    Optional<short[]> said(Long tenantId, String language, String key) {
        String lang = language(language);
        Optional<short[]> own = tenantFile(tenantId, "ivr-" + lang + "-" + key);
        return own.isPresent() ? own : Optional.ofNullable(Bundled.PROMPTS.get(lang + "/" + key));
    }

    private Optional<short[]> tenantFile(Long tenantId, String name) {
        if (tenantId == null) {
            return Optional.empty();
        }
        Key key = new Key(tenantId, name.toLowerCase(java.util.Locale.ROOT));
        long now = nanoTime.getAsLong();
        Cached c = tenantFiles.get(key);
        if (c == null || now - c.loadedNanos() > TimeUnit.SECONDS.toNanos(TTL_SECONDS)) {
            c = new Cached(lookUp(tenantId, name), now);
            tenantFiles.put(key, c);
        }
        return c.samples();
    }

    private Optional<short[]> lookUp(long tenantId, String name) {
        try {
            return audio.playbackByName(tenantId, name);
        } catch (RuntimeException e) {
            log.warn("Audio file {} of tenant {} cannot be read: {}", name, tenantId, e.getMessage());
            return Optional.empty();
        }
    }

    /** {@code ru} (also {@code ru-RU}) or {@code en} for anything else. */
    static String language(String language) {
        return language != null && language.toLowerCase(java.util.Locale.ROOT).startsWith("ru") ? "ru" : "en";
    }

    /** The words of say-prompt {@code key} in {@code language} (for traces), or the key itself when it has no text. */
    static String text(String language, String key) {
        Map<String, String> texts = Texts.BY_LANGUAGE.get(language(language));
        String t = texts == null ? null : texts.get(key);
        return t == null ? key : t;
    }

    /** Whether a bundled prompt {@code key} exists in {@code language}. */
    static boolean bundled(String language, String key) {
        return Bundled.PROMPTS.containsKey(language(language) + "/" + key);
    }

    /** The texts of {@code prompts.tsv} by language and key ({@code beep} has none: it is a tone). */
    private static final class Texts {
        static final Map<String, Map<String, String>> BY_LANGUAGE = load();

        private static Map<String, Map<String, String>> load() {
            Map<String, Map<String, String>> out = new HashMap<>();
            LANGUAGES.forEach(l -> out.put(l, new LinkedHashMap<>()));
            InputStream in = IvrPrompts.class.getResourceAsStream(RESOURCES + "prompts.tsv");
            if (in == null) {
                throw new IllegalStateException("the IVR prompt texts " + RESOURCES + "prompts.tsv are missing");
            }
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    String[] f = line.split("\t", -1);
                    for (int i = 0; i < LANGUAGES.size() && i + 1 < f.length; i++) {
                        if (!f[i + 1].isEmpty()) {
                            out.get(LANGUAGES.get(i)).put(f[0], f[i + 1]);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.get("en").put("beep", "(beep)");
            out.get("ru").put("beep", "(сигнал)");
            return Map.copyOf(out);
        }
    }

    /** Every bundled prompt by {@code <lang>/<key>}, read on first use. */
    private static final class Bundled {
        static final Map<String, short[]> PROMPTS = load();

        private static Map<String, short[]> load() {
            Map<String, short[]> prompts = new HashMap<>();
            for (String lang : LANGUAGES) {
                for (String key : Texts.BY_LANGUAGE.get(lang).keySet()) {
                    prompts.put(lang + "/" + key, read(RESOURCES + lang + "/" + key + ".wav"));
                }
            }
            return Map.copyOf(prompts);
        }

        private static short[] read(String path) {
            InputStream in = IvrPrompts.class.getResourceAsStream(path);
            if (in == null) {
                throw new IllegalStateException("the bundled prompt " + path + " is missing (scripts/make-ivr-prompts.sh makes it)");
            }
            try (InputStream stream = in; WavReader reader = WavReader.open(stream)) {
                WavReader.Wav wav = reader.readAll();
                if (wav.sampleRate() != 8000 || wav.channels() != 1 || wav.samples().length == 0) {
                    throw new IllegalStateException("the bundled prompt " + path + " is not 8 kHz mono audio");
                }
                return wav.samples();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the bundled prompt " + path + ": " + e.getMessage(), e);
            }
        }
    }
}
