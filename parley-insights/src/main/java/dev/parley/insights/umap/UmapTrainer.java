package dev.parley.insights.umap;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.vector.NeighbourGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.analysis.ParametricUnivariateFunction;
import org.apache.commons.math3.fitting.SimpleCurveFitter;
import org.apache.commons.math3.fitting.WeightedObservedPoint;

/**
 * UMAP: L. McInnes, J. Healy and J. Melville, "UMAP: Uniform Manifold Approximation and Projection for
 * Dimension Reduction", arXiv:1802.03426 (2018). From a k-nearest-neighbour graph: a fuzzy simplicial
 * set (per-point smooth kNN distances, fuzzy union), a spectral initialisation (leading eigenvectors
 * of the normalised adjacency by subspace iteration), then SGD on the fuzzy cross-entropy with edge
 * sampling proportional to membership strength and negative sampling.
 *
 * <p>Deterministic for a seed whatever the thread count: the per-point smooth kNN distances and the
 * rows of the spectral iteration's sparse products run on the pool (each row summed in edge order, as
 * on one thread); the SGD runs on one thread with one {@link SplittableRandom}, because a parallel
 * SGD (umap-learn's lock-free mode) lets updates race and the embedding would depend on the schedule.
 * Sibling clusters of a hierarchy run in parallel instead.
 */
public final class UmapTrainer {
  private static final double SMOOTH_K_TOLERANCE = 1e-5;
  private static final double MIN_K_DIST_SCALE = 1e-3;
  private final UmapOptions options;
  private final ComputePool pool;

  /** @param pool threads for the fuzzy set and the spectral initialisation (the embedding does not depend on them) */
  public UmapTrainer(UmapOptions options, ComputePool pool) {
    this.options = requireNonNull(options, "options is null");
    this.pool = requireNonNull(pool, "pool is null");
  }

  public UmapModel fit(NeighbourGraph graph, long seed) {
    requireNonNull(graph, "graph is null");
    int n = graph.n();
    int dim = options.components();
    double[] ab = fitAb(options.minDist(), options.spread());
    SplittableRandom rng = new SplittableRandom(seed);
    if (n <= dim + 1 || graph.k() == 0) {
      float[] emb = new float[n * dim];
      for (int i = 0; i < emb.length; i++) {
        emb[i] = (float) (rng.nextDouble() * 10);
      }
      return new UmapModel(n, dim, emb, ab[0], ab[1]);
    }
    Edges edges = fuzzySimplicialSet(graph, pool);
    float[] emb = options.spectralIterations() > 0
        ? spectralInit(edges, n, dim, options.spectralIterations(), rng, pool)
        : randomInit(n, dim, rng);
    int epochs = options.epochs() > 0 ? options.epochs() : (n <= 10_000 ? 500 : 200);
    optimise(emb, n, dim, edges, epochs, ab[0], ab[1], rng);
    return new UmapModel(n, dim, emb, ab[0], ab[1]);
  }

  /** Symmetric fuzzy graph in COO form, sorted by (head, tail). */
  record Edges(int[] head, int[] tail, float[] weight) {
    int size() {
      return head.length;
    }
  }

  /**
   * Stage: smooth kNN distances (rho = nearest distance, sigma by bisection so that the memberships
   * sum to log2(k)), then the fuzzy union {@code w + w' - w w'} of the directed memberships.
   */
  static Edges fuzzySimplicialSet(NeighbourGraph graph, ComputePool pool) {
    int n = graph.n();
    int k = graph.k();
    double target = Math.log(k + 1) / Math.log(2); // umap-learn counts the point itself among n_neighbors
    double meanDist = 0;
    int finite = 0;
    for (float d : graph.distances()) {
      if (Float.isFinite(d)) {
        meanDist += d;
        finite++;
      }
    }
    double globalMean = finite == 0 ? 1 : meanDist / finite;
    // Rows are independent: each writes its memberships into its own k slots.
    int[] rowCols = new int[n * k];
    float[] rowVals = new float[n * k];
    int[] rowCount = new int[n];
    pool.parallelFor(0, n, 256, (from, to) -> {
      for (int i = from; i < to; i++) {
        rowCount[i] = smoothRow(graph, i, k, target, globalMean, rowCols, rowVals);
      }
    });
    long[] keys = new long[n * k];
    float[] vals = new float[n * k];
    int m = 0;
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < rowCount[i]; c++) {
        keys[m] = (long) i * n + rowCols[i * k + c];
        vals[m] = rowVals[i * k + c];
        m++;
      }
    }
    // Fuzzy union: combine (i,j) with (j,i).
    long[] allKeys = new long[2 * m];
    float[] allVals = new float[2 * m];
    boolean[] transposed = new boolean[2 * m];
    for (int e = 0; e < m; e++) {
      long key = keys[e];
      int i = (int) (key / n);
      int j = (int) (key % n);
      allKeys[2 * e] = key;
      allVals[2 * e] = vals[e];
      allKeys[2 * e + 1] = (long) j * n + i;
      allVals[2 * e + 1] = vals[e];
      transposed[2 * e + 1] = true;
    }
    int[] idx = sortIndexByKey(allKeys);
    int[] head = new int[2 * m];
    int[] tail = new int[2 * m];
    float[] weight = new float[2 * m];
    int out = 0;
    int e = 0;
    while (e < 2 * m) {
      long key = allKeys[idx[e]];
      float direct = 0;
      float reverse = 0;
      int f = e;
      while (f < 2 * m && allKeys[idx[f]] == key) {
        if (transposed[idx[f]]) {
          reverse = Math.max(reverse, allVals[idx[f]]);
        } else {
          direct = Math.max(direct, allVals[idx[f]]);
        }
        f++;
      }
      float w = direct + reverse - direct * reverse;
      if (w > 0) {
        head[out] = (int) (key / n);
        tail[out] = (int) (key % n);
        weight[out] = w;
        out++;
      }
      e = f;
    }
    return new Edges(Arrays.copyOf(head, out), Arrays.copyOf(tail, out), Arrays.copyOf(weight, out));
  }

  /**
   * Smooth kNN distances of row {@code i}: rho = nearest distance, sigma by bisection so that the
   * memberships sum to log2(k); writes the memberships of its neighbours (self excluded) to
   * {@code cols, vals[i * k ..]} and returns their count.
   */
  private static int smoothRow(NeighbourGraph graph, int i, int k, double target, double meanDist, int[] cols,
      float[] vals) {
    double rowMean = 0;
    int valid = 0;
    // local_connectivity = 1: rho is the distance to the nearest neighbour at a non-zero distance
    double rho = Double.POSITIVE_INFINITY;
    for (int r = 0; r < k; r++) {
      float d = graph.distance(i, r);
      if (graph.neighbour(i, r) >= 0 && Float.isFinite(d)) {
        rowMean += d;
        valid++;
        if (d > 0 && d < rho) {
          rho = d;
        }
      }
    }
    if (valid == 0) {
      return 0;
    }
    rowMean /= valid;
    if (rho == Double.POSITIVE_INFINITY) {
      rho = 0;
    }
    double lo = 0;
    double hi = Double.POSITIVE_INFINITY;
    double sigma = 1;
    for (int it = 0; it < 64; it++) {
      double sum = 0;
      for (int r = 0; r < k; r++) {
        if (graph.neighbour(i, r) < 0) {
          continue;
        }
        double d = graph.distance(i, r) - rho;
        sum += d > 0 ? Math.exp(-d / sigma) : 1.0;
      }
      if (Math.abs(sum - target) < SMOOTH_K_TOLERANCE) {
        break;
      }
      if (sum > target) {
        hi = sigma;
        sigma = (lo + hi) / 2;
      } else {
        lo = sigma;
        sigma = hi == Double.POSITIVE_INFINITY ? sigma * 2 : (lo + hi) / 2;
      }
    }
    double floor = MIN_K_DIST_SCALE * (rho > 0 ? rowMean : meanDist);
    sigma = Math.max(sigma, floor);
    int c = 0;
    for (int r = 0; r < k; r++) {
      int j = graph.neighbour(i, r);
      if (j < 0 || j == i) {
        continue;
      }
      double d = graph.distance(i, r) - rho;
      double w = d <= 0 ? 1.0 : Math.exp(-d / sigma);
      cols[i * k + c] = j;
      vals[i * k + c] = (float) w;
      c++;
    }
    return c;
  }

  /** Indexes of {@code keys} in ascending key order (ties by index): a primitive merge sort. */
  private static int[] sortIndexByKey(long[] keys) {
    int n = keys.length;
    long[] k = keys.clone();
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    mergeSort(k, idx, new long[n], new int[n], 0, n);
    return idx;
  }

  private static void mergeSort(long[] k, int[] v, long[] tk, int[] tv, int lo, int hi) {
    if (hi - lo < 32) {
      for (int i = lo + 1; i < hi; i++) {
        long key = k[i];
        int val = v[i];
        int j = i - 1;
        while (j >= lo && (k[j] > key || (k[j] == key && v[j] > val))) {
          k[j + 1] = k[j];
          v[j + 1] = v[j];
          j--;
        }
        k[j + 1] = key;
        v[j + 1] = val;
      }
      return;
    }
    int mid = (lo + hi) >>> 1;
    mergeSort(k, v, tk, tv, lo, mid);
    mergeSort(k, v, tk, tv, mid, hi);
    int i = lo;
    int j = mid;
    int o = lo;
    while (i < mid && j < hi) {
      if (k[i] < k[j] || (k[i] == k[j] && v[i] <= v[j])) {
        tk[o] = k[i];
        tv[o++] = v[i++];
      } else {
        tk[o] = k[j];
        tv[o++] = v[j++];
      }
    }
    while (i < mid) {
      tk[o] = k[i];
      tv[o++] = v[i++];
    }
    while (j < hi) {
      tk[o] = k[j];
      tv[o++] = v[j++];
    }
    System.arraycopy(tk, lo, k, lo, hi - lo);
    System.arraycopy(tv, lo, v, lo, hi - lo);
  }

  /**
   * Stage: spectral initialisation. Subspace iteration on {@code (I + D^-1/2 W D^-1/2) / 2} with the
   * known trivial eigenvector {@code D^1/2 1} held fixed; the next {@code dim} vectors (the smooth
   * functions on the graph: Laplacian eigenmaps, Belkin and Niyogi 2003) are scaled to [0, 10].
   */
  static float[] spectralInit(Edges edges, int n, int dim, int iterations, SplittableRandom rng, ComputePool pool) {
    double[] degree = new double[n];
    // Edges are sorted by head: rowStart[h] .. rowStart[h + 1] are the edges of row h.
    int[] rowStart = new int[n + 1];
    for (int e = 0; e < edges.size(); e++) {
      degree[edges.head()[e]] += edges.weight()[e];
      rowStart[edges.head()[e] + 1]++;
    }
    for (int h = 0; h < n; h++) {
      rowStart[h + 1] += rowStart[h];
    }
    double[] invSqrt = new double[n];
    for (int i = 0; i < n; i++) {
      invSqrt[i] = degree[i] > 0 ? 1 / Math.sqrt(degree[i]) : 0;
    }
    int cols = dim + 1;
    double[][] y = new double[cols][n];
    double norm0 = 0;
    for (int i = 0; i < n; i++) {
      y[0][i] = Math.sqrt(degree[i]);
      norm0 += degree[i];
    }
    norm0 = Math.sqrt(norm0);
    for (int i = 0; i < n; i++) {
      y[0][i] /= norm0;
    }
    for (int c = 1; c < cols; c++) {
      for (int i = 0; i < n; i++) {
        y[c][i] = rng.nextDouble() - 0.5;
      }
    }
    orthonormalise(y);
    double[] z = new double[n];
    for (int it = 0; it < iterations; it++) {
      for (int c = 1; c < cols; c++) {
        double[] v = y[c];
        // Per row, summed in edge order from zero: the same bits as one pass over all edges.
        pool.parallelFor(0, n, 1024, (from, to) -> {
          for (int h = from; h < to; h++) {
            double acc = 0;
            for (int e = rowStart[h]; e < rowStart[h + 1]; e++) {
              int t = edges.tail()[e];
              acc += edges.weight()[e] * invSqrt[h] * invSqrt[t] * v[t];
            }
            z[h] = acc;
          }
        });
        for (int i = 0; i < n; i++) {
          v[i] = (v[i] + z[i]) / 2;
        }
      }
      orthonormalise(y);
    }
    float[] emb = new float[n * dim];
    for (int c = 0; c < dim; c++) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        lo = Math.min(lo, y[c + 1][i]);
        hi = Math.max(hi, y[c + 1][i]);
      }
      double scale = hi > lo ? 10 / (hi - lo) : 1;
      for (int i = 0; i < n; i++) {
        emb[i * dim + c] = (float) ((y[c + 1][i] - lo) * scale + rng.nextGaussian() * 1e-4);
      }
    }
    return emb;
  }

  /** Modified Gram-Schmidt over columns; column 0 stays as given (already unit). */
  private static void orthonormalise(double[][] y) {
    int n = y[0].length;
    for (int c = 1; c < y.length; c++) {
      for (int p = 0; p < c; p++) {
        double dot = 0;
        for (int i = 0; i < n; i++) {
          dot += y[c][i] * y[p][i];
        }
        for (int i = 0; i < n; i++) {
          y[c][i] -= dot * y[p][i];
        }
      }
      double norm = 0;
      for (int i = 0; i < n; i++) {
        norm += y[c][i] * y[c][i];
      }
      norm = Math.sqrt(norm);
      if (norm > 1e-300) {
        for (int i = 0; i < n; i++) {
          y[c][i] /= norm;
        }
      }
    }
  }

  private static float[] randomInit(int n, int dim, SplittableRandom rng) {
    float[] emb = new float[n * dim];
    for (int i = 0; i < emb.length; i++) {
      emb[i] = (float) (rng.nextDouble() * 10);
    }
    return emb;
  }

  /**
   * Stage: SGD over epochs. Edge e is sampled every {@code maxW / w_e} epochs (weight-proportional),
   * each positive sample followed by {@code negativeSampleRate} uniform negatives; the learning rate
   * decays linearly; gradients are clipped to [-4, 4] (as umap-learn's optimize_layout_euclidean).
   */
  private void optimise(float[] emb, int n, int dim, Edges edges, int epochs, double a, double b, SplittableRandom rng) {
    int m = edges.size();
    float maxW = 0;
    for (float w : edges.weight()) {
      maxW = Math.max(maxW, w);
    }
    List<Integer> kept = new ArrayList<>();
    for (int e = 0; e < m; e++) {
      if (edges.weight()[e] >= maxW / epochs) {
        kept.add(e);
      }
    }
    int mk = kept.size();
    int[] head = new int[mk];
    int[] tail = new int[mk];
    double[] epochsPerSample = new double[mk];
    for (int x = 0; x < mk; x++) {
      int e = kept.get(x);
      head[x] = edges.head()[e];
      tail[x] = edges.tail()[e];
      epochsPerSample[x] = maxW / edges.weight()[e];
    }
    double negRate = options.negativeSampleRate();
    double[] epochOfNextSample = epochsPerSample.clone();
    double[] epochsPerNegative = new double[mk];
    double[] epochOfNextNegative = new double[mk];
    for (int x = 0; x < mk; x++) {
      epochsPerNegative[x] = negRate > 0 ? epochsPerSample[x] / negRate : Double.POSITIVE_INFINITY;
      epochOfNextNegative[x] = epochsPerNegative[x];
    }
    double gamma = options.repulsionStrength();
    float[] delta = new float[dim];
    for (int epoch = 0; epoch < epochs; epoch++) {
      float alpha = (float) (options.learningRate() * (1.0 - (double) epoch / epochs));
      for (int x = 0; x < mk; x++) {
        if (epochOfNextSample[x] > epoch) {
          continue;
        }
        int j = head[x];
        int k = tail[x];
        int jo = j * dim;
        int ko = k * dim;
        float d2 = 0;
        for (int d = 0; d < dim; d++) {
          float diff = emb[jo + d] - emb[ko + d];
          delta[d] = diff;
          d2 += diff * diff;
        }
        if (d2 > 0) {
          double pb = Math.pow(d2, b);
          float coeff = (float) (-2.0 * a * b * pb / d2 / (a * pb + 1.0));
          for (int d = 0; d < dim; d++) {
            float g = clip(coeff * delta[d]) * alpha;
            emb[jo + d] += g;
            emb[ko + d] -= g;
          }
        }
        epochOfNextSample[x] += epochsPerSample[x];
        int negatives = (int) ((epoch - epochOfNextNegative[x]) / epochsPerNegative[x]);
        for (int p = 0; p < negatives; p++) {
          int q = rng.nextInt(n);
          if (q == j) {
            continue;
          }
          int qo = q * dim;
          float nd2 = 0;
          for (int d = 0; d < dim; d++) {
            float diff = emb[jo + d] - emb[qo + d];
            delta[d] = diff;
            nd2 += diff * diff;
          }
          if (nd2 > 0) {
            float coeff = (float) (2.0 * gamma * b / ((0.001 + nd2) * (a * Math.pow(nd2, b) + 1.0)));
            for (int d = 0; d < dim; d++) {
              emb[jo + d] += clip(coeff * delta[d]) * alpha;
            }
          } else {
            for (int d = 0; d < dim; d++) {
              emb[jo + d] += 4f * alpha;
            }
          }
        }
        epochOfNextNegative[x] += negatives * epochsPerNegative[x];
      }
    }
  }

  private static float clip(float v) {
    return v > 4f ? 4f : (v < -4f ? -4f : v);
  }

  /**
   * Fits {@code 1 / (1 + a x^(2b))} to the target curve (1 below minDist, then
   * {@code exp(-(x - minDist) / spread)}) by least squares, as umap-learn's find_ab_params.
   */
  static double[] fitAb(double minDist, double spread) {
    ParametricUnivariateFunction f = new ParametricUnivariateFunction() {
      @Override
      public double value(double x, double... p) {
        return 1.0 / (1.0 + p[0] * Math.pow(x, 2 * p[1]));
      }

      @Override
      public double[] gradient(double x, double... p) {
        if (x <= 0) {
          return new double[] {0, 0};
        }
        double x2b = Math.pow(x, 2 * p[1]);
        double den = 1.0 + p[0] * x2b;
        double dA = -x2b / (den * den);
        double dB = -p[0] * x2b * 2 * Math.log(x) / (den * den);
        return new double[] {dA, dB};
      }
    };
    List<WeightedObservedPoint> obs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      double x = 3 * spread * i / 299.0;
      double y = x < minDist ? 1.0 : Math.exp(-(x - minDist) / spread);
      obs.add(new WeightedObservedPoint(1, x, y));
    }
    return SimpleCurveFitter.create(f, new double[] {1, 1}).withMaxIterations(1000).fit(obs);
  }
}
