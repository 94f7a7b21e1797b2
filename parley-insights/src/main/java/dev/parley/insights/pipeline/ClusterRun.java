package dev.parley.insights.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The content of a cluster run folder, before it is written: the labelled tree, every input's
 * assignment and the leaf centroids.
 *
 * @param clusters parents before children, siblings largest first
 * @param assignments one per input, in input order
 */
public record ClusterRun(List<RunCluster> clusters, List<RunAssignment> assignments, RunCentroids centroids) {
  public ClusterRun {
    clusters = List.copyOf(requireNonNull(clusters, "clusters is null"));
    assignments = List.copyOf(requireNonNull(assignments, "assignments is null"));
    requireNonNull(centroids, "centroids is null");
  }

  public long noiseCount() {
    return assignments.stream().filter(RunAssignment::isNoise).count();
  }

  public double noiseShare() {
    return assignments.isEmpty() ? 0 : (double) noiseCount() / assignments.size();
  }

  public long leafCount() {
    return clusters.stream().filter(RunCluster::isLeaf).count();
  }
}
