package dev.parley.insights.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One cluster of a finished run, as written to {@code clusters.json} (DESIGN §4).
 *
 * @param id stable within the run: {@code c<i>} for top-level clusters, the parent's id plus {@code .<i>}
 *     below; siblings are numbered by size, largest first
 * @param parent the parent's id; empty for a top-level cluster
 * @param children child ids, largest first
 * @param examples texts of representative members (empty when redacted)
 * @param labelSource {@code llm}, {@code offline}, {@code offline-fallback} or {@code redacted}
 * @param users distinct users among the members
 * @param conversations distinct conversations among the members
 * @param redacted true when the privacy rule withholds label and examples
 * @param merged true for a cluster made by merging sibling clusters too small to show
 */
public record RunCluster(
    String id,
    Optional<String> parent,
    int depth,
    int size,
    List<String> children,
    String label,
    String description,
    List<String> keywords,
    List<String> examples,
    String labelSource,
    int users,
    int conversations,
    boolean redacted,
    boolean merged) {

  public RunCluster {
    requireNonNull(id, "id is null");
    requireNonNull(parent, "parent is null");
    children = List.copyOf(requireNonNull(children, "children is null"));
    requireNonNull(label, "label is null");
    requireNonNull(description, "description is null");
    keywords = List.copyOf(requireNonNull(keywords, "keywords is null"));
    examples = List.copyOf(requireNonNull(examples, "examples is null"));
    requireNonNull(labelSource, "labelSource is null");
  }

  public boolean isLeaf() {
    return children.isEmpty();
  }
}
