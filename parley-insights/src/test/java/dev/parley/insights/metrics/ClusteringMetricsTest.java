package dev.parley.insights.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

final class ClusteringMetricsTest {
  @Test
  void identicalPartitionsUpToRenaming_scoreOne() {
    int[] truth = {0, 0, 1, 1, 2, 2};
    int[] pred = {5, 5, 3, 3, 9, 9};
    ClusteringMetrics.Scores s = ClusteringMetrics.score(truth, pred);
    assertThat(s.acc()).isEqualTo(1.0);
    assertThat(s.nmi()).isCloseTo(1.0, within(1e-12));
    assertThat(s.ari()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void knownValues_matchScikitLearn() {
    // sklearn: adjusted_rand_score([0,0,0,1,1,1],[0,0,1,1,2,2]) = 0.24242424...
    // NMI (arithmetic): MI = (2/3) ln 2, H = ln 2 and ln 3 -> 0.515801...
    int[] truth = {0, 0, 0, 1, 1, 1};
    int[] pred = {0, 0, 1, 1, 2, 2};
    assertThat(ClusteringMetrics.ari(truth, pred)).isCloseTo(0.24242424242424243, within(1e-12));
    assertThat(ClusteringMetrics.nmi(truth, pred)).isCloseTo((2.0 / 3 * Math.log(2)) / ((Math.log(2) + Math.log(3)) / 2), within(1e-12));
    assertThat(ClusteringMetrics.acc(truth, pred)).isCloseTo(4.0 / 6, within(1e-12));
  }

  @Test
  void independentLabels_ariNearZero() {
    int[] truth = new int[1000];
    int[] pred = new int[1000];
    for (int i = 0; i < 1000; i++) {
      truth[i] = i % 10;
      pred[i] = (i / 10) % 10;
    }
    assertThat(ClusteringMetrics.ari(truth, pred)).isCloseTo(0, within(0.01));
    assertThat(ClusteringMetrics.nmi(truth, pred)).isCloseTo(0, within(0.01));
  }

  @Test
  void withoutNoise_dropsNoisePoints() {
    int[][] kept = ClusteringMetrics.withoutNoise(new int[] {1, 2, 3}, new int[] {0, -1, 0}, -1);
    assertThat(kept[0]).containsExactly(1, 3);
    assertThat(kept[1]).containsExactly(0, 0);
  }

  @Test
  void score_lengthMismatch_throws() {
    assertThrows(IllegalArgumentException.class, () -> ClusteringMetrics.score(new int[2], new int[3]));
  }
}
