package dev.parley.bench.cluster;

import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.hdbscan.HdbscanModel;
import dev.parley.insights.hdbscan.HdbscanOptions;
import dev.parley.insights.hdbscan.HdbscanTrainer;
import dev.parley.insights.metrics.ClusteringMetrics;

/**
 * Parley's HDBSCAN* against Tribuo's on the same 5-D blobs, in the same run: seconds of each, the
 * speed ratio, and the agreement of their clusterings (ARI, noise counts).
 */
public final class HdbscanComparison {
  /*
   * Both sides are timed warm, as JMH would: on 2 cores the JIT compiles on one core while the first
   * fits run, and a single warm-up fit left the timed fits of a 0.1 s algorithm in the slow phase
   * (fit times in one JVM: 0.49, 0.29, 0.18, 0.20, 0.18, 0.17, 0.13, 0.11 s). Tribuo's 10 s run is
   * dominated by its steady state, but it gets a warm-up fit on a subset too, so neither side is
   * charged for compilation.
   */
  static final int WARMUP_FITS = 8;
  static final double WARMUP_SECONDS = 2.0;

  private HdbscanComparison() {}

  /**
   * One size's figures.
   *
   * @param parleySeconds median of {@code repeats} timed runs after a warm-up of at least
   *     {@link #WARMUP_FITS} fits and {@link #WARMUP_SECONDS} seconds
   * @param tribuoSeconds one run (it is quadratic) after a warm-up fit on a 3,000-point subset, or NaN when skipped
   */
  public record Result(int n, int dim, int minClusterSize, int minSamples, double parleySeconds, double tribuoSeconds,
                       double speedup, double ariVsTribuo, int parleyClusters, int parleyNoise, int tribuoNoise) {}

  public static Result run(int n, int dim, int k, int minClusterSize, int minSamples, boolean withTribuo, int repeats, long seed) {
    // Every core, as the clustering pass runs; Tribuo's baseline runs as its library does.
    try (ComputePool pool = ComputePool.of(Runtime.getRuntime().availableProcessors())) {
      return run(pool, n, dim, k, minClusterSize, minSamples, withTribuo, repeats, seed);
    }
  }

  private static Result run(ComputePool pool, int n, int dim, int k, int minClusterSize, int minSamples, boolean withTribuo, int repeats,
      long seed) {
    double[] coords = Blobs5d.generate(n, dim, k, seed);
    HdbscanTrainer trainer = new HdbscanTrainer(HdbscanOptions.of(minClusterSize, minSamples), pool);
    HdbscanModel ours = trainer.fit(coords, dim);
    long warmupStart = System.nanoTime();
    for (int w = 1; w < WARMUP_FITS || (System.nanoTime() - warmupStart) / 1e9 < WARMUP_SECONDS; w++) {
      ours = trainer.fit(coords, dim);
    }
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
    int warmupPoints = Math.min(n, 3_000);
    double[] warmupCoords = java.util.Arrays.copyOf(coords, warmupPoints * dim);
    TribuoHdbscanBaseline.cluster(warmupCoords, dim, minClusterSize, minSamples);
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
