package dev.parley.insights.hierarchy;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The outcome of {@link HierarchicalClusterer#fit}.
 *
 * @param tree the cluster tree (the contract the labelling and outputs consume)
 * @param microCluster the BIRCH micro-cluster of every input point
 * @param microClusterCount number of micro-clusters (the coreset size)
 * @param birchThreshold final BIRCH radius threshold
 * @param params the parameters used
 * @param coresetBudget the BIRCH budget resolved for this input size
 * @param stageSeconds seconds per stage, in order: {@code birch}, then the summed time of the
 *     hierarchy's {@code knn}, {@code umap}, {@code hdbscan}, {@code kmeans} work (sibling clusters
 *     run in parallel, so these may exceed the wall time of {@code hierarchy}), {@code hierarchy}
 *     (wall), {@code attach}, {@code mapback}, {@code total}
 */
public record HierarchyResult(ClusterTree tree, int[] microCluster, int microClusterCount, double birchThreshold,
                              HierarchyParams params, int coresetBudget, Map<String, Double> stageSeconds) {
  public HierarchyResult {
    requireNonNull(tree, "tree is null");
    requireNonNull(microCluster, "microCluster is null");
    requireNonNull(params, "params is null");
    stageSeconds = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(requireNonNull(stageSeconds, "stageSeconds is null")));
  }
}
