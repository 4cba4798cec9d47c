package org.callibry.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The 49 RFC 4475 torture messages, which are third-party text and not in the repository: they are
 * read from {@code <callibry.testdata>/rfc4475} ({@code INDEX.tsv} and one file per message). CI's
 * {@code .ci/run} sets the system property; Maven hands it to Surefire and Failsafe. Without it the
 * tests that read them are skipped, saying so; with it, a missing index or file fails them. Our own
 * messages, which always run, are in {@code src/test/resources/sip-torture}.
 *
 * <p>Surefire counts a skip only when a test method aborts (not a {@code @BeforeAll} or an argument
 * source), so each class reading these files has a plain test calling {@link #index()}.
 */
public final class Rfc4475Messages {
    /** The system property naming the shared test data directory. */
    public static final String PROPERTY = "callibry.testdata";

    /** One line of the index: RFC section, file name, class (valid, invalid, ...) and the file. */
    public record Entry(String section, String file, String kind, Path path) {
    }

    private Rfc4475Messages() {
    }

    /** Whether the property names a directory (Maven's default leaves it blank). */
    public static boolean configured() {
        String root = System.getProperty(PROPERTY);
        return root != null && !root.isBlank();
    }

    /**
     * The {@code rfc4475} directory. Aborts the calling test (reported skipped) when the property is
     * unset or blank, as Maven's default leaves it; fails when it is set and the index is not there.
     */
    public static Path dir() {
        if (!configured()) {
            Assumptions.abort("RFC 4475 messages not run: set -D" + PROPERTY + "=<dir> (CI's .ci/run sets it)");
        }
        String root = System.getProperty(PROPERTY);
        Path dir = Path.of(root).resolve("rfc4475");
        assertThat(dir.resolve("INDEX.tsv")).as("RFC 4475 index under -D%s=%s", PROPERTY, root).isRegularFile();
        return dir;
    }

    /** The index's entries: all 49 messages of the RFC, each file present. */
    public static List<Entry> index() throws IOException {
        Path dir = dir();
        List<Entry> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("INDEX.tsv"))) {
            String[] f = line.split("\t");
            if (f.length == 3 && !f[0].equals("section")) {
                out.add(new Entry(f[0], f[1], f[2], dir.resolve(f[1])));
            }
        }
        assertThat(out).as("RFC 4475 messages listed in %s", dir.resolve("INDEX.tsv")).hasSize(49);
        assertThat(out).as("RFC 4475 message files in %s", dir).allSatisfy(e -> assertThat(e.path()).isRegularFile());
        return out;
    }
}
