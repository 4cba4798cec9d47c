package org.callibry.softphone.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.callibry.softphone.chat.ChatLog.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatLogTest {
    @TempDir
    Path dir;

    @Test
    void conversationsArePerPeerMostRecentFirstWithUnreadCounts() {
        ChatLog log = new ChatLog(dir);
        log.received("1002", "Bob", "hello");
        log.received("1002", "", "are you there?");
        ChatLog.Message sent = log.sending("1003", "hi Carol");

        assertThat(log.conversations()).extracting(ChatLog.Conversation::peer).containsExactly("1003", "1002");
        assertThat(log.conversations().get(1).peerName()).isEqualTo("Bob");
        assertThat(log.conversations().get(1).unread()).isEqualTo(2);
        assertThat(log.unread()).isEqualTo(2);
        assertThat(log.messages("1002")).extracting(ChatLog.Message::text).containsExactly("hello", "are you there?");
        assertThat(sent.status()).isEqualTo(Status.SENDING);

        log.read("1002");
        assertThat(log.unread()).isZero();
    }

    @Test
    void deliveryOutcomesAndEveryMessageSurviveARestart() {
        ChatLog log = new ChatLog(dir);
        ChatLog.Message ok = log.sending("1002", "first\nsecond line, \"quoted\"");
        ChatLog.Message bad = log.sending("1002", "to nowhere");
        ChatLog.Message pending = log.sending("1002", "the phone stops before the answer");
        log.settle(ok, true, null);
        log.settle(bad, false, "404 Not Found");
        log.received("1002", "Bob", "ответ");

        ChatLog again = new ChatLog(dir);
        assertThat(again.messages("1002")).extracting(ChatLog.Message::text, ChatLog.Message::status, ChatLog.Message::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("first\nsecond line, \"quoted\"", Status.DELIVERED, null),
                        org.assertj.core.groups.Tuple.tuple("to nowhere", Status.FAILED, "404 Not Found"),
                        org.assertj.core.groups.Tuple.tuple("the phone stops before the answer", Status.UNCONFIRMED, null),
                        org.assertj.core.groups.Tuple.tuple("ответ", Status.RECEIVED, null));
        assertThat(pending.id()).isEqualTo(again.messages("1002").get(2).id());
    }

    @Test
    void aLineCutShortByACrashIsSkippedAndTheRestKept() throws Exception {
        ChatLog log = new ChatLog(dir);
        log.received("1002", "Bob", "kept");
        // the crash came in the middle of a Cyrillic letter (two bytes in UTF-8), with no newline at the end
        byte[] cut = "{\"id\":\"x\",\"peer\":\"1002\",\"text\":\"обры".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("chat.jsonl"), java.util.Arrays.copyOf(cut, cut.length - 1), StandardOpenOption.APPEND);

        ChatLog again = new ChatLog(dir);
        assertThat(again.messages("1002")).extracting(ChatLog.Message::text).containsExactly("kept");
        again.received("1002", "Bob", "and more");
        assertThat(new ChatLog(dir).messages("1002")).extracting(ChatLog.Message::text).containsExactly("kept", "and more");
    }

    @Test
    void aLongConversationKeepsTheNewestMessagesAndTheFileIsCompacted() throws Exception {
        ChatLog log = new ChatLog(dir);
        for (int i = 0; i < ChatLog.PER_PEER + 20; i++) {
            log.settle(log.sending("1002", "m" + i), true, null);
        }
        assertThat(log.messages("1002")).hasSize(ChatLog.PER_PEER);
        assertThat(Files.readAllLines(dir.resolve("chat.jsonl"))).as("each message, its outcome, and the format mark")
                .hasSize(2 * (ChatLog.PER_PEER + 20) + 1);

        ChatLog again = new ChatLog(dir);
        assertThat(again.messages("1002")).hasSize(ChatLog.PER_PEER);
        assertThat(again.messages("1002").getFirst().text()).isEqualTo("m20");
        assertThat(again.messages("1002").getLast().status()).isEqualTo(Status.DELIVERED);
        assertThat(Files.readAllLines(dir.resolve("chat.jsonl"))).hasSize(ChatLog.PER_PEER + 1);
    }

    @Test
    void inMemoryWritesNothing() {
        ChatLog log = ChatLog.inMemory();
        log.settle(log.sending("1002", "x"), true, null);
        assertThat(log.messages("1002")).hasSize(1);
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void unreadMessagesStayUnreadAfterARestart() {
        ChatLog log = new ChatLog(dir);
        log.received("1002", "Bob", "one");
        log.received("1003", "Carol", "two");
        log.read("1002");
        log.received("1002", "Bob", "three");

        ChatLog again = new ChatLog(dir);
        assertThat(again.unread()).isEqualTo(2);
        assertThat(again.conversations()).extracting(ChatLog.Conversation::peer, ChatLog.Conversation::unread)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1002", 1), org.assertj.core.groups.Tuple.tuple("1003", 1));
        again.read("1003");
        again.read("1002");
        assertThat(new ChatLog(dir).unread()).isZero();
    }

    @Test
    void aFileFromBeforeReadMarksCountsAsRead() throws Exception {
        Files.writeString(dir.resolve("chat.jsonl"), "{\"id\":\"a\",\"at\":1,\"peer\":\"1002\",\"outgoing\":false,"
                + "\"text\":\"old\",\"status\":\"RECEIVED\"}\n");
        ChatLog log = new ChatLog(dir);
        assertThat(log.messages("1002")).extracting(ChatLog.Message::text).containsExactly("old");
        assertThat(log.unread()).isZero();
    }
}
