package dev.parley.insights.hierarchy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.hdbscan.HdbscanOptions.Selection;
import dev.parley.insights.metrics.ClusteringMetrics;
import dev.parley.insights.testing.Blobs;
import dev.parley.insights.vector.VectorizationProvider;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

final class HierarchicalClustererTest {
  /** A two-level schedule small enough for tests. */
  private static HierarchyParams params(double budget0, double budget1) {
    LevelParams top = LevelParams.builder()
        .neighbours(15).umapEpochs(100).minClusterShare(0.05).minClusterFloor(10).minSamples(8)
        .budgetShare(budget0).noiseTolerance(0.15).noisePasses(1)
        .build();
    LevelParams bottom = top.toBuilder()
        .neighbours(10).minClusterShare(0.01).minClusterFloor(8).minSamples(5).budgetShare(budget1).noiseTolerance(0.2)
        .build();
    return HierarchyParams.defaults().withLevels(List.of(top, bottom));
  }

  private static HierarchicalClusterer clusterer() {
    return new HierarchicalClusterer(VectorizationProvider.ops(), ComputePool.sequential());
  }

  @Test
  void fit_wellSeparatedBlobs_leavesAreTheBlobs() {
    Blobs.Data data = Blobs.sphere(3000, 32, 6, 0.05, 0, 1);
    HierarchyResult r = clusterer().fit(data.rows(), params(1.0, 1.0), 42);
    ClusterTree t = r.tree();
    assertThat(t.leaves()).hasSize(6);
    assertThat(ClusteringMetrics.ari(data.labels(), t.pointLeaf())).isGreaterThan(0.99);
    assertTreeInvariants(t, data.rows());
  }

  @Test
  void fit_scatteredOutliers_areNoiseAndKept() {
    Blobs.Data data = Blobs.sphere(3000, 32, 5, 0.05, 0.02, 2);
    HierarchyResult r = clusterer().fit(data.rows(), params(1.0, 1.0).withAttachQuantile(-1), 7);
    int[] leaf = r.tree().pointLeaf();
    assertThat(leaf).hasSize(3000);
    int noiseAsNoise = 0;
    int noise = 0;
    for (int i = 0; i < leaf.length; i++) {
      if (data.labels()[i] < 0) {
        noise++;
        if (leaf[i] == ClusterTree.NOISE) {
          noiseAsNoise++;
        }
      }
    }
    assertThat((double) noiseAsNoise / noise).isGreaterThan(0.9);
    int[][] kept = dev.parley.insights.metrics.ClusteringMetrics.withoutNoise(data.labels(), leaf, ClusterTree.NOISE);
    assertThat(ClusteringMetrics.ari(kept[0], kept[1])).isGreaterThan(0.95);
  }

  @Test
  void fit_sameSeed_equalTrees() {
    Blobs.Data data = Blobs.sphere(2500, 24, 8, 0.5, 0.05, 3);
    HierarchicalClusterer c = clusterer();
    ClusterTree a = c.fit(data.rows(), params(0.05, 0.02), 11).tree();
    ClusterTree b = c.fit(data.rows(), params(0.05, 0.02), 11).tree();
    assertThat(b.pointLeaf()).isEqualTo(a.pointLeaf());
    assertThat(b.nodes()).hasSameSizeAs(a.nodes());
    for (int i = 0; i < a.nodes().size(); i++) {
      assertThat(b.nodes().get(i).memberPoints()).isEqualTo(a.nodes().get(i).memberPoints());
      assertThat(b.nodes().get(i).centroid()).isEqualTo(a.nodes().get(i).centroid());
    }
  }

  @Test
  void fit_megaCluster_isShardedAtTheLastDepth() {
    // One tight blob holding 60% of the points and a small budget at the last depth.
    Blobs.Data big = Blobs.sphere(1800, 16, 1, 0.08, 0, 4);
    Blobs.Data small = Blobs.sphere(1200, 16, 3, 0.05, 0, 5);
    float[][] x = new float[3000][];
    System.arraycopy(big.rows(), 0, x, 0, 1800);
    System.arraycopy(small.rows(), 0, x, 1800, 1200);
    HierarchyParams p = params(0.3, 0.2);
    ClusterTree t = clusterer().fit(x, p, 5).tree();
    assertTreeInvariants(t, x);
    for (ClusterTree.Node leaf : t.leaves()) {
      assertThat(leaf.size()).isLessThanOrEqualTo((int) (0.2 * 3000 * 1.6));
    }
  }

  @Test
  void fit_hierarchyHasCategoriesAndSubcategories() {
    // 3 groups of 4 nearby sub-blobs each.
    java.util.SplittableRandom rng = new java.util.SplittableRandom(6);
    int dim = 32;
    float[][] x = new float[2400][dim];
    int[] group = new int[2400];
    double[][] groupCentre = new double[3][dim];
    for (double[] g : groupCentre) {
      for (int d = 0; d < dim; d++) {
        g[d] = rng.nextGaussian();
      }
    }
    double[][] sub = new double[12][dim];
    for (int s = 0; s < 12; s++) {
      for (int d = 0; d < dim; d++) {
        sub[s][d] = groupCentre[s / 4][d] + 0.35 * rng.nextGaussian();
      }
    }
    for (int i = 0; i < x.length; i++) {
      int s = i % 12;
      group[i] = s / 4;
      double norm = 0;
      for (int d = 0; d < dim; d++) {
        x[i][d] = (float) (sub[s][d] + 0.05 * rng.nextGaussian());
        norm += x[i][d] * x[i][d];
      }
      for (int d = 0; d < dim; d++) {
        x[i][d] /= (float) Math.sqrt(norm);
      }
    }
    LevelParams top = LevelParams.builder()
        .neighbours(15).umapEpochs(100).minClusterShare(0.15).minClusterFloor(10).minSamples(10)
        .budgetShare(0.2).noiseTolerance(0.15).noisePasses(1)
        .build();
    LevelParams bottom = top.toBuilder()
        .neighbours(10).minClusterShare(0.03).minClusterFloor(8).minSamples(5).budgetShare(0.5).noiseTolerance(0.2)
        .build();
    HierarchyParams p = HierarchyParams.defaults().withLevels(List.of(top, bottom));
    ClusterTree t = clusterer().fit(x, p, 1).tree();
    assertTreeInvariants(t, x);
    assertThat(t.nodes().stream().anyMatch(n -> n.depth() == 1)).isTrue();
    assertThat(t.leaves().size()).isGreaterThan(t.roots().size());
  }

  @Test
  void fit_oneAndTwoThreads_equalTrees() {
    // Compression (2 BIRCH partitions), NN-descent (more micro-clusters than exactKnnBelow), noise
    // passes and k-means shards: every parallel stage runs.
    Blobs.Data data = Blobs.sphere(3000, 16, 8, 0.4, 0.05, 9);
    HierarchyParams p = params(0.05, 0.02).withCoreset(2000, 0.5, 1_000_000).toBuilder().exactKnnBelow(500).build();
    ClusterTree one = clusterer().fit(data.rows(), p, 3).tree();
    ClusterTree two;
    try (ComputePool pool = ComputePool.of(2)) {
      two = new HierarchicalClusterer(VectorizationProvider.ops(), pool).fit(data.rows(), p, 3).tree();
    }
    assertThat(two.pointLeaf()).isEqualTo(one.pointLeaf());
    assertThat(two.nodes()).hasSameSizeAs(one.nodes());
    for (int i = 0; i < one.nodes().size(); i++) {
      assertThat(two.nodes().get(i).parent()).isEqualTo(one.nodes().get(i).parent());
      assertThat(two.nodes().get(i).memberPoints()).isEqualTo(one.nodes().get(i).memberPoints());
      assertThat(two.nodes().get(i).centroid()).isEqualTo(one.nodes().get(i).centroid());
    }
  }

  @Test
  void defaults_areTheTunedSchedule() {
    // The defaults are written once, in the builders; this pins them (run.json and --params files
    // of earlier runs rely on them).
    HierarchyParams expected = new HierarchyParams(20_000, 0.05, 1_000_000, 32, 2, 4_000,
        List.of(
            new LevelParams(30, 5, 0.0, 0, 0.02, 15, 10, Selection.EOM, 0.016, 0.05, 0.5, 2),
            new LevelParams(20, 5, 0.0, 0, 0.008, 10, 6, Selection.EOM, 0.007, 0.1, 0.5, 1),
            new LevelParams(15, 5, 0.0, 0, 0.005, 8, 4, Selection.EOM, 0.05, 0.15, 0.5, 1)),
        50, 0.02, 3.0);
    assertThat(HierarchyParams.defaults()).isEqualTo(expected);
    assertThat(expected.toBuilder().build()).isEqualTo(expected);
    assertThat(expected.withAttachQuantile(0.1).attachQuantile()).isEqualTo(0.1);
    assertThat(expected.withAttachQuantile(0.1).withAttachQuantile(0.02)).isEqualTo(expected);
  }

  @Test
  void params_invalid_nameParameter() {
    var e = assertThrows(IllegalArgumentException.class, () -> LevelParams.builder().neighbours(1).build());
    assertThat(e.getMessage()).contains("neighbours").contains(">= 2").contains("1");
    assertThrows(IllegalArgumentException.class, () -> HierarchyParams.defaults().withLevels(List.of()));
  }

  /** Contract of ClusterTree: sizes, leaves cover non-noise points, parents aggregate children, order by distance. */
  static void assertTreeInvariants(ClusterTree t, float[][] x) {
    int[] leafCount = new int[t.nodes().size()];
    for (int leaf : t.pointLeaf()) {
      if (leaf >= 0) {
        assertThat(t.nodes().get(leaf).isLeaf()).isTrue();
        leafCount[leaf]++;
      }
    }
    for (ClusterTree.Node node : t.nodes()) {
      if (node.isLeaf()) {
        assertThat(node.size()).isEqualTo(leafCount[node.index()]);
      } else {
        int sum = node.children().stream().mapToInt(c -> t.nodes().get(c).size()).sum();
        assertThat(node.size()).isEqualTo(sum);
        for (int c : node.children()) {
          assertThat(t.nodes().get(c).parent()).isEqualTo(node.index());
          assertThat(t.nodes().get(c).depth()).isEqualTo(node.depth() + 1);
        }
      }
      double norm = 0;
      for (float v : node.centroid()) {
        norm += v * v;
      }
      assertThat(norm).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-4));
      double prev = -1;
      for (int p : node.memberPoints()) {
        double d = 0;
        for (int k = 0; k < x[p].length; k++) {
          double diff = x[p][k] - node.centroid()[k];
          d += diff * diff;
        }
        assertThat(d).isGreaterThanOrEqualTo(prev - 1e-4);
        prev = d;
      }
    }
    int total = t.roots().stream().mapToInt(ClusterTree.Node::size).sum();
    assertThat(total + t.noiseCount()).isEqualTo(x.length);
    assertThat(Arrays.stream(t.pointLeaf()).filter(l -> l >= 0).count()).isEqualTo(total);
  }
}
