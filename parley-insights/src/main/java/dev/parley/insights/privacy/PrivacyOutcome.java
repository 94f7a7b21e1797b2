package dev.parley.insights.privacy;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.hierarchy.ClusterTree;
import java.util.List;
import java.util.Set;

/**
 * The tree after the privacy rule, and what was done to it.
 *
 * @param tree the rewritten tree: every point keeps a leaf (or noise), sizes and centroids are exact
 * @param redacted nodes of {@link #tree} still under the threshold after merging: shown without label or examples
 * @param origin for each node of {@link #tree}, the index of the node it was in the input tree, or -1 for a
 *     node made by merging small siblings
 * @param users distinct users per node of {@link #tree}
 * @param conversations distinct conversations per node of {@link #tree}
 * @param mergedNodes input nodes that were merged into a sibling group or into their parent
 */
public record PrivacyOutcome(
    ClusterTree tree, Set<Integer> redacted, List<Integer> origin, List<Integer> users, List<Integer> conversations, int mergedNodes) {
  public PrivacyOutcome {
    requireNonNull(tree, "tree is null");
    redacted = Set.copyOf(requireNonNull(redacted, "redacted is null"));
    origin = List.copyOf(requireNonNull(origin, "origin is null"));
    users = List.copyOf(requireNonNull(users, "users is null"));
    conversations = List.copyOf(requireNonNull(conversations, "conversations is null"));
  }
}
