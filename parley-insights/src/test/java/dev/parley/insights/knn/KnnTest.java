package dev.parley.insights.knn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.testing.Blobs;
import dev.parley.insights.vector.NeighbourGraph;
import dev.parley.insights.vector.VectorizationProvider;
import org.junit.jupiter.api.Test;

final class KnnTest {
  @Test
  void exact_matchesNaiveSearch() {
    float[][] x = Blobs.sphere(300, 16, 5, 0.3, 0.1, 1).rows();
    NeighbourGraph g = ExactKnn.build(x, 5, VectorizationProvider.ops(), ComputePool.sequential());
    for (int i = 0; i < x.length; i += 17) {
      int best = -1;
      float bestD = Float.POSITIVE_INFINITY;
      for (int j = 0; j < x.length; j++) {
        float d = VectorizationProvider.scalar().squaredDistance(x[i], x[j]);
        if (j != i && d < bestD) {
          bestD = d;
          best = j;
        }
      }
      assertThat(g.neighbour(i, 0)).isEqualTo(best);
      assertThat(g.distance(i, 0)).isLessThanOrEqualTo(g.distance(i, 4));
    }
  }

  @Test
  void nnDescent_recallAgainstExactAbove90Percent() {
    float[][] x = Blobs.sphere(3000, 32, 20, 0.08, 0.05, 2).rows();
    NeighbourGraph exact = ExactKnn.build(x, 10, VectorizationProvider.ops(), ComputePool.sequential());
    NeighbourGraph approx = new NnDescent(NnDescent.Options.defaults(10), VectorizationProvider.ops(), ComputePool.sequential())
        .build(x, 7);
    int hits = 0;
    for (int i = 0; i < x.length; i++) {
      java.util.Set<Integer> truth = new java.util.HashSet<>();
      for (int r = 0; r < 10; r++) {
        truth.add(exact.neighbour(i, r));
      }
      for (int r = 0; r < 10; r++) {
        if (truth.contains(approx.neighbour(i, r))) {
          hits++;
        }
      }
    }
    assertThat(hits / (10.0 * x.length)).isGreaterThan(0.9);
  }

  @Test
  void nnDescent_sameSeedSameGraph() {
    float[][] x = Blobs.sphere(2000, 16, 10, 0.1, 0.05, 3).rows();
    NnDescent nn = new NnDescent(NnDescent.Options.defaults(8), VectorizationProvider.ops(), ComputePool.sequential());
    assertThat(nn.build(x, 11).indices()).isEqualTo(nn.build(x, 11).indices());
  }

  @Test
  void twoThreads_sameGraphsAndNearestCentresAsOne() {
    float[][] x = Blobs.sphere(5000, 16, 10, 0.1, 0.05, 6).rows();
    float[][] centres = Blobs.sphere(300, 16, 10, 0.1, 0, 7).rows();
    NnDescent.Options options = NnDescent.Options.defaults(8);
    var ops = VectorizationProvider.ops();
    ComputePool one = ComputePool.sequential();
    try (ComputePool two = ComputePool.of(2)) {
      NeighbourGraph a = new NnDescent(options, ops, one).build(x, 11);
      NeighbourGraph b = new NnDescent(options, ops, two).build(x, 11);
      assertThat(b.indices()).isEqualTo(a.indices());
      assertThat(b.distances()).isEqualTo(a.distances());
      NeighbourGraph ea = ExactKnn.build(x, 8, ops, one);
      NeighbourGraph eb = ExactKnn.build(x, 8, ops, two);
      assertThat(eb.indices()).isEqualTo(ea.indices());
      assertThat(eb.distances()).isEqualTo(ea.distances());
      assertThat(new BruteForceCentreIndex(centres, ops, two).nearestAll(x))
          .isEqualTo(new BruteForceCentreIndex(centres, ops, one).nearestAll(x));
    }
  }

  @Test
  void bruteForceIndex_scalarAndSimdAgree() {
    float[][] centres = Blobs.sphere(500, 384, 10, 0.5, 0, 4).rows();
    float[][] queries = Blobs.sphere(200, 384, 10, 0.5, 0, 5).rows();
    var scalar = new BruteForceCentreIndex(centres, VectorizationProvider.scalar(), ComputePool.sequential());
    var simd = new BruteForceCentreIndex(centres, VectorizationProvider.panama().orElseThrow(), ComputePool.sequential());
    int[] a = scalar.nearestAll(queries);
    int[] b = simd.nearestAll(queries);
    int agree = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] == b[i]) {
        agree++;
      }
      assertThat(scalar.nearest(queries[i], 3)[0]).isEqualTo(a[i]);
    }
    assertThat(agree).isGreaterThanOrEqualTo(198); // float rounding may flip exact near-ties
  }
}
