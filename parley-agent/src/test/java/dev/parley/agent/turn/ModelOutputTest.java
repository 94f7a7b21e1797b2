package dev.parley.agent.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.chat.ChatMessage;
import dev.parley.core.chat.ChatResponse;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.chat.StopReason;
import dev.parley.core.chat.Usage;
import dev.parley.core.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ModelOutputTest {
  private static ChatResponse reply(ContentBlock... blocks) {
    return new ChatResponse(new ChatMessage(ChatMessage.Role.ASSISTANT, List.of(blocks)), StopReason.END_TURN, Usage.ZERO, "m");
  }

  @Test
  void clean_cleanReply_sameResponse() {
    ChatResponse response = reply(new ContentBlock.Text("fine \uD83D\uDE00"));
    assertThat(ModelOutput.clean(response).response()).isSameAs(response);
    assertThat(ModelOutput.clean(response).replaced()).isZero();
  }

  @Test
  void clean_badCharactersEverywhere_replacedAndCounted() {
    ModelOutput.Cleaned cleaned = ModelOutput.clean(reply(new ContentBlock.Text("a\u0000"),
        new ContentBlock.ToolUse("id\uD800", "na\u0000me", Json.object().put("k\u0000", "v\uDC00"))));
    assertThat(cleaned.replaced()).isEqualTo(5);
    assertThat(cleaned.response().message().content()).containsExactly(new ContentBlock.Text("a\uFFFD"),
        new ContentBlock.ToolUse("id\uFFFD", "na\uFFFDme", Json.object().put("k\uFFFD", "v\uFFFD")));
  }

  @Test
  void clean_blankTextBesideToolCalls_dropped() {
    ContentBlock.ToolUse use = new ContentBlock.ToolUse("t1", "tool", Json.object());
    assertThat(ModelOutput.clean(reply(new ContentBlock.Text(" \n"), use)).response().message().content()).containsExactly(use);
  }

  @Test
  void isBlank_onlyBlankText_trueAnythingElse_false() {
    assertThat(ModelOutput.isBlank(List.of(new ContentBlock.Text("")))).isTrue();
    assertThat(ModelOutput.isBlank(List.of(new ContentBlock.Text(" "), new ContentBlock.Text("\n")))).isTrue();
    assertThat(ModelOutput.isBlank(List.of(new ContentBlock.Text("x")))).isFalse();
    assertThat(ModelOutput.isBlank(List.of(new ContentBlock.ToolUse("t1", "tool", Json.object())))).isFalse();
  }
}
