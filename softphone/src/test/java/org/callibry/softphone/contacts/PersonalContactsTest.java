package org.callibry.softphone.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersonalContactsTest {
    @TempDir
    Path dir;

    @Test
    void contactsAreStoredLocally() throws Exception {
        PersonalContacts c = new PersonalContacts(dir);
        c.add("Anna Petrova", "+74951234567");
        c.add("Boris", "1002");
        assertThat(new PersonalContacts(dir).all()).extracting(PersonalContacts.Contact::number).containsExactly("+74951234567", "1002");
    }

    @Test
    void searchAsYouTypeByAnyWordOfTheNameOrDigitsOfTheNumber() {
        List<PersonalContacts.Contact> all = List.of(new PersonalContacts.Contact("Anna Petrova", "+74951234567", false),
                new PersonalContacts.Contact("Boris", "1002", true), new PersonalContacts.Contact("Pavel", "1003", true));
        assertThat(PersonalContacts.search(all, "pe")).extracting(PersonalContacts.Contact::name).containsExactly("Anna Petrova");
        assertThat(PersonalContacts.search(all, "100")).extracting(PersonalContacts.Contact::name).containsExactly("Boris", "Pavel");
        assertThat(PersonalContacts.search(all, "4951")).extracting(PersonalContacts.Contact::name).containsExactly("Anna Petrova");
        assertThat(PersonalContacts.search(all, "")).hasSize(3);
        assertThat(PersonalContacts.search(all, "zz")).isEmpty();
    }
}
