package dev.parley.bench.cluster;

import dev.parley.insights.hdbscan.HdbscanModel;
import dev.parley.insights.hdbscan.HdbscanOptions;
import dev.parley.insights.hdbscan.HdbscanTrainer;
import dev.parley.insights.metrics.ClusteringMetrics;

/**
 * Parley's HDBSCAN* against Tribuo's on the same 5-D blobs, in the same run: seconds of each, the
 * speed ratio, and the agreement of their clusterings (ARI, noise counts).
 */
public final class HdbscanComparison {
  private HdbscanComparison() {}

  /**
   * @param parleySeconds median of {@code repeats} timed runs after one warm-up run
   * @param tribuoSeconds one run (it is quadratic), or NaN when skipped
   */
  public record Result(int n, int dim, int minClusterSize, int minSamples, double parleySeconds, double tribuoSeconds,
                       double speedup, double ariVsTribuo, int parleyClusters, int parleyNoise, int tribuoNoise) {}

  public static Result run(int n, int dim, int k, int minClusterSize, int minSamples, boolean withTribuo, int repeats, long seed) {
    double[] coords = Blobs5d.generate(n, dim, k, seed);
    HdbscanTrainer trainer = new HdbscanTrainer(HdbscanOptions.of(minClusterSize, minSamples));
    HdbscanModel ours = trainer.fit(coords, dim); // warm-up
    double[] times = new double[Math.max(1, repeats)];
    for (int r = 0; r < times.length; r++) {
      long t0 = System.nanoTime();
      ours = trainer.fit(coords, dim);
      times[r] = (System.nanoTime() - t0) / 1e9;
    }
    java.util.Arrays.sort(times);
    double parley = times[times.length / 2];
    if (!withTribuo) {
      return new Result(n, dim, minClusterSize, minSamples, parley, Double.NaN, Double.NaN, Double.NaN,
          ours.clusterCount(), ours.noiseCount(), -1);
    }
    long t0 = System.nanoTime();
    int[] tribuo = TribuoHdbscanBaseline.cluster(coords, dim, minClusterSize, minSamples);
    double tribuoSeconds = (System.nanoTime() - t0) / 1e9;
    int tribuoNoise = 0;
    for (int l : tribuo) {
      if (l < 0) {
        tribuoNoise++;
      }
    }
    return new Result(n, dim, minClusterSize, minSamples, parley, tribuoSeconds, tribuoSeconds / parley,
        ClusteringMetrics.ari(tribuo, ours.labels()), ours.clusterCount(), ours.noiseCount(), tribuoNoise);
  }
}
