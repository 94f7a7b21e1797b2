package dev.parley.pipeline.assign;

import static java.util.Objects.requireNonNull;

import dev.parley.store.runs.StoredCluster;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tree of a stored run from its clusters' parent links: children per cluster (in the stored order,
 * largest first), leaves, and each cluster's path from its top-level ancestor.
 */
public record RunTree(List<StoredCluster> clusters, Map<String, List<String>> children, Map<String, List<String>> paths) {
  public RunTree {
    clusters = List.copyOf(requireNonNull(clusters, "clusters is null"));
    children = Map.copyOf(requireNonNull(children, "children is null"));
    paths = Map.copyOf(requireNonNull(paths, "paths is null"));
  }

  /** @param clusters parents before children, as {@code ClusterRunRepository.clusters} returns them */
  public static RunTree of(List<StoredCluster> clusters) {
    Map<String, List<String>> children = new LinkedHashMap<>();
    Map<String, String> parent = new HashMap<>();
    for (StoredCluster c : clusters) {
      children.put(c.id(), new ArrayList<>());
      c.parentId().ifPresent(p -> parent.put(c.id(), p));
    }
    for (StoredCluster c : clusters) {
      c.parentId().map(children::get).ifPresent(siblings -> siblings.add(c.id()));
    }
    Map<String, List<String>> paths = paths(clusters.stream().map(StoredCluster::id).toList(), parent);
    Map<String, List<String>> frozen = new LinkedHashMap<>();
    children.forEach((id, list) -> frozen.put(id, List.copyOf(list)));
    return new RunTree(clusters, frozen, paths);
  }

  /**
   * Each cluster's path [top, ..., cluster] from parent links (a top-level cluster has no entry in {@code parent}),
   * for a stored run and a run folder alike.
   */
  public static Map<String, List<String>> paths(List<String> ids, Map<String, String> parent) {
    Map<String, List<String>> paths = new HashMap<>();
    for (String id : ids) {
      List<String> path = new ArrayList<>();
      // Bounded by the cluster count, so a corrupt parent cycle cannot loop forever.
      for (String k = id; k != null && path.size() <= ids.size(); k = parent.get(k)) {
        path.addFirst(k);
      }
      paths.put(id, List.copyOf(path));
    }
    return paths;
  }

  public List<StoredCluster> leaves() {
    return clusters.stream().filter(c -> children.getOrDefault(c.id(), List.of()).isEmpty()).toList();
  }

  public List<String> path(String clusterId) {
    return paths.getOrDefault(clusterId, List.of(clusterId));
  }
}
