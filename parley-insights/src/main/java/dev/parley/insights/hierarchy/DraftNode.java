package dev.parley.insights.hierarchy;

import java.util.ArrayList;
import java.util.List;

/**
 * A node of the hierarchy under construction: its micro-clusters, then its children. {@code depth}
 * is the tree depth; the root above the categories has depth -1 and is never output. Each node's
 * seed derives from its parent's and its rank ({@link #mix}), so sibling subtrees may be built in any
 * order, or in parallel, with the same result.
 */
final class DraftNode {
  final int depth;
  int[] micro;
  final long seed;
  final List<DraftNode> children = new ArrayList<>();

  DraftNode(int depth, int[] micro, long seed) {
    this.depth = depth;
    this.micro = micro;
    this.seed = seed;
  }

  boolean isLeaf() {
    return children.isEmpty();
  }

  /** The output leaves under this node, left to right (the root itself never). */
  List<DraftNode> leaves() {
    List<DraftNode> out = new ArrayList<>();
    collectLeaves(this, out);
    return out;
  }

  private static void collectLeaves(DraftNode node, List<DraftNode> out) {
    if (node.isLeaf()) {
      if (node.depth >= 0) {
        out.add(node);
      }
      return;
    }
    for (DraftNode c : node.children) {
      collectLeaves(c, out);
    }
  }

  /** A seed derived from {@code seed} and {@code salt} (SplitMix64's finaliser). */
  static long mix(long seed, long salt) {
    long z = seed + 0x9E3779B97F4A7C15L * (salt + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
