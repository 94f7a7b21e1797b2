package dev.parley.insights.hdbscan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.insights.testing.Blobs;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

final class KdTreeTest {
  @Test
  void build_childrenBoxesDoNotOverlapOnTheSplit() {
    Blobs.Data data = Blobs.gaussian(20_000, 5, 10, 1.0, 10, 0.05, 1);
    KdTree tree = new KdTree(data.coords(), data.n(), 5, 16);
    int maxDepth = depth(tree, 0);
    assertThat(maxDepth).isLessThan(20);
    for (int node = 0; node < tree.nodes; node++) {
      if (!tree.isLeaf(node)) {
        int l = tree.left[node];
        int r = tree.right[node];
        boolean separated = false;
        for (int d = 0; d < 5; d++) {
          if (tree.hi[l * 5 + d] <= tree.lo[r * 5 + d]) {
            separated = true;
          }
        }
        assertThat(separated).as("node " + node).isTrue();
      }
    }
  }

  @Test
  void knn_matchesBruteForce() {
    Blobs.Data data = Blobs.gaussian(3000, 3, 5, 1.0, 10, 0.05, 2);
    KdTree tree = new KdTree(data.coords(), data.n(), 3, 8);
    int[] pos = new int[7];
    double[] d2 = new double[7];
    for (int q = 0; q < 3000; q += 37) {
      tree.knn(q, 7, pos, d2, new int[256]);
      double[] all = new double[3000];
      for (int p = 0; p < 3000; p++) {
        all[p] = tree.dist2(q, p);
      }
      Arrays.sort(all);
      assertThat(d2).containsExactly(Arrays.copyOf(all, 7));
    }
  }

  private static int depth(KdTree t, int node) {
    return t.isLeaf(node) ? 1 : 1 + Math.max(depth(t, t.left[node]), depth(t, t.right[node]));
  }
}
