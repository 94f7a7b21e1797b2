package dev.parley.insights.hierarchy;

import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.vector.PointSource;
import dev.parley.insights.vector.VectorOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the finished draft into the {@link ClusterTree} contract: pre-order node numbering, exact
 * centroids from the CF sums, every input point mapped to its leaf through its micro-cluster, and the
 * members of each node ordered by distance to its centroid (one more pass over the input, chunk by
 * chunk, so the input never has to fit in memory).
 */
final class TreeMaterialiser {
  private final Coreset coreset;
  private final VectorOps ops;
  private final ComputePool pool;

  TreeMaterialiser(Coreset coreset, VectorOps ops, ComputePool pool) {
    this.coreset = coreset;
    this.ops = ops;
    this.pool = pool;
  }

  /** The tree under {@code root} (its children are the top-level categories) over the points of {@code source}. */
  ClusterTree materialise(DraftNode root, PointSource source) {
    int n = source.size();
    List<DraftNode> order = new ArrayList<>();
    List<Integer> parents = new ArrayList<>();
    for (DraftNode top : root.children) {
      preorder(top, -1, order, parents);
    }
    int nodes = order.size();
    // A parent's micro-clusters are the union of its children's (noise inside a split stays out).
    for (int i = nodes - 1; i >= 0; i--) {
      DraftNode d = order.get(i);
      if (!d.isLeaf()) {
        d.micro = d.children.stream().flatMapToInt(c -> Arrays.stream(c.micro)).sorted().toArray();
      }
    }
    int[] leafOfMicro = new int[coreset.size()];
    Arrays.fill(leafOfMicro, ClusterTree.NOISE);
    for (int i = 0; i < nodes; i++) {
      DraftNode d = order.get(i);
      if (d.isLeaf()) {
        for (int m : d.micro) {
          leafOfMicro[m] = i;
        }
      }
    }
    float[][] centroids = new float[nodes][];
    pool.parallelFor(0, nodes, 8, (from, to) -> {
      for (int i = from; i < to; i++) {
        centroids[i] = coreset.centroid(order.get(i).micro);
      }
    });
    int[] parentOf = parents.stream().mapToInt(Integer::intValue).toArray();
    int[] depthOf = new int[nodes];
    for (int i = 0; i < nodes; i++) {
      depthOf[i] = parentOf[i] < 0 ? 0 : depthOf[parentOf[i]] + 1;
    }
    int[] pointLeaf = new int[n];
    int[] sizes = new int[nodes];
    for (int i = 0; i < n; i++) {
      int leaf = leafOfMicro[coreset.birch.assignment(i)];
      pointLeaf[i] = leaf;
      for (int v = leaf; v >= 0; v = parentOf[v]) {
        sizes[v]++;
      }
    }
    long[][] keyed = sortKeys(source, pointLeaf, parentOf, depthOf, centroids, sizes);
    List<List<Integer>> childLists = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      childLists.add(new ArrayList<>());
    }
    for (int i = 0; i < nodes; i++) {
      if (parentOf[i] >= 0) {
        childLists.get(parentOf[i]).add(i);
      }
    }
    List<ClusterTree.Node> result = new ArrayList<>(nodes);
    for (int v = 0; v < nodes; v++) {
      long[] keys = keyed[v];
      Arrays.sort(keys);
      int[] members = new int[keys.length];
      for (int i = 0; i < keys.length; i++) {
        members[i] = (int) keys[i];
      }
      result.add(new ClusterTree.Node(v, parentOf[v], depthOf[v], members.length, childLists.get(v), centroids[v], members));
    }
    return new ClusterTree(result, pointLeaf, coreset.birch.dimension());
  }

  /**
   * Per node, one sort key per member point: its squared distance to the node centroid (float bits,
   * non-negative so they order as the floats do) above its index. Chunks are read in batches of twice
   * the thread count, their distances computed in parallel, and applied in chunk order.
   */
  private long[][] sortKeys(PointSource source, int[] pointLeaf, int[] parentOf, int[] depthOf, float[][] centroids,
      int[] sizes) {
    int nodes = sizes.length;
    long[][] keyed = new long[nodes][];
    for (int v = 0; v < nodes; v++) {
      keyed[v] = new long[sizes[v]];
    }
    int[] fill = new int[nodes];
    int chunkSize = source.chunkSize();
    int chunks = source.chunkCount();
    int batch = pool.parallelism() * 2;
    for (int from = 0; from < chunks; from += batch) {
      int first = from;
      int to = Math.min(chunks, from + batch);
      List<float[][]> dists = pool.map(to - from, b -> {
        int c = first + b;
        float[][] rows = source.chunk(c);
        float[][] out = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
          int leaf = pointLeaf[c * chunkSize + r];
          int len = leaf < 0 ? 0 : depthOf[leaf] + 1;
          out[r] = new float[len];
          float norm = ops.dot(rows[r], 0, rows[r], 0, rows[r].length);
          int k = 0;
          for (int v = leaf; v >= 0; v = parentOf[v]) {
            out[r][k++] = Math.max(0f, norm + 1f - 2f * ops.dot(rows[r], 0, centroids[v], 0, rows[r].length));
          }
        }
        return out;
      });
      for (int c = from; c < to; c++) {
        float[][] out = dists.get(c - from);
        for (int r = 0; r < out.length; r++) {
          int point = c * chunkSize + r;
          int k = 0;
          for (int v = pointLeaf[point]; v >= 0; v = parentOf[v]) {
            keyed[v][fill[v]++] = ((long) Float.floatToIntBits(out[r][k++]) << 32) | point;
          }
        }
      }
    }
    return keyed;
  }

  private static void preorder(DraftNode d, int parent, List<DraftNode> order, List<Integer> parents) {
    int index = order.size();
    order.add(d);
    parents.add(parent);
    for (DraftNode c : d.children) {
      preorder(c, index, order, parents);
    }
  }
}
