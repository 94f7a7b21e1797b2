package dev.parley.insights.pipeline;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.hierarchy.ClusterTree.Node;
import dev.parley.insights.hierarchy.ClusterTree;
import dev.parley.insights.label.Labeling;
import dev.parley.insights.label.NodeLabel;
import dev.parley.insights.privacy.PrivacyOutcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Turns a privacy-checked, labelled tree into the records of a run folder (DESIGN §4). */
public final class RunAssembler {
  private RunAssembler() {}

  /**
   * @param ids input ids, one per point
   * @param texts the text standing for each point (examples are drawn from these)
   * @param privacy the tree after the privacy rule, with per-node counts
   * @param labeling labels of {@code privacy.tree()}'s nodes
   * @param vectors the points' L2-normalised embeddings (for the leaves' admission thresholds)
   * @param model embedding model id (recorded with the centroids)
   */
  public static ClusterRun assemble(
      List<String> ids, List<String> texts, float[][] vectors, PrivacyOutcome privacy, Labeling labeling, String model) {
    requireNonNull(vectors, "vectors is null");
    requireNonNull(ids, "ids is null");
    requireNonNull(texts, "texts is null");
    requireNonNull(privacy, "privacy is null");
    requireNonNull(labeling, "labeling is null");
    requireNonNull(model, "model is null");
    ClusterTree tree = privacy.tree();
    int n = tree.pointLeaf().length;
    if (ids.size() != n || texts.size() != n) {
      throw new IllegalArgumentException("ids and texts must have one entry per point, expected " + n + ", found " + ids.size() + " and " + texts.size());
    }
    if (labeling.labels().size() != tree.nodes().size()) {
      throw new IllegalArgumentException("labeling must have one label per node, expected " + tree.nodes().size() + ", found " + labeling.labels().size());
    }
    String[] clusterIds = clusterIds(tree);
    List<RunCluster> clusters = new ArrayList<>(tree.nodes().size());
    for (int k : preorder(tree)) {
      Node node = tree.nodes().get(k);
      NodeLabel label = labeling.labels().get(k);
      List<String> examples = label.examples().stream().map(texts::get).toList();
      clusters.add(new RunCluster(
          clusterIds[k],
          node.parent() == -1 ? Optional.empty() : Optional.of(clusterIds[node.parent()]),
          node.depth(),
          node.size(),
          bySize(tree, node.children()).stream().map(c -> clusterIds[c]).toList(),
          label.label(),
          label.description(),
          label.keywords(),
          examples,
          label.source().wireName(),
          privacy.users().get(k),
          privacy.conversations().get(k),
          privacy.redacted().contains(k),
          privacy.origin().get(k) == -1));
    }
    List<RunAssignment> assignments = new ArrayList<>(n);
    for (int p = 0; p < n; p++) {
      int leaf = tree.pointLeaf()[p];
      if (leaf == ClusterTree.NOISE) {
        assignments.add(new RunAssignment(ids.get(p), RunAssignment.NOISE, List.of()));
      } else {
        assignments.add(new RunAssignment(ids.get(p), clusterIds[leaf], tree.path(leaf).stream().map(k -> clusterIds[k]).toList()));
      }
    }
    List<String> leafIds = new ArrayList<>();
    List<float[]> leafVectors = new ArrayList<>();
    List<Double> thresholds = new ArrayList<>();
    for (int k : preorder(tree)) {
      Node node = tree.nodes().get(k);
      if (node.isLeaf()) {
        leafIds.add(clusterIds[k]);
        leafVectors.add(node.centroid().clone());
        thresholds.add(admissionThreshold(node, vectors));
      }
    }
    return new ClusterRun(clusters, assignments, new RunCentroids(leafIds, tree.dimension(), model,
        leafVectors.toArray(float[][]::new), thresholds.stream().mapToDouble(Double::doubleValue).toArray()));
  }

  /** The cosine similarity to the centroid that {@link RunCentroids#ADMITTED_SHARE} of the members reach. */
  static double admissionThreshold(Node node, float[][] vectors) {
    int[] members = node.memberPoints();
    if (members.length == 0) {
      return 1;
    }
    double[] sims = new double[members.length];
    for (int i = 0; i < members.length; i++) {
      float[] v = vectors[members[i]];
      double s = 0;
      for (int d = 0; d < v.length; d++) {
        s += v[d] * node.centroid()[d];
      }
      sims[i] = s;
    }
    java.util.Arrays.sort(sims);
    int index = (int) Math.floor((1 - RunCentroids.ADMITTED_SHARE) * (members.length - 1));
    return sims[index];
  }

  /** Ids {@code c1}, {@code c1.2}, ...: siblings numbered from 1 by size, largest first. */
  static String[] clusterIds(ClusterTree tree) {
    String[] ids = new String[tree.nodes().size()];
    List<Integer> roots = bySize(tree, tree.roots().stream().map(Node::index).toList());
    for (int i = 0; i < roots.size(); i++) {
      name(tree, roots.get(i), "c" + (i + 1), ids);
    }
    return ids;
  }

  private static void name(ClusterTree tree, int node, String id, String[] ids) {
    ids[node] = id;
    List<Integer> children = bySize(tree, tree.nodes().get(node).children());
    for (int i = 0; i < children.size(); i++) {
      name(tree, children.get(i), id + "." + (i + 1), ids);
    }
  }

  /** Node indexes parents first, siblings largest first. */
  static List<Integer> preorder(ClusterTree tree) {
    List<Integer> order = new ArrayList<>(tree.nodes().size());
    for (int root : bySize(tree, tree.roots().stream().map(Node::index).toList())) {
      visit(tree, root, order);
    }
    return order;
  }

  private static void visit(ClusterTree tree, int node, List<Integer> order) {
    order.add(node);
    for (int child : bySize(tree, tree.nodes().get(node).children())) {
      visit(tree, child, order);
    }
  }

  private static List<Integer> bySize(ClusterTree tree, List<Integer> nodes) {
    List<Integer> sorted = new ArrayList<>(nodes);
    // Ties by node index keep ids deterministic.
    sorted.sort(Comparator.comparingInt((Integer k) -> -tree.nodes().get(k).size()).thenComparingInt(k -> k));
    return sorted;
  }
}
