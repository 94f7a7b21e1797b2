package dev.parley.insights.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

final class ClassificationReportTest {
  @Test
  void of_knownCounts_accuracyMacroF1AndGroups() {
    List<String> gold = List.of("a", "a", "b", "b");
    List<String> predicted = List.of("a", "b", "b", "b");
    var r = ClassificationReport.of(gold, predicted, List.of("high", "low", "high", "high"));
    assertThat(r.accuracy()).isEqualTo(0.75);
    // a: P=1, R=0.5, F1=2/3; b: P=2/3, R=1, F1=0.8
    assertThat(r.macroF1()).isCloseTo((2.0 / 3 + 0.8) / 2, within(1e-12));
    assertThat(r.byGroup()).hasEntrySatisfying("high", high -> {
      assertThat(high.accuracy()).isEqualTo(1.0);
      assertThat(high.share()).isEqualTo(0.75);
    });
    assertThat(r.byGroup()).hasEntrySatisfying("low", low -> assertThat(low.accuracy()).isZero());
  }
}
