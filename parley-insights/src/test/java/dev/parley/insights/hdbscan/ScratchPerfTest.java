package dev.parley.insights.hdbscan;

import dev.parley.insights.metrics.ClusteringMetrics;
import dev.parley.insights.testing.Blobs;
import org.junit.jupiter.api.Test;

final class ScratchPerfTest {
  @Test
  void perf() {
    for (int n : new int[] {30_000, 30_000, 30_000}) {
      Blobs.Data data = Blobs.gaussian(n, 5, 20, 1.0, 10, 0.05, 7);
      long t0 = System.nanoTime();
      HdbscanModel m = new HdbscanTrainer(HdbscanOptions.of(50, 10)).fit(data.coords(), 5);
      long t1 = System.nanoTime();
      System.out.printf("n=%d time=%.2fs clusters=%d noise=%d ari=%.4f%n", n, (t1 - t0) / 1e9, m.clusterCount(), m.noiseCount(), ClusteringMetrics.ari(data.labels(), m.labels()));
    }
  }
}
