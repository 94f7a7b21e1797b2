package dev.parley.bench.cluster;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.hierarchy.ClusterTree;
import dev.parley.insights.hierarchy.HierarchicalClusterer;
import dev.parley.insights.hierarchy.HierarchyParams;
import dev.parley.insights.hierarchy.HierarchyResult;
import dev.parley.insights.metrics.ClusteringMetrics;
import dev.parley.insights.vector.VectorizationProvider;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole clustering pipeline on a synthetic sphere mixture: seconds and peak heap per stage, the
 * BIRCH throughput, and ARI of the leaves against the known labels. Used by {@code ./parley bench
 * cluster}; see docs/benchmarks.md for recorded runs.
 */
public final class ClusterBench {
  private ClusterBench() {}

  /**
   * Result of one run.
   *
   * @param stageSeconds seconds per stage (see {@code HierarchyResult.stageSeconds})
   * @param stagePeakHeapMb peak heap per top-level stage (sum of heap pool peaks since the previous stage)
   * @param birchPointsPerSecond BIRCH throughput, the time to generate the synthetic points (measured
   *     apart, in parallel) subtracted
   * @param ariAll ARI of leaves vs true labels, noise counted as one cluster on both sides
   * @param ariClustered ARI on points that are neither true noise nor predicted noise
   */
  public record Result(int n, int dim, int k, int microClusters, int leaves, int nodes, double noiseShare,
                       Map<String, Double> stageSeconds, Map<String, Double> stagePeakHeapMb,
                       double birchPointsPerSecond, double ariAll, double ariClustered, double generateSeconds) {}

  public static Result run(int n, int dim, int k, double noise, double spread, long seed, HierarchyParams params) {
    SyntheticSphere data = new SyntheticSphere(n, dim, k, noise, spread, seed);
    // Generation cost alone (one pass in parallel), to separate it from BIRCH's own time.
    long g0 = System.nanoTime();
    java.util.stream.IntStream.range(0, Math.min(data.chunkCount(), 8)).parallel().forEach(data::chunk);
    double generateSeconds = (System.nanoTime() - g0) / 1e9 * data.chunkCount() / Math.min(data.chunkCount(), 8);
    Map<String, Double> peaks = new LinkedHashMap<>();
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    System.gc();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    HierarchyResult r;
    try (ComputePool pool = ComputePool.of(Runtime.getRuntime().availableProcessors())) {
      r = new HierarchicalClusterer(VectorizationProvider.ops(), pool).fit(data, params, seed, (stage, seconds) -> {
      long sum = 0;
      for (MemoryPoolMXBean p : heap) {
        sum += p.getPeakUsage().getUsed();
        p.resetPeakUsage();
      }
      peaks.put(stage, sum / 1048576.0);
      });
    }
    ClusterTree tree = r.tree();
    int[] truth = data.labels();
    int[] predicted = tree.pointLeaf();
    double ariAll = ClusteringMetrics.ari(truth, predicted);
    int kept = 0;
    for (int i = 0; i < n; i++) {
      if (truth[i] >= 0 && predicted[i] >= 0) {
        kept++;
      }
    }
    int[] t = new int[kept];
    int[] p = new int[kept];
    int j = 0;
    for (int i = 0; i < n; i++) {
      if (truth[i] >= 0 && predicted[i] >= 0) {
        t[j] = truth[i];
        p[j++] = predicted[i];
      }
    }
    double ariClustered = ClusteringMetrics.ari(t, p);
    double birch = requireNonNull(r.stageSeconds().get("birch"), "the clusterer times its birch stage");
    return new Result(n, dim, k, r.microClusterCount(), tree.leaves().size(), tree.nodes().size(), tree.noiseShare(),
        r.stageSeconds(), peaks, n / Math.max(1e-9, birch - generateSeconds), ariAll, ariClustered, generateSeconds);
  }
}
