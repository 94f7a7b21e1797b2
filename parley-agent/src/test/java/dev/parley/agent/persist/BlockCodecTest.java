package dev.parley.agent.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.agent.testing.Fixtures;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

final class BlockCodecTest {
  /**
   * The v1 fixture was written by {@code Json.write(BlockCodec.encode(blocks))} with the blocks below; a new
   * version adds a new fixture and keeps this one readable.
   */
  @Test
  void decode_v1Fixture_readsEveryBlock() throws IOException {
    String text;
    try (InputStream in = getClass().getResourceAsStream("/persist/message-v1.json")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<ContentBlock> blocks = BlockCodec.decode(Json.parse(text));
    assertThat(blocks).containsExactly(
        new ContentBlock.Text("Let me record that."),
        new ContentBlock.ToolUse("toolu_01", "complete_profile",
            Fixtures.json("{\"business_type\":\"executive coaching\",\"surface_challenge\":\"not enough clients\"}")),
        new ContentBlock.ToolResult("toolu_01", "{\"ok\":true}", false));
    assertThat(Json.parse(Json.write(BlockCodec.encode(blocks)))).isEqualTo(Json.parse(text));
  }

  @Test
  void decode_unknownVersion_rejected() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> BlockCodec.decode(Json.parse("{\"v\":2,\"blocks\":[{\"type\":\"text\",\"text\":\"x\"}]}")));
    assertThat(e).hasMessageContaining("expected version 1, found 2");
  }

  @Test
  void decode_unknownBlockType_rejected() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> BlockCodec.decode(Json.parse("{\"v\":1,\"blocks\":[{\"type\":\"image\"}]}")));
    assertThat(e).hasMessageContaining("found 'image'");
  }

  @Test
  void stateCodec_unknownVersion_rejected() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> StateCodec.decode(Json.parse("{\"v\":0,\"fields\":{}}")));
    assertThat(e).hasMessageContaining("expected version 1, found 0");
  }
}
