package dev.parley.insights.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

final class SegmentationMetricsTest {
  @Test
  void score_identicalSegmentations_zero() {
    var s = SegmentationMetrics.score(new int[] {3, 4, 5}, new int[] {3, 4, 5});
    assertThat(s.pk()).isZero();
    assertThat(s.windowDiff()).isZero();
  }

  @Test
  void score_boundaryOffByOne_twoWindowsWrong() {
    // Reference 0000|1111, hypothesis 000|11111, k = round(4 / 2) = 2, windows = 6: windows starting at 1 and 3 disagree.
    var s = SegmentationMetrics.score(new int[] {4, 4}, new int[] {3, 5});
    assertThat(s.k()).isEqualTo(2);
    assertThat(s.windows()).isEqualTo(6);
    assertThat(s.pk()).isCloseTo(2.0 / 6, within(1e-12));
    assertThat(s.windowDiff()).isCloseTo(2.0 / 6, within(1e-12));
  }

  @Test
  void score_missedBoundary_knownAnswer() {
    // Reference [2,3]: k = round(1.25) = 1; pairs (0,1) (1,2) (2,3) (3,4); only (1,2) crosses the boundary.
    var s = SegmentationMetrics.score(new int[] {2, 3}, new int[] {5});
    assertThat(s.pk()).isCloseTo(0.25, within(1e-12));
    assertThat(s.windowDiff()).isCloseTo(0.25, within(1e-12));
  }

  @Test
  void score_boundaryEverywhere_allWindowsWrong() {
    var s = SegmentationMetrics.score(new int[] {6}, new int[] {1, 1, 1, 1, 1, 1});
    assertThat(s.k()).isEqualTo(3);
    assertThat(s.pk()).isEqualTo(1.0);
    assertThat(s.windowDiff()).isEqualTo(1.0);
  }

  @Test
  void score_windowDiffCountsBoundaries_pkDoesNot() {
    // Two hypothesis boundaries inside one window where the reference has one: Pk sees "different segments"
    // in both, WindowDiff sees 2 != 1. Reference [4,4] (k=2); hypothesis [4,1,3].
    var s = SegmentationMetrics.score(new int[] {4, 4}, new int[] {4, 1, 3});
    assertThat(s.pk()).isCloseTo(1.0 / 6, within(1e-12));
    assertThat(s.windowDiff()).isCloseTo(2.0 / 6, within(1e-12));
  }

  @Test
  void score_differentLengths_rejected() {
    var e = assertThrows(IllegalArgumentException.class, () -> SegmentationMetrics.score(new int[] {3, 3}, new int[] {5}));
    assertThat(e.getMessage()).contains("reference 6").contains("hypothesis 5");
  }

  @Test
  void massesFromBoundaries_roundTrip() {
    assertThat(SegmentationMetrics.massesFromBoundaries(10, List.of(3, 7))).containsExactly(3, 4, 3);
    assertThat(SegmentationMetrics.massesFromBoundaries(4, List.of())).containsExactly(4);
    assertThrows(IllegalArgumentException.class, () -> SegmentationMetrics.massesFromBoundaries(4, List.of(0)));
  }
}
