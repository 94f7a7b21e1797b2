package dev.parley.cli.runs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.insights.hierarchy.ClusterTree;

/** Builds the cluster tree of a run from L2-normalised vectors. */
public interface ClusterEngine {
  /** Every parameter of the clustering (budgets, tolerances, per-depth schedule), for {@code run.json}. */
  ObjectNode parameters();

  ClusterTree cluster(float[][] vectors, long seed);
}
