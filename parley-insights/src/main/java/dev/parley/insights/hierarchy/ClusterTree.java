package dev.parley.insights.hierarchy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * The result of a hierarchical clustering run over N input points, in the original embedding space.
 *
 * <p>Nodes form a forest: top-level categories have {@code parent == -1}; leaves have no children.
 * Every input point maps to exactly one leaf, or to noise ({@code pointLeaf[i] == NOISE}); noise is
 * kept, never dropped.
 *
 * @param nodes all nodes; {@code nodes.get(k).index() == k}; parents come before their children
 * @param pointLeaf for each input point, the index of its leaf node, or {@link #NOISE}
 * @param dimension dimension of the original embedding space
 */
public record ClusterTree(List<Node> nodes, int[] pointLeaf, int dimension) {
  public static final int NOISE = -1;

  /**
   * One cluster.
   *
   * @param index position in {@link ClusterTree#nodes()}
   * @param parent parent index, or -1 for a top-level node
   * @param depth 0 for top level
   * @param size number of input points under this node (noise excluded)
   * @param children child indexes (empty for leaves)
   * @param centroid L2-normalised mean of the members' original embeddings
   * @param memberPoints input point indexes under this node, ordered by distance to the centroid (closest first)
   */
  public record Node(int index, int parent, int depth, int size, List<Integer> children, float[] centroid, int[] memberPoints) {
    public Node {
      children = List.copyOf(requireNonNull(children, "children is null"));
      requireNonNull(centroid, "centroid is null");
      requireNonNull(memberPoints, "memberPoints is null");
      if (size != memberPoints.length) {
        throw new IllegalArgumentException("size must equal memberPoints.length, expected " + memberPoints.length + ", found " + size);
      }
    }

    public boolean isLeaf() {
      return children.isEmpty();
    }
  }

  public ClusterTree {
    nodes = List.copyOf(requireNonNull(nodes, "nodes is null"));
    requireNonNull(pointLeaf, "pointLeaf is null");
    for (int k = 0; k < nodes.size(); k++) {
      if (nodes.get(k).index() != k) {
        throw new IllegalArgumentException("node at position " + k + " has index " + nodes.get(k).index());
      }
    }
  }

  public List<Node> leaves() {
    return nodes.stream().filter(Node::isLeaf).toList();
  }

  public List<Node> roots() {
    return nodes.stream().filter(n -> n.parent() == -1).toList();
  }

  /** Node indexes from the top-level ancestor down to {@code node}. */
  public List<Integer> path(int node) {
    List<Integer> path = new ArrayList<>();
    for (int k = node; k != -1; k = nodes.get(k).parent()) {
      path.add(0, k);
    }
    return path;
  }

  public int noiseCount() {
    int count = 0;
    for (int leaf : pointLeaf) {
      if (leaf == NOISE) {
        count++;
      }
    }
    return count;
  }

  public double noiseShare() {
    return pointLeaf.length == 0 ? 0 : (double) noiseCount() / pointLeaf.length;
  }
}
