package dev.parley.pipeline.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.insights.hierarchy.ClusterTree;

/** Builds the cluster tree of a run from L2-normalised vectors. */
public interface ClusterEngine {
  /**
   * A clustering and what it measured on the way (coreset size, thresholds, seconds per step), kept with the
   * tree so that a resumed run writes the same run.json as the run that computed it.
   */
  record Result(ClusterTree tree, ObjectNode details) {
    public Result {
      requireNonNull(tree, "tree is null");
      requireNonNull(details, "details is null");
    }
  }

  /** Every parameter of the clustering (budgets, tolerances, per-depth schedule), for {@code run.json}. */
  ObjectNode parameters();

  Result cluster(float[][] vectors, long seed);
}
