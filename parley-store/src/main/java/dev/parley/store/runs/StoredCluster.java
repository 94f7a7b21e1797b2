package dev.parley.store.runs;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One cluster of a stored run (table {@code cluster_run_clusters}).
 *
 * @param centroid the L2-normalised centroid, for leaves
 * @param admissionThreshold for leaves, the cosine to the centroid that 95 % of the leaf's members reach:
 *     online assignment calls a text below it noise (empty for parents and for runs stored before V6)
 */
public record StoredCluster(
    String id,
    Optional<String> parentId,
    int depth,
    int size,
    String label,
    String description,
    List<String> keywords,
    List<String> examples,
    String labelSource,
    int users,
    int conversations,
    boolean redacted,
    Optional<float[]> centroid,
    OptionalDouble admissionThreshold) {

  public StoredCluster {
    requireNonNull(id, "id is null");
    requireNonNull(parentId, "parentId is null");
    requireNonNull(label, "label is null");
    requireNonNull(description, "description is null");
    keywords = List.copyOf(requireNonNull(keywords, "keywords is null"));
    examples = List.copyOf(requireNonNull(examples, "examples is null"));
    requireNonNull(labelSource, "labelSource is null");
    requireNonNull(centroid, "centroid is null");
    requireNonNull(admissionThreshold, "admissionThreshold is null");
  }
}
