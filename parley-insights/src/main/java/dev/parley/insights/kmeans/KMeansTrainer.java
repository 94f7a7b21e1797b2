package dev.parley.insights.kmeans;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.vector.VectorOps;
import dev.parley.insights.vector.Vectors;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Weighted k-means: k-means++ seeding (D. Arthur and S. Vassilvitskii, "k-means++: the advantages of
 * careful seeding", SODA 2007) with D^2 x weight sampling, then Lloyd iterations (S. Lloyd, "Least
 * squares quantization in PCM", IEEE Trans. Inf. Theory 28, 1982).
 *
 * <p>Weights let a BIRCH micro-cluster count as its members. Deterministic for a seed whatever the
 * thread count: the parallel passes (distances to the centres) are independent per point; sampling,
 * inertia and centroid sums run in index order on one thread.
 */
public final class KMeansTrainer {
  private final KMeansOptions options;
  private final VectorOps ops;
  private final ComputePool pool;


  /** @param pool threads for the distance passes (the model does not depend on them) */
  public KMeansTrainer(KMeansOptions options, VectorOps ops, ComputePool pool) {
    this.options = requireNonNull(options, "options is null");
    this.ops = requireNonNull(ops, "ops is null");
    this.pool = requireNonNull(pool, "pool is null");
  }

  public KMeansModel fit(float[][] points, long seed) {
    double[] w = new double[points.length];
    Arrays.fill(w, 1);
    return fit(points, w, seed);
  }

  public KMeansModel fit(float[][] points, double[] weights, long seed) {
    requireNonNull(points, "points is null");
    requireNonNull(weights, "weights is null");
    if (points.length == 0) {
      throw new IllegalArgumentException("points must not be empty");
    }
    if (weights.length != points.length) {
      throw new IllegalArgumentException("weights must have one entry per point, expected " + points.length + ", found " + weights.length);
    }
    int dim = points[0].length;
    for (int i = 0; i < points.length; i++) {
      if (points[i].length != dim) {
        throw new IllegalArgumentException("every point must have dimension " + dim + ", found " + points[i].length + " at " + i);
      }
      if (!(weights[i] > 0)) {
        throw new IllegalArgumentException("weights must be > 0, found " + weights[i] + " at " + i);
      }
    }
    SplittableRandom rng = new SplittableRandom(seed);
    int k = Math.min(options.k(), points.length);
    KMeansModel best = lloyd(points, weights, seedPlusPlus(points, weights, k, rng.split()));
    for (int r = 1; r < options.restarts(); r++) {
      KMeansModel m = lloyd(points, weights, seedPlusPlus(points, weights, k, rng.split()));
      if (m.inertia() < best.inertia()) {
        best = m;
      }
    }
    return best;
  }

  /** Stage: k-means++ seeding; returns k initial centroids (copies of chosen points). */
  private float[][] seedPlusPlus(float[][] points, double[] w, int k, SplittableRandom rng) {
    int n = points.length;
    float[][] centres = new float[k][];
    double[] d2 = new double[n];
    double[] mass = new double[n];
    int first = sample(w, rng);
    centres[0] = points[first].clone();
    for (int i = 0; i < n; i++) {
      d2[i] = ops.squaredDistance(points[i], 0, centres[0], 0, centres[0].length);
    }
    for (int c = 1; c < k; c++) {
      for (int i = 0; i < n; i++) {
        mass[i] = w[i] * d2[i];
      }
      int next = sample(mass, rng);
      centres[c] = points[next].clone();
      float[] centre = centres[c];
      pool.parallelFor(0, n, 1024, (from, to) -> {
        for (int i = from; i < to; i++) {
          double d = ops.squaredDistance(points[i], 0, centre, 0, centre.length);
          if (d < d2[i]) {
            d2[i] = d;
          }
        }
      });
    }
    return centres;
  }

  /** An index drawn with probability proportional to {@code mass} (weight, or weight x D^2 after the first centre). */
  private static int sample(double[] mass, SplittableRandom rng) {
    double total = 0;
    for (double m : mass) {
      total += m;
    }
    if (!(total > 0)) {
      return rng.nextInt(mass.length); // all points coincide with centres
    }
    double target = rng.nextDouble() * total;
    double acc = 0;
    for (int i = 0; i < mass.length; i++) {
      acc += mass[i];
      if (acc > target) {
        return i;
      }
    }
    return mass.length - 1;
  }

  /** Stage: Lloyd iterations from the given centroids until stable or the tolerance is met. */
  private KMeansModel lloyd(float[][] points, double[] w, float[][] centres) {
    int n = points.length;
    int k = centres.length;
    int dim = points[0].length;
    int[] assign = new int[n];
    Arrays.fill(assign, -1);
    float[] dists = new float[n];
    double prevInertia = Double.POSITIVE_INFINITY;
    int iter = 0;
    double inertia = 0;
    while (iter < options.maxIterations()) {
      iter++;
      float[] flat = Vectors.flatten(centres, dim);
      float[] norms = new float[k];
      for (int c = 0; c < k; c++) {
        norms[c] = ops.dot(flat, c * dim, flat, c * dim, dim);
      }
      AtomicBoolean changed = new AtomicBoolean();
      pool.parallelFor(0, n, 128, (from, to) -> {
        float[] dots = new float[k];
        for (int i = from; i < to; i++) {
          ops.dotRows(points[i], 0, flat, 0, k, dim, dots, 0);
          int best = 0;
          float bestS = Float.POSITIVE_INFINITY;
          for (int c = 0; c < k; c++) {
            float s = norms[c] - 2 * dots[c];
            if (s < bestS) {
              bestS = s;
              best = c;
            }
          }
          if (assign[i] != best) {
            assign[i] = best;
            changed.set(true);
          }
          dists[i] = Math.max(0, bestS + ops.dot(points[i], 0, points[i], 0, dim));
        }
      });
      inertia = 0;
      for (int i = 0; i < n; i++) {
        inertia += w[i] * dists[i];
      }
      double[][] sums = new double[k][dim];
      double[] mass = new double[k];
      for (int i = 0; i < n; i++) {
        ops.addScaled(sums[assign[i]], 0, points[i], w[i], dim);
        mass[assign[i]] += w[i];
      }
      for (int c = 0; c < k; c++) {
        if (mass[c] == 0) {
          // Empty cluster: move it to the point worst served (deterministic: first maximum).
          int far = 0;
          for (int i = 1; i < n; i++) {
            if (w[i] * dists[i] > w[far] * dists[far]) {
              far = i;
            }
          }
          centres[c] = points[far].clone();
          dists[far] = 0;
          continue;
        }
        float[] centre = new float[dim];
        for (int d = 0; d < dim; d++) {
          centre[d] = (float) (sums[c][d] / mass[c]);
        }
        centres[c] = options.spherical() ? Vectors.normalized(centre) : centre;
      }
      if (!changed.get() || prevInertia - inertia <= options.tolerance() * Math.max(inertia, 1e-30)) {
        break;
      }
      prevInertia = inertia;
    }
    // Final assignment consistent with the returned centroids (parallel, independent per point).
    float[] flat = Vectors.flatten(centres, dim);
    float[] best = new float[n];
    pool.parallelFor(0, n, 1024, (from, to) -> {
      for (int i = from; i < to; i++) {
        int arg = 0;
        float bestD = Float.POSITIVE_INFINITY;
        for (int c = 0; c < k; c++) {
          float d = ops.squaredDistance(points[i], 0, flat, c * dim, dim);
          if (d < bestD) {
            bestD = d;
            arg = c;
          }
        }
        assign[i] = arg;
        best[i] = bestD;
      }
    });
    double finalInertia = 0;
    for (int i = 0; i < n; i++) {
      finalInertia += w[i] * best[i];
    }
    return new KMeansModel(centres, assign, finalInertia, iter);
  }
}
