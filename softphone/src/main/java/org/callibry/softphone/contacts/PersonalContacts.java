package org.callibry.softphone.contacts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The operator's own contacts, kept in {@code contacts.tsv} of the config directory, and the search
 * as you type over them and the company directory (any word of the name, or digits of the number).
 */
public final class PersonalContacts {

    /** A contact; {@code company} marks one from the server's directory (not editable here). */
    public record Contact(String name, String number, boolean company) {
    }

    private final Path file;
    private final List<Contact> own = new ArrayList<>();

    public PersonalContacts(Path dir) {
        this.file = dir.resolve("contacts.tsv");
        if (Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] f = line.split("\t", -1);
                    if (f.length == 2 && !f[1].isBlank()) {
                        own.add(new Contact(f[0], f[1], false));
                    }
                }
            } catch (IOException ignored) {
                // unreadable: start empty
            }
        }
    }

    public synchronized List<Contact> all() {
        return List.copyOf(own);
    }

    public synchronized void add(String name, String number) throws IOException {
        if (number == null || number.isBlank()) {
            throw new IllegalArgumentException("a contact needs a number");
        }
        own.add(new Contact(name == null ? "" : name.strip(), number.strip(), false));
        save();
    }

    public synchronized void remove(Contact c) throws IOException {
        own.remove(c);
        save();
    }

    private void save() throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder sb = new StringBuilder();
        for (Contact c : own) {
            sb.append(c.name().replace('\t', ' ')).append('\t').append(c.number().replace('\t', ' ')).append('\n');
        }
        Path tmp = Files.createTempFile(file.getParent(), "contacts", ".tmp");
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Contacts matching {@code query}: a name starting with it (any word), or a number containing its digits. */
    public static List<Contact> search(List<Contact> contacts, String query) {
        String q = query == null ? "" : query.strip().toLowerCase(Locale.ROOT);
        String digits = q.replaceAll("[^0-9*#+]", "");
        return contacts.stream().filter(c -> q.isEmpty() || matchesName(c.name(), q) || !digits.isEmpty()
                        && digits.length() == q.replace(" ", "").length() && c.number().contains(digits))
                .sorted(Comparator.comparing((Contact c) -> c.name().toLowerCase(Locale.ROOT)).thenComparing(Contact::number))
                .toList();
    }

    private static boolean matchesName(String name, String q) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith(q)) {
            return true;
        }
        for (String w : n.split("\\s+")) {
            if (w.startsWith(q)) {
                return true;
            }
        }
        return false;
    }
}
