package dev.parley.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import org.junit.jupiter.api.Test;

final class TextChecksTest {
  private static final String EMOJI = "\uD83D\uDE00"; // a valid surrogate pair

  @Test
  void problem_cleanTextWithSurrogatePairs_empty() {
    assertThat(TextChecks.problem("plain " + EMOJI + " text")).isEmpty();
    assertThat(TextChecks.isClean(EMOJI)).isTrue();
  }

  @Test
  void problem_nul_namesItAndItsIndex() {
    assertThat(TextChecks.problem("ab\u0000c")).contains("contains a NUL character (U+0000) at index 2");
  }

  @Test
  void problem_loneSurrogates_nameKindCodeAndIndex() {
    assertThat(TextChecks.problem("x\uD83D")).contains("contains a lone high surrogate (U+D83D) at index 1");
    assertThat(TextChecks.problem(EMOJI + "\uDE00y")).contains("contains a lone low surrogate (U+DE00) at index 2");
  }

  @Test
  void sanitize_badCharacters_replacedAndPairsKept() {
    String dirty = "a\u0000b\uD83Dc" + EMOJI + "\uDE00";
    String clean = TextChecks.sanitize(dirty);
    assertThat(clean).isEqualTo("a\uFFFDb\uFFFDc" + EMOJI + "\uFFFD");
    assertThat(TextChecks.isClean(clean)).isTrue();
    assertThat(TextChecks.countBad(dirty)).isEqualTo(3);
  }

  @Test
  void sanitize_cleanText_sameInstance() {
    String clean = "nothing to do " + EMOJI;
    assertThat(TextChecks.sanitize(clean)).isSameAs(clean);
  }

  @Test
  void sanitizeJson_namesAndValuesAtAnyDepth_replacedOriginalUntouched() {
    ObjectNode node = Json.object().put("na\u0000me", "v\u0000");
    node.putArray("list").add("x\uD800").add(3);
    node.putObject("inner").put("ok", EMOJI);
    JsonNode clean = TextChecks.sanitize(node);
    assertThat(Json.write(clean)).isEqualTo("{\"na\uFFFDme\":\"v\uFFFD\",\"list\":[\"x\uFFFD\",3],\"inner\":{\"ok\":\"" + EMOJI + "\"}}");
    assertThat(TextChecks.isClean(clean)).isTrue();
    assertThat(TextChecks.isClean(node)).isFalse();
  }

  @Test
  void sanitizeJson_cleanNode_sameInstance() {
    ObjectNode node = Json.object().put("a", "b");
    assertThat(TextChecks.sanitize(node)).isSameAs(node);
  }
}
