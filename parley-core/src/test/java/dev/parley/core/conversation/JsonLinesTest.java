package dev.parley.core.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.core.error.LineException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class JsonLinesTest {
  @TempDir Path dir;

  @Test
  void readConversations_truncatedLine_onePlainLineWithItsNumber() throws Exception {
    Path file = dir.resolve("in.jsonl");
    Files.writeString(file, """
        {"id":"c1","messages":[{"speaker":"user","text":"hi"}]}

        {"id":"c2","messages":[{"speaker":"user"
        """);

    LineException e = assertThrows(LineException.class, () -> JsonLines.readConversations(file));

    assertThat(e.getMessage()).isEqualTo(file + ":3: malformed JSON at column 41: unexpected end of input");
    assertThat(e.line()).isEqualTo(3);
  }

  @Test
  void readTextItems_badCharacter_namesColumnAndCharacter() throws Exception {
    Path file = dir.resolve("items.jsonl");
    Files.writeString(file, "{\"id\":\"a\",\"text\":\"fine\"}\n{\"id\":\"b\",\"text\":oops}\n");

    LineException e = assertThrows(LineException.class, () -> JsonLines.readTextItems(file));

    assertThat(e.getMessage()).isEqualTo(file + ":2: malformed JSON at column 18: unrecognized token 'oops'");
  }

  @Test
  void readTextItems_twoRecordsOnOneLine_isRefused() throws Exception {
    Path file = dir.resolve("items.jsonl");
    Files.writeString(file, "{\"id\":\"a\",\"text\":\"x\"}{\"id\":\"b\",\"text\":\"y\"}\n");

    LineException e = assertThrows(LineException.class, () -> JsonLines.readTextItems(file));

    assertThat(e.getMessage()).isEqualTo(file + ":1: malformed JSON at column 22: unexpected content after the JSON value");
  }

  @Test
  void readTextItems_invalidUtf8_saysSo() throws Exception {
    Path file = dir.resolve("items.jsonl");
    Files.write(file, new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});

    LineException e = assertThrows(LineException.class, () -> JsonLines.readTextItems(file));

    assertThat(e.getMessage()).isEqualTo(file + ":1: not valid UTF-8");
  }

  @Test
  void codecs_malformedJson_sameMessage() {
    assertThat(assertThrows(RuntimeException.class, () -> new ConversationCodec().parse("{\"id\":")).getMessage())
        .isEqualTo("malformed JSON at column 7: unexpected end of input");
    assertThat(assertThrows(RuntimeException.class, () -> new TextItemCodec().parse("[1,]")).getMessage())
        .isEqualTo("malformed JSON at column 4: unexpected character ']', expected a value");
  }
}
