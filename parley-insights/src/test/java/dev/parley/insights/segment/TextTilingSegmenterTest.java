package dev.parley.insights.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

final class TextTilingSegmenterTest {
  @Test
  void boundaries_disjointVocabularies_cutAtTheSwitch() {
    List<String> turns = List.of(
        "the card payment was declined at the shop", "declined card payment shop again", "card payment declined twice",
        "book a restaurant table tonight", "restaurant table booking for two", "table at the italian restaurant");
    assertThat(new TextTilingSegmenter(2).boundaries(turns)).contains(3);
  }
}
