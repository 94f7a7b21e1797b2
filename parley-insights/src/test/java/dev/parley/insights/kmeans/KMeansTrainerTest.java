package dev.parley.insights.kmeans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.metrics.ClusteringMetrics;
import dev.parley.insights.testing.Blobs;
import dev.parley.insights.vector.VectorizationProvider;
import org.junit.jupiter.api.Test;

final class KMeansTrainerTest {
  @Test
  void fit_separatedBlobs_recoversThem() {
    Blobs.Data data = Blobs.gaussian(900, 4, 3, 0.3, 20, 0, 1);
    KMeansModel m = new KMeansTrainer(KMeansOptions.of(3).withRestarts(3), VectorizationProvider.ops(), ComputePool.sequential()).fit(data.rows(), 5);
    assertThat(ClusteringMetrics.ari(data.labels(), m.assignments())).isEqualTo(1.0);
    assertThat(m.predict(data.rows()[0])).isEqualTo(m.assignments()[0]);
  }

  @Test
  void fit_weightsPullTheCentroid() {
    float[][] x = {{0f}, {10f}};
    KMeansModel m = new KMeansTrainer(KMeansOptions.of(1), VectorizationProvider.ops(), ComputePool.sequential()).fit(x, new double[] {9, 1}, 1);
    assertThat(m.centroids()[0][0]).isEqualTo(1.0f);
  }

  @Test
  void fit_sameSeedSameModel() {
    Blobs.Data data = Blobs.gaussian(500, 3, 5, 1.0, 5, 0, 2);
    KMeansTrainer t = new KMeansTrainer(KMeansOptions.of(5), VectorizationProvider.ops(), ComputePool.sequential());
    assertThat(t.fit(data.rows(), 9).assignments()).isEqualTo(t.fit(data.rows(), 9).assignments());
  }

  @Test
  void options_invalid_nameParameter() {
    var e = assertThrows(IllegalArgumentException.class, () -> KMeansOptions.of(0));
    assertThat(e.getMessage()).contains("k must be >= 1").contains("0");
  }
}
