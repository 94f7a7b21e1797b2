package dev.parley.pipeline.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.hierarchy.HierarchicalClusterer;
import dev.parley.insights.hierarchy.HierarchyParams;
import dev.parley.insights.hierarchy.HierarchyResult;
import dev.parley.insights.vector.VectorizationProvider;
import dev.parley.pipeline.config.HierarchyParamsFile;

/**
 * The run pipeline's clustering: {@link HierarchicalClusterer} (BIRCH coreset, UMAP and weighted HDBSCAN
 * per depth) with {@link HierarchyParams}, every one of which run.json records.
 */
public final class HierarchyEngine implements ClusterEngine {
  public static final String NAME = "hierarchical-birch-umap-hdbscan";

  private final HierarchyParams params;
  private final HierarchicalClusterer clusterer;

  /** @param pool the threads the clustering may use; the caller owns and closes it */
  public HierarchyEngine(HierarchyParams params, ComputePool pool) {
    this.params = requireNonNull(params, "params is null");
    this.clusterer = new HierarchicalClusterer(VectorizationProvider.ops(), requireNonNull(pool, "pool is null"));
  }

  public HierarchyParams params() {
    return params;
  }

  @Override
  public ObjectNode parameters() {
    return HierarchyParamsFile.toJson(params);
  }

  @Override
  public Result cluster(float[][] vectors, long seed) {
    HierarchyResult result = clusterer.fit(vectors, params, seed);
    ObjectNode details = Json.object();
    details.put("micro_clusters", result.microClusterCount());
    details.put("coreset_budget", result.coresetBudget());
    details.put("birch_threshold", result.birchThreshold());
    ObjectNode seconds = details.putObject("stage_seconds");
    result.stageSeconds().forEach((stage, s) -> seconds.put(stage, Math.round(s * 1000) / 1000.0));
    return new Result(result.tree(), details);
  }
}
