package dev.parley.insights.label;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The label of one node of a cluster tree.
 *
 * @param node index of the node in the tree
 * @param keywords c-TF-IDF keywords, best first (empty when redacted)
 * @param examples input point indexes of representative members, most central first (empty when redacted)
 * @param sampleSize representatives drawn by farthest-point sampling
 * @param fpsCoverage coverage of the farthest-point sample (mean best cosine of members to it)
 * @param randomCoverage coverage of a random sample of the same size (the baseline)
 */
public record NodeLabel(
    int node,
    String label,
    String description,
    List<String> keywords,
    List<Integer> examples,
    LabelSource source,
    int sampleSize,
    double fpsCoverage,
    double randomCoverage) {

  public NodeLabel {
    requireNonNull(label, "label is null");
    requireNonNull(description, "description is null");
    keywords = List.copyOf(requireNonNull(keywords, "keywords is null"));
    examples = List.copyOf(requireNonNull(examples, "examples is null"));
    requireNonNull(source, "source is null");
  }
}
