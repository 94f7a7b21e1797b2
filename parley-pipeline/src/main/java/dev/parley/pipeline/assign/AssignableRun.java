package dev.parley.pipeline.assign;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.pipeline.RunCentroids;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A finished run as online assignment needs it: its leaf centroids with their admission thresholds, and each
 * cluster's path and label. Read from a run folder ({@link RunFolderRuns}) or from the store
 * ({@link AssignableRuns}), which hold the same run.
 *
 * @param noiseThresholds true when every leaf has its admission threshold (a text below it is noise); runs
 *     stored before thresholds were stored have none, and every text then goes to its nearest leaf
 * @param paths cluster id to its path [top, ..., cluster]
 * @param labels cluster id to its label
 * @param sizes cluster id to its member count in the run
 */
public record AssignableRun(String runId, RunCentroids centroids, boolean noiseThresholds, Map<String, List<String>> paths,
    Map<String, String> labels, Map<String, Integer> sizes) {
  public AssignableRun {
    requireNonNull(runId, "runId is null");
    requireNonNull(centroids, "centroids is null");
    paths = Map.copyOf(requireNonNull(paths, "paths is null"));
    labels = Map.copyOf(requireNonNull(labels, "labels is null"));
    sizes = Map.copyOf(requireNonNull(sizes, "sizes is null"));
  }

  public List<String> path(String clusterId) {
    return paths.getOrDefault(clusterId, List.of(clusterId));
  }

  public Optional<String> label(String clusterId) {
    return Optional.ofNullable(labels.get(clusterId));
  }

  public OptionalInt size(String clusterId) {
    Integer size = sizes.get(clusterId);
    return size == null ? OptionalInt.empty() : OptionalInt.of(size);
  }
}
