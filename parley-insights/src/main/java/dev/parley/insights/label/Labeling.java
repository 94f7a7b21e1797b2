package dev.parley.insights.label;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Labels of every node of a tree, plus what labelling cost and how well the samples covered the clusters.
 *
 * @param labels one per node, in node order
 */
public record Labeling(List<NodeLabel> labels, LabelingStats stats) {
  public Labeling {
    labels = List.copyOf(requireNonNull(labels, "labels is null"));
    requireNonNull(stats, "stats is null");
  }
}
