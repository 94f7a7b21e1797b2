package dev.parley.cli.runs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import dev.parley.insights.hierarchy.ClusterTree;
import dev.parley.insights.hierarchy.HierarchicalClusterer;
import dev.parley.insights.hierarchy.HierarchyParams;
import dev.parley.insights.hierarchy.HierarchyResult;
import java.util.Optional;

/**
 * The run pipeline's clustering: {@link HierarchicalClusterer} (BIRCH coreset, UMAP and weighted HDBSCAN
 * per depth) with {@link HierarchyParams}, every one of which run.json records.
 */
public final class HierarchyEngine implements ClusterEngine {
  private final HierarchyParams params;
  private final HierarchicalClusterer clusterer = new HierarchicalClusterer();
  private HierarchyResult last;

  public HierarchyEngine() {
    this(HierarchyParams.defaults());
  }

  public HierarchyEngine(HierarchyParams params) {
    this.params = requireNonNull(params, "params is null");
  }

  @Override
  public ObjectNode parameters() {
    ObjectNode node = Json.object();
    node.put("engine", "hierarchical-birch-umap-hdbscan");
    node.setAll(ClusterSettings.snakeCase(params));
    return node;
  }

  @Override
  public ClusterTree cluster(float[][] vectors, long seed) {
    last = clusterer.fit(vectors, params, seed);
    return last.tree();
  }

  /** What the last {@link #cluster} call measured (coreset size, BIRCH threshold, seconds per stage). */
  public Optional<ObjectNode> lastDetails() {
    if (last == null) {
      return Optional.empty();
    }
    ObjectNode node = Json.object();
    node.put("micro_clusters", last.microClusterCount());
    node.put("coreset_budget", last.coresetBudget());
    node.put("birch_threshold", last.birchThreshold());
    ObjectNode seconds = node.putObject("stage_seconds");
    last.stageSeconds().forEach((stage, s) -> seconds.put(stage, Math.round(s * 1000) / 1000.0));
    return Optional.of(node);
  }
}
