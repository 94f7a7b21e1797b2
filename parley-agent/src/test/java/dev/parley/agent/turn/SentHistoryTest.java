package dev.parley.agent.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.agent.session.MessageKind;
import dev.parley.agent.session.StoredMessage;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

final class SentHistoryTest {
  private static final UUID SESSION = UUID.randomUUID();

  private static StoredMessage message(int seq, MessageKind kind, ContentBlock... blocks) {
    return new StoredMessage(SESSION, seq, UUID.randomUUID(), Optional.empty(), kind, List.of(blocks), 1, "p", Instant.EPOCH);
  }

  private static StoredMessage text(int seq, MessageKind kind, String text) {
    return message(seq, kind, new ContentBlock.Text(text));
  }

  @Test
  void of_emptyAssistantReply_leftOut() {
    List<StoredMessage> history = List.of(text(1, MessageKind.USER, "hi"), text(2, MessageKind.ASSISTANT, ""), text(3, MessageKind.USER, "hello?"));
    assertThat(SentHistory.of(history, 3)).extracting(StoredMessage::seq).containsExactly(1, 3);
  }

  @Test
  void of_userMessageOfAFailedTurnFollowedByANewOne_leftOut() {
    List<StoredMessage> history = List.of(text(1, MessageKind.USER, "hi"), text(2, MessageKind.ASSISTANT, "hello"),
        text(3, MessageKind.USER, "failed turn"), text(4, MessageKind.USER, "new message"));
    assertThat(SentHistory.of(history, 4)).extracting(StoredMessage::seq).containsExactly(1, 2, 4);
  }

  @Test
  void of_retriedTurnsOwnMessage_alwaysSent() {
    List<StoredMessage> history = List.of(text(1, MessageKind.USER, "being retried"), text(2, MessageKind.USER, "later"));
    assertThat(SentHistory.of(history, 1)).extracting(StoredMessage::seq).containsExactly(1, 2);
  }

  @Test
  void of_toolResultsFollowedByUserMessage_kept() {
    List<StoredMessage> history = List.of(text(1, MessageKind.USER, "hi"),
        message(2, MessageKind.ASSISTANT, new ContentBlock.Text(" "), new ContentBlock.ToolUse("t1", "tool", Json.object())),
        message(3, MessageKind.TOOL_RESULT, new ContentBlock.ToolResult("t1", "ok", false)), text(4, MessageKind.USER, "next"));
    List<StoredMessage> sent = SentHistory.of(history, 4);
    assertThat(sent).extracting(StoredMessage::seq).containsExactly(1, 2, 3, 4);
    assertThat(sent.get(1).blocks()).singleElement().isInstanceOf(ContentBlock.ToolUse.class);
  }
}
