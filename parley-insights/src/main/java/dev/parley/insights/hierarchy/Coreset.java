package dev.parley.insights.hierarchy;

import dev.parley.insights.birch.BirchModel;
import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.vector.Vectors;

/**
 * The BIRCH coreset as every stage of the hierarchy sees it: micro-cluster {@code m} stands for
 * {@code weight[m]} points in the direction {@code dirs[m]} (its L2-normalised centroid), and the
 * centroid of any set of micro-clusters is exact from their CF linear sums.
 */
final class Coreset {
  final BirchModel birch;
  final long[] weight;
  final float[][] dirs;

  Coreset(BirchModel birch, ComputePool pool) {
    this.birch = birch;
    this.weight = birch.counts();
    this.dirs = new float[birch.size()][];
    pool.parallelFor(0, birch.size(), 1024, (from, to) -> {
      for (int m = from; m < to; m++) {
        dirs[m] = birch.direction(m);
      }
    });
  }

  int size() {
    return dirs.length;
  }

  /** Points represented by the micro-clusters {@code micro}. */
  long weightOf(int[] micro) {
    long w = 0;
    for (int m : micro) {
      w += weight[m];
    }
    return w;
  }

  /** The L2-normalised mean of all points of the micro-clusters {@code micro}, in the original space. */
  float[] centroid(int[] micro) {
    int dim = birch.dimension();
    double[] sum = new double[dim];
    for (int m : micro) {
      double[] ls = birch.linearSum(m);
      for (int d = 0; d < dim; d++) {
        sum[d] += ls[d];
      }
    }
    return Vectors.normalized(sum);
  }
}
