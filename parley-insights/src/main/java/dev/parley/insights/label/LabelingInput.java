package dev.parley.insights.label;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.hierarchy.ClusterTree;
import java.util.List;
import java.util.Set;

/**
 * What the labeller reads.
 *
 * @param tree the clusters
 * @param vectors the input points' L2-normalised embeddings (the tree's original space)
 * @param texts for each input point, the text that stands for it (a segment summary or the item text)
 * @param redacted node indexes that the privacy rule withholds: they get no label text or examples
 */
public record LabelingInput(ClusterTree tree, float[][] vectors, List<String> texts, Set<Integer> redacted) {
  public LabelingInput {
    requireNonNull(tree, "tree is null");
    requireNonNull(vectors, "vectors is null");
    texts = List.copyOf(requireNonNull(texts, "texts is null"));
    redacted = Set.copyOf(requireNonNull(redacted, "redacted is null"));
    if (vectors.length != texts.size()) {
      throw new IllegalArgumentException("texts must have one entry per vector, expected " + vectors.length + ", found " + texts.size());
    }
    if (tree.pointLeaf().length != vectors.length) {
      throw new IllegalArgumentException("tree must cover every vector, expected " + vectors.length + " points, found " + tree.pointLeaf().length);
    }
  }
}
