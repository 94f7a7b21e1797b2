package dev.parley.insights.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.conversation.Message;
import dev.parley.core.conversation.Speaker;
import java.util.List;
import org.junit.jupiter.api.Test;

final class TurnsTest {
  @Test
  void of_groupsSameSideAndAttachesSystemMessages() {
    List<Message> messages = List.of(
        Message.of(Speaker.SYSTEM, "session started"),
        Message.of(Speaker.USER, "hello"),
        Message.of(Speaker.USER, "my card is blocked"),
        Message.of(Speaker.ASSISTANT, "let me check"),
        Message.of(Speaker.SUPPORT, "I'm a human agent, unblocking it now"),
        Message.of(Speaker.SYSTEM, "agent joined"),
        Message.of(Speaker.USER, "thanks"));
    List<Turn> turns = Turns.of(messages);
    assertThat(turns).hasSize(3);
    assertThat(turns.get(0)).isEqualTo(new Turn(true, "hello\nmy card is blocked", 0, 3));
    assertThat(turns.get(1).user()).isFalse();
    assertThat(turns.get(1).text()).isEqualTo("let me check\nI'm a human agent, unblocking it now");
    assertThat(turns.get(1).messageEnd()).isEqualTo(5);
    assertThat(turns.get(2)).isEqualTo(new Turn(true, "thanks", 5, 7));
  }

  @Test
  void of_onlySystemMessages_oneTurnCoveringAll() {
    List<Turn> turns = Turns.of(List.of(Message.of(Speaker.SYSTEM, "a"), Message.of(Speaker.SYSTEM, "b")));
    assertThat(turns).containsExactly(new Turn(false, "", 0, 2));
  }

  @Test
  void of_singleSidedTranscript_oneTurnPerMessage() {
    List<Turn> turns = Turns.of(List.of(
        Message.of(Speaker.USER, "a"), Message.of(Speaker.SYSTEM, "s"), Message.of(Speaker.USER, "b"), Message.of(Speaker.USER, "c")));
    assertThat(turns).containsExactly(new Turn(true, "a", 0, 1), new Turn(false, "b", 1, 3), new Turn(true, "c", 3, 4));
  }
}
