package dev.parley.insights.privacy;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.hierarchy.ClusterTree.Node;
import dev.parley.insights.hierarchy.ClusterTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Applies a {@link PrivacyRule} to a cluster tree, so that no label or example describes a group of
 * conversations small enough to point at a person.
 *
 * <p>Rules, top-down (distinct counts only shrink going down, so every descendant of a failing node
 * fails too): children under the threshold are merged upward, into one "other" leaf beside their
 * passing siblings, or, when no sibling passes, into their parent, which becomes a leaf. A merged
 * leaf that still falls short is kept but redacted (shown without label or examples). Points are never
 * dropped: each keeps a leaf (or stays noise).
 *
 * <p>Reference: the aggregation thresholds of A. Tamkin et al., "Clio: Privacy-Preserving Insights into
 * Real-World AI Use", arXiv:2412.13678 (2024), §2.3 (minimum unique users and conversations per cluster).
 *
 * <p>A point without a user id counts its conversation as its user: without ids nothing better is
 * known, and the conversation threshold still applies.
 */
public final class PrivacyGuard {
  private final PrivacyRule rule;

  public PrivacyGuard(PrivacyRule rule) {
    this.rule = requireNonNull(rule, "rule is null");
  }

  /**
   * @param vectors the points' L2-normalised embeddings (to recompute centroids of merged nodes)
   * @param pointUser user id per point, or an empty string when unknown
   * @param pointConversation conversation id per point
   */
  public PrivacyOutcome apply(ClusterTree tree, float[][] vectors, String[] pointUser, String[] pointConversation) {
    requireNonNull(tree, "tree is null");
    requireNonNull(vectors, "vectors is null");
    requireNonNull(pointUser, "pointUser is null");
    requireNonNull(pointConversation, "pointConversation is null");
    int n = tree.pointLeaf().length;
    if (vectors.length != n || pointUser.length != n || pointConversation.length != n) {
      throw new IllegalArgumentException("vectors, pointUser and pointConversation must have one entry per point, expected "
          + n + ", found " + vectors.length + ", " + pointUser.length + ", " + pointConversation.length);
    }
    Counter counter = new Counter(pointUser, pointConversation);
    Builder builder = new Builder(tree, vectors, counter);
    int[] merged = new int[1];
    List<Draft> roots = rewrite(tree, tree.roots().stream().map(Node::index).toList(), counter, true, merged);
    for (Draft root : roots) {
      builder.add(root, -1, 0);
    }
    int[] pointLeaf = new int[n];
    Arrays.fill(pointLeaf, ClusterTree.NOISE);
    List<Node> nodes = builder.nodes;
    for (Node node : nodes) {
      if (node.isLeaf()) {
        for (int p : node.memberPoints()) {
          pointLeaf[p] = node.index();
        }
      }
    }
    Set<Integer> redacted = new HashSet<>();
    for (int k = 0; k < nodes.size(); k++) {
      if (!rule.allows(builder.users.get(k), builder.conversations.get(k))) {
        redacted.add(k);
      }
    }
    return new PrivacyOutcome(new ClusterTree(nodes, pointLeaf, tree.dimension()), redacted, builder.origin,
        builder.users, builder.conversations, merged[0]);
  }

  /** A node of the rewritten tree before indexes are assigned. */
  private record Draft(int origin, int[] points, List<Draft> children) {}

  private List<Draft> rewrite(ClusterTree tree, List<Integer> children, Counter counter, boolean topLevel, int[] merged) {
    List<Integer> passing = new ArrayList<>();
    List<Integer> failing = new ArrayList<>();
    for (int child : children) {
      int[] points = tree.nodes().get(child).memberPoints();
      (rule.allows(counter.users(points), counter.conversations(points)) ? passing : failing).add(child);
    }
    List<Draft> drafts = new ArrayList<>();
    for (int child : passing) {
      Node node = tree.nodes().get(child);
      drafts.add(new Draft(child, node.memberPoints(), rewrite(tree, node.children(), counter, false, merged)));
    }
    if (failing.isEmpty()) {
      return drafts;
    }
    if (passing.isEmpty() && !topLevel) {
      // No child may be shown: the parent becomes a leaf holding them all (its points are theirs).
      merged[0] += failing.size();
      return List.of();
    }
    if (failing.size() == 1 && tree.nodes().get(failing.get(0)).isLeaf()) {
      int only = failing.get(0);
      drafts.add(new Draft(only, tree.nodes().get(only).memberPoints(), List.of()));
      return drafts;
    }
    int size = 0;
    for (int child : failing) {
      size += tree.nodes().get(child).size();
    }
    int[] union = new int[size];
    int at = 0;
    for (int child : failing) {
      int[] points = tree.nodes().get(child).memberPoints();
      System.arraycopy(points, 0, union, at, points.length);
      at += points.length;
    }
    merged[0] += failing.size();
    drafts.add(new Draft(-1, union, List.of()));
    return drafts;
  }

  /** Assigns indexes in pre-order (parents before children) and recomputes centroids and member order. */
  private static final class Builder {
    final ClusterTree source;
    final int dimension;
    final float[][] vectors;
    final Counter counter;
    final List<Node> nodes = new ArrayList<>();
    final List<Integer> origin = new ArrayList<>();
    final List<Integer> users = new ArrayList<>();
    final List<Integer> conversations = new ArrayList<>();

    Builder(ClusterTree source, float[][] vectors, Counter counter) {
      this.source = source;
      this.dimension = source.dimension();
      this.vectors = vectors;
      this.counter = counter;
    }

    int add(Draft draft, int parent, int depth) {
      int index = nodes.size();
      nodes.add(null);
      origin.add(draft.origin());
      users.add(counter.users(draft.points()));
      conversations.add(counter.conversations(draft.points()));
      List<Integer> children = new ArrayList<>();
      for (Draft child : draft.children()) {
        children.add(add(child, index, depth + 1));
      }
      float[] centroid;
      int[] ordered;
      if (draft.origin() >= 0) {
        // An input node keeps its members, so its centroid and member order stand as computed.
        Node original = source.nodes().get(draft.origin());
        centroid = original.centroid();
        ordered = original.memberPoints();
      } else {
        centroid = centroid(draft.points());
        ordered = byDistance(draft.points(), centroid);
      }
      nodes.set(index, new Node(index, parent, depth, ordered.length, children, centroid, ordered));
      return index;
    }

    private float[] centroid(int[] points) {
      double[] sum = new double[dimension];
      for (int p : points) {
        float[] v = vectors[p];
        for (int d = 0; d < dimension; d++) {
          sum[d] += v[d];
        }
      }
      double norm = 0;
      for (double s : sum) {
        norm += s * s;
      }
      norm = Math.sqrt(norm);
      float[] centroid = new float[dimension];
      for (int d = 0; d < dimension; d++) {
        centroid[d] = norm == 0 ? 0 : (float) (sum[d] / norm);
      }
      return centroid;
    }

    private int[] byDistance(int[] points, float[] centroid) {
      double[] sims = new double[vectors.length == 0 ? 0 : points.length];
      Integer[] order = new Integer[points.length];
      for (int i = 0; i < points.length; i++) {
        order[i] = i;
        float[] v = vectors[points[i]];
        double s = 0;
        for (int d = 0; d < dimension; d++) {
          s += v[d] * centroid[d];
        }
        sims[i] = s;
      }
      Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -sims[i]).thenComparingInt(i -> points[i]));
      int[] ordered = new int[points.length];
      for (int i = 0; i < points.length; i++) {
        ordered[i] = points[order[i]];
      }
      return ordered;
    }
  }

  /** Distinct users and conversations of a set of points. */
  private record Counter(String[] pointUser, String[] pointConversation) {
    int users(int[] points) {
      Set<String> seen = new HashSet<>();
      for (int p : points) {
        String user = pointUser[p];
        // Unknown user: the conversation stands in (prefixed so it never equals a real user id).
        seen.add(user == null || user.isEmpty() ? "\u0000conversation:" + pointConversation[p] : user);
      }
      return seen.size();
    }

    int conversations(int[] points) {
      Set<String> seen = new HashSet<>();
      for (int p : points) {
        seen.add(pointConversation[p]);
      }
      return seen.size();
    }
  }
}
