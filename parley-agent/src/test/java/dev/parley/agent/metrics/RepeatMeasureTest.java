package dev.parley.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class RepeatMeasureTest {
  @Test
  void words_lowerCasedRunsWithoutStopWordsOrSingleCharacters() {
    assertThat(RepeatMeasure.words("As I said: MY clients are Berlin-based coaches, 2 of them x9!"))
        .isEqualTo(Set.of("said", "clients", "berlin", "based", "coaches", "x9"));
    assertThat(RepeatMeasure.words("ok")).containsExactly("ok");
    assertThat(RepeatMeasure.words("")).isEmpty();
  }

  @Test
  void jaccard_knownValues() {
    assertThat(RepeatMeasure.jaccard(Set.of("a1", "b1", "c1"), Set.of("b1", "c1", "d1"))).isEqualTo(0.5);
    assertThat(RepeatMeasure.jaccard(Set.of(), Set.of())).isZero();
  }

  @Test
  void count_contrivedSession_judgesOnlyMessagesAfterAFoldAgainstFoldedOnes() {
    List<RepeatMeasure.Message> messages = List.of(
        new RepeatMeasure.Message(1, "We sell group programs for new managers"),
        new RepeatMeasure.Message(3, "Revenue has been flat for two quarters"),
        // After the fold of turn 3 (through seq 2): compared with seq 1 only, 1 word in 9 shared.
        new RepeatMeasure.Message(5, "Our biggest problem is finding new clients"),
        // After the fold of turn 5 (through seq 4): seq 3 again, 4 words of 5.
        new RepeatMeasure.Message(7, "Revenue has been flat for two quarters now"),
        // Too short to judge.
        new RepeatMeasure.Message(9, "ok"),
        // Repeats seq 5, which was not folded (yet): not a repeat of folded information.
        new RepeatMeasure.Message(11, "Our biggest problem is finding new clients today"));
    List<RepeatMeasure.Fold> folds = List.of(new RepeatMeasure.Fold(5, 4), new RepeatMeasure.Fold(3, 2));
    assertThat(RepeatMeasure.count(messages, folds)).isEqualTo(new RepeatMeasure.Counts(3, 1));
    assertThat(RepeatMeasure.count(messages, List.of())).isEqualTo(RepeatMeasure.Counts.ZERO);
  }
}
