package dev.parley.insights.hdbscan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.metrics.ClusteringMetrics;
import dev.parley.insights.testing.Blobs;
import dev.parley.insights.testing.TribuoHdbscan;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class HdbscanTrainerTest {
  private static HdbscanTrainer trainer(HdbscanOptions options) {
    return new HdbscanTrainer(options, ComputePool.sequential());
  }

  @Test
  void fit_wellSeparatedBlobs_findsExactClusters() {
    Blobs.Data data = Blobs.gaussian(600, 3, 4, 0.3, 20, 0, 1);
    HdbscanModel model = trainer(HdbscanOptions.of(20, 5)).fit(data.coords(), data.dim());
    assertThat(model.clusterCount()).isEqualTo(4);
    assertThat(ClusteringMetrics.ari(data.labels(), model.labels())).isEqualTo(1.0);
  }

  @Test
  void fit_farOutliers_areNoiseWithHighOutlierScores() {
    Blobs.Data blobs = Blobs.gaussian(400, 2, 2, 0.2, 5, 0, 2);
    double[] coords = Arrays.copyOf(blobs.coords(), blobs.coords().length + 4);
    coords[800] = 100;
    coords[801] = 100;
    coords[802] = -100;
    coords[803] = 100;
    HdbscanModel model = trainer(HdbscanOptions.of(60, 5)).fit(coords, 2);
    assertThat(model.labels()[400]).isEqualTo(HdbscanModel.NOISE);
    assertThat(model.labels()[401]).isEqualTo(HdbscanModel.NOISE);
    assertThat(model.outlierScores()[400]).isGreaterThan(0.9);
    assertThat(model.clusterCount()).isEqualTo(2);
  }

  @ParameterizedTest
  @CsvSource({"1500, 2, 5, 0.6, 15, 5, 11", "2000, 5, 6, 0.8, 25, 10, 12", "1200, 3, 3, 1.5, 10, 4, 13", "1000, 4, 8, 1.0, 5, 5, 14"})
  void fit_sameDataAsTribuo_givesTheSameClusters(int n, int dim, int k, double sd, int minClusterSize, int minSamples, long seed) {
    Blobs.Data data = Blobs.gaussian(n, dim, k, sd, 10, 0.05, seed);
    int[] ours = trainer(HdbscanOptions.of(minClusterSize, minSamples)).fit(data.coords(), dim).labels();
    int[] tribuo = TribuoHdbscan.cluster(data.coords(), dim, minClusterSize, minSamples);
    assertThat(ClusteringMetrics.ari(tribuo, ours)).isGreaterThan(0.999);
    assertThat(Arrays.stream(ours).filter(l -> l < 0).count()).isEqualTo(Arrays.stream(tribuo).filter(l -> l < 0).count());
  }

  @Test
  void fit_oneAndTwoThreads_identicalModels() {
    Blobs.Data data = Blobs.gaussian(5000, 5, 10, 1.0, 10, 0.1, 3);
    HdbscanOptions options = HdbscanOptions.of(30, 10);
    HdbscanModel one = new HdbscanTrainer(options, ComputePool.sequential()).fit(data.coords(), 5);
    HdbscanModel two;
    try (ComputePool pool = ComputePool.of(2)) {
      two = new HdbscanTrainer(options, pool).fit(data.coords(), 5);
    }
    assertThat(two.labels()).isEqualTo(one.labels());
    assertThat(two.probabilities()).isEqualTo(one.probabilities());
    assertThat(two.outlierScores()).isEqualTo(one.outlierScores());
    assertThat(two.stabilities()).isEqualTo(one.stabilities());
    assertThat(two.mstWeight()).isEqualTo(one.mstWeight());
  }

  @Test
  void fit_sideDissolvingAtItsBirthLevel_isNoCluster() {
    // Minimum samples 1: the MST is the chain 0-3-6-7-8 at weights 3, 3, 1, 1. Cut at 3, {0, 3}
    // falls apart at that very level: no split, only the root remains, hence no cluster (Tribuo agrees).
    double[] coords = {0, 3, 6, 7, 8};
    HdbscanModel model = trainer(HdbscanOptions.of(2, 1)).fit(coords, 1);
    assertThat(model.clusterCount()).isZero();
    assertThat(model.labels()).containsOnly(HdbscanModel.NOISE);
    assertThat(TribuoHdbscan.cluster(coords, 1, 2, 1)).containsOnly(HdbscanModel.NOISE);
  }

  @Test
  void fit_tieAtASplit_theClusterContinuesAsTribuoHasIt() {
    // {0, 3, 6, 7, 8} and {20, 21, 22} split at 12; inside the first, {0, 3} dissolves at 3 and the
    // cluster goes on as {6, 7, 8}: two clusters, the first with all five points.
    double[] coords = {0, 3, 6, 7, 8, 20, 21, 22};
    HdbscanModel model = trainer(HdbscanOptions.of(2, 1)).fit(coords, 1);
    assertThat(model.clusterCount()).isEqualTo(2);
    assertThat(model.labels()).containsExactly(0, 0, 0, 0, 0, 1, 1, 1);
    assertThat(ClusteringMetrics.ari(TribuoHdbscan.cluster(coords, 1, 2, 1), model.labels())).isEqualTo(1.0);
  }

  @ParameterizedTest
  @CsvSource({"5, 3, 37", "10, 5, 38", "20, 5, 39"})
  void fit_manyTiedDistances_everyLabelHasMembersAndTheCountIsTribuos(int minClusterSize, int minSamples, long seed) {
    // Integer coordinates: most mutual-reachability distances tie. Before the fix the partition was
    // already Tribuo's, but 14-19 labels had no member (172, 99 and 19 labels for Tribuo's 153, 85, 5).
    double[] coords = gridBlobs(2000, seed);
    HdbscanModel model = trainer(HdbscanOptions.of(minClusterSize, minSamples)).fit(coords, 2);
    int[] members = new int[model.clusterCount()];
    for (int l : model.labels()) {
      if (l >= 0) {
        members[l]++;
      }
    }
    assertThat(model.clusterCount()).isPositive();
    assertThat(members).doesNotContain(0);
    int[] tribuo = TribuoHdbscan.cluster(coords, 2, minClusterSize, minSamples);
    assertThat(model.clusterCount()).isEqualTo((int) Arrays.stream(tribuo).filter(l -> l >= 0).distinct().count());
    assertThat(ClusteringMetrics.ari(tribuo, model.labels())).isEqualTo(1.0);
  }

  /** Four overlapping blobs rounded to the integer grid. */
  private static double[] gridBlobs(int n, long seed) {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
    double[] x = new double[n * 2];
    for (int i = 0; i < n; i++) {
      int c = i % 4;
      for (int d = 0; d < 2; d++) {
        x[i * 2 + d] = Math.round((c * 7 * (d + 1) % 13) + rng.nextGaussian() * 3);
      }
    }
    return x;
  }

  @Test
  void fit_weightsCountAsMembers() {
    // 3 heavy points (weight 50) per blob stand for 150 members: a cluster with minClusterSize 100.
    double[] coords = {0, 0, 0.1, 0, 0, 0.1, 10, 10, 10.1, 10, 10, 10.1};
    long[] weights = {50, 50, 50, 50, 50, 50};
    HdbscanModel weighted = trainer(HdbscanOptions.of(100, 10)).fit(coords, 2, weights);
    assertThat(weighted.clusterCount()).isEqualTo(2);
    assertThat(weighted.labels()).containsExactly(0, 0, 0, 1, 1, 1);
    HdbscanModel unweighted = trainer(HdbscanOptions.of(100, 10)).fit(coords, 2);
    assertThat(unweighted.clusterCount()).isZero();
  }

  @Test
  void fit_leafSelection_givesAtLeastAsManyClustersAsEom() {
    Blobs.Data data = Blobs.gaussian(3000, 2, 12, 0.9, 10, 0.05, 4);
    HdbscanModel eom = trainer(HdbscanOptions.of(20, 5)).fit(data.coords(), 2);
    HdbscanModel leaf = trainer(HdbscanOptions.of(20, 5).withSelection(HdbscanOptions.Selection.LEAF)).fit(data.coords(), 2);
    assertThat(leaf.clusterCount()).isGreaterThanOrEqualTo(eom.clusterCount());
  }

  @Test
  void options_invalidValues_nameTheParameter() {
    var e = assertThrows(IllegalArgumentException.class, () -> HdbscanOptions.of(1, 5));
    assertThat(e.getMessage()).contains("minClusterSize").contains("1.0");
    assertThrows(IllegalArgumentException.class, () -> HdbscanOptions.of(5, 0));
  }
}
