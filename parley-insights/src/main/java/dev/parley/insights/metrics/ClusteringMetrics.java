package dev.parley.insights.metrics;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;

/**
 * External clustering scores against reference labels.
 *
 * <ul>
 *   <li>NMI with the arithmetic-mean normalisation, as scikit-learn's default: A. Strehl and J. Ghosh,
 *       "Cluster ensembles", JMLR 3 (2002); N. X. Vinh, J. Epps and J. Bailey, JMLR 11 (2010).
 *   <li>ARI: L. Hubert and P. Arabie, "Comparing partitions", Journal of Classification 2 (1985).
 *   <li>ACC: accuracy under the best one-to-one mapping of clusters to classes (Hungarian method),
 *       as used in deep-clustering papers (e.g. J. Xie et al., "Unsupervised deep embedding for
 *       clustering analysis", ICML 2016).
 * </ul>
 * Labels are arbitrary ints; callers decide how noise is labelled (its own cluster, or excluded with
 * {@link #withoutNoise}).
 */
public final class ClusteringMetrics {
  private ClusteringMetrics() {}

  /** The three scores of one clustering. */
  public record Scores(double acc, double nmi, double ari, int n, int clusters) {}

  public static Scores score(int[] truth, int[] predicted) {
    Contingency c = Contingency.of(truth, predicted);
    return new Scores(acc(c), nmi(c), ari(c), truth.length, c.predictedCount());
  }

  public static double nmi(int[] truth, int[] predicted) {
    return nmi(Contingency.of(truth, predicted));
  }

  public static double ari(int[] truth, int[] predicted) {
    return ari(Contingency.of(truth, predicted));
  }

  public static double acc(int[] truth, int[] predicted) {
    return acc(Contingency.of(truth, predicted));
  }

  /** The pairs (truth, predicted) restricted to points whose predicted label is not {@code noise}. */
  public static int[][] withoutNoise(int[] truth, int[] predicted, int noise) {
    int kept = 0;
    for (int p : predicted) {
      if (p != noise) {
        kept++;
      }
    }
    int[] t = new int[kept];
    int[] q = new int[kept];
    int k = 0;
    for (int i = 0; i < predicted.length; i++) {
      if (predicted[i] != noise) {
        t[k] = truth[i];
        q[k] = predicted[i];
        k++;
      }
    }
    return new int[][] {t, q};
  }

  private static double nmi(Contingency c) {
    double n = c.n;
    if (n == 0) {
      return 1;
    }
    double hTruth = entropy(c.truthSums, n);
    double hPred = entropy(c.predSums, n);
    double mi = 0;
    for (int i = 0; i < c.table.length; i++) {
      for (int j = 0; j < c.table[i].length; j++) {
        double nij = c.table[i][j];
        if (nij > 0) {
          mi += nij / n * Math.log(n * nij / ((double) c.truthSums[i] * c.predSums[j]));
        }
      }
    }
    double denom = (hTruth + hPred) / 2;
    if (denom == 0) {
      return 1; // both partitions are a single block: identical
    }
    return Math.max(0, Math.min(1, mi / denom));
  }

  private static double entropy(long[] sums, double n) {
    double h = 0;
    for (long s : sums) {
      if (s > 0) {
        double p = s / n;
        h -= p * Math.log(p);
      }
    }
    return h;
  }

  private static double ari(Contingency c) {
    double sumComb = 0;
    for (long[] row : c.table) {
      for (long nij : row) {
        sumComb += comb2(nij);
      }
    }
    double a = 0;
    for (long s : c.truthSums) {
      a += comb2(s);
    }
    double b = 0;
    for (long s : c.predSums) {
      b += comb2(s);
    }
    double total = comb2(c.n);
    if (total == 0) {
      return 1;
    }
    double expected = a * b / total;
    double max = (a + b) / 2;
    if (max == expected) {
      return 1; // degenerate: both partitions trivial in the same way
    }
    return (sumComb - expected) / (max - expected);
  }

  private static double comb2(long x) {
    return x * (x - 1) / 2.0;
  }

  private static double acc(Contingency c) {
    if (c.n == 0) {
      return 1;
    }
    double[][] score = new double[c.predSums.length][c.truthSums.length];
    for (int i = 0; i < c.truthSums.length; i++) {
      for (int j = 0; j < c.predSums.length; j++) {
        score[j][i] = c.table[i][j];
      }
    }
    int[] map = Hungarian.maximise(score);
    double hit = 0;
    for (int j = 0; j < map.length; j++) {
      if (map[j] >= 0) {
        hit += score[j][map[j]];
      }
    }
    return hit / c.n;
  }

  private record Contingency(long[][] table, long[] truthSums, long[] predSums, long n) {
    static Contingency of(int[] truth, int[] predicted) {
      requireNonNull(truth, "truth is null");
      requireNonNull(predicted, "predicted is null");
      if (truth.length != predicted.length) {
        throw new IllegalArgumentException("truth and predicted must have equal length, found " + truth.length + " and " + predicted.length);
      }
      Map<Integer, Integer> ti = new HashMap<>();
      Map<Integer, Integer> pi = new HashMap<>();
      int[] t = new int[truth.length];
      int[] p = new int[truth.length];
      for (int i = 0; i < truth.length; i++) {
        t[i] = ti.computeIfAbsent(truth[i], k -> ti.size());
        p[i] = pi.computeIfAbsent(predicted[i], k -> pi.size());
      }
      long[][] table = new long[ti.size()][pi.size()];
      long[] ts = new long[ti.size()];
      long[] ps = new long[pi.size()];
      for (int i = 0; i < truth.length; i++) {
        table[t[i]][p[i]]++;
        ts[t[i]]++;
        ps[p[i]]++;
      }
      return new Contingency(table, ts, ps, truth.length);
    }

    int predictedCount() {
      return predSums.length;
    }
  }
}
