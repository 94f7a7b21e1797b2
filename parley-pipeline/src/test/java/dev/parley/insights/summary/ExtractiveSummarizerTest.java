package dev.parley.insights.summary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.llm.embed.LocalEmbeddingModels;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ExtractiveSummarizerTest {
  private final ExtractiveSummarizer summarizer = new ExtractiveSummarizer(LocalEmbeddingModels.bgeSmall(), 1, 300);

  @Test
  void summarize_picksTheCentralCustomerSentence() {
    SummaryRequest r = new SummaryRequest("c#0", List.of(
        "Hello there.",
        "My card payment was declined at the shop. The card payment failed again this morning.",
        "By the way the weather is lovely today.",
        "Why does my card keep getting declined?"), "");
    Summary s = summarizer.summarize(List.of(r)).getFirst();
    assertThat(s.kind()).isEqualTo(SummaryKind.EXTRACTIVE);
    assertThat(s.text().orElseThrow()).containsIgnoringCase("card").doesNotContain("weather");
  }

  @Test
  void summarize_noCustomerText_saysSo() {
    Summary s = summarizer.summarize(List.of(new SummaryRequest("c#1", List.of(), "assistant: hi"))).getFirst();
    assertThat(s.text()).contains("(no customer text)");
  }

  @Test
  void stitch_joinsInOrder() {
    assertThat(ExtractiveSummarizer.stitch(List.of("A.", "B."))).isEqualTo("A. Then: B.");
  }
}
