package dev.parley.insights.label;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks a small, diverse set of representatives of a cluster for labelling and examples by greedy
 * farthest-point sampling: start at the member most similar to the centroid, then repeatedly add the
 * member least similar to every representative so far. The greedy rule is the 2-approximation of the
 * k-center problem, so the sample reaches every region of the cluster, where a random sample of the
 * same size over-represents its densest part.
 *
 * <p>References: T. F. Gonzalez, "Clustering to minimize the maximum intercluster distance",
 * Theoretical Computer Science 38 (1985) 293-306; farthest-point seeding of representatives for
 * cluster labelling as in A. Tamkin et al., "Clio: Privacy-Preserving Insights into Real-World AI
 * Use", arXiv:2412.13678 (2024).
 *
 * <p>Vectors are L2-normalised, so a dot product is the cosine similarity. Cost: O(scanned x samples x
 * dimension) per cluster; {@code best[i]} (member i's best similarity to the sample) is updated
 * incrementally, so each step costs one pass.
 */
public final class FarthestPointSampler {
  private final SamplingParams params;

  public FarthestPointSampler(SamplingParams params) {
    this.params = requireNonNull(params, "params is null");
  }

  public SamplingParams params() {
    return params;
  }

  /**
   * Farthest-point sample of a cluster, with a budget from its size and spread.
   *
   * @param vectors all input vectors, L2-normalised
   * @param members the cluster's point indexes, ordered by distance to the centroid (closest first)
   * @param centroid the cluster's L2-normalised centroid
   */
  public Sample sample(float[][] vectors, int[] members, float[] centroid) {
    requireNonNull(vectors, "vectors is null");
    requireNonNull(centroid, "centroid is null");
    if (requireNonNull(members, "members is null").length == 0) {
      throw new IllegalArgumentException("members is empty");
    }
    int[] scanned = scanned(members);
    double spread = spread(vectors, scanned, centroid);
    int budget = Math.min(params.budget(members.length, spread), scanned.length);
    int seed = mostCentral(vectors, scanned, centroid);
    // Members at or beyond this rank (farthest from the centroid) are never picked.
    int pickable = Math.max(1, (int) Math.ceil(scanned.length * (1 - params.outlierFraction())));

    double[] best = new double[scanned.length];
    Arrays.fill(best, -2);
    boolean[] picked = new boolean[scanned.length];
    int[] chosen = new int[budget];
    int count = 0;
    int next = seed;
    double coverage = -2;
    while (count < budget) {
      picked[next] = true;
      chosen[count++] = scanned[next];
      double newCoverage = update(vectors, scanned, best, vectors[scanned[next]]);
      boolean gainTooSmall = count > params.minSamples() && newCoverage - coverage < params.minGain();
      coverage = newCoverage;
      if (gainTooSmall) {
        break;
      }
      next = farthest(best, picked, pickable);
      if (next < 0) {
        break;
      }
    }
    return new Sample(Arrays.copyOf(chosen, count), coverage, spread, percentile10(best));
  }

  /**
   * A uniformly random sample of {@code size} members (the baseline for the coverage comparison),
   * scored on the same scanned members as {@link #sample}.
   */
  public Sample randomSample(float[][] vectors, int[] members, float[] centroid, int size, SplittableRandom random) {
    requireNonNull(random, "random is null");
    if (size < 1 || size > members.length) {
      throw new IllegalArgumentException("size must be in [1, " + members.length + "], was " + size);
    }
    int[] shuffled = members.clone();
    for (int i = 0; i < size; i++) {
      int j = i + random.nextInt(shuffled.length - i);
      int t = shuffled[i];
      shuffled[i] = shuffled[j];
      shuffled[j] = t;
    }
    int[] chosen = Arrays.copyOf(shuffled, size);
    int[] scanned = scanned(members);
    double[] best = bestSimilarities(vectors, scanned, chosen);
    return new Sample(chosen, mean(best), spread(vectors, scanned, centroid), percentile10(best));
  }

  /** Mean over {@code members} of the best cosine similarity to any point of {@code sample}. */
  public static double coverage(float[][] vectors, int[] members, int[] sample) {
    return mean(bestSimilarities(vectors, members, sample));
  }

  private static double[] bestSimilarities(float[][] vectors, int[] members, int[] sample) {
    double[] best = new double[members.length];
    Arrays.fill(best, -2);
    for (int s : sample) {
      update(vectors, members, best, vectors[s]);
    }
    return best;
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return values.length == 0 ? Double.NaN : sum / values.length;
  }

  private static double percentile10(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted.length == 0 ? Double.NaN : sorted[(int) Math.floor(0.1 * (sorted.length - 1))];
  }

  /** The members actually scanned: all, or an evenly spaced subset by distance rank. */
  private int[] scanned(int[] members) {
    if (members.length <= params.maxScanned()) {
      return members;
    }
    int[] subset = new int[params.maxScanned()];
    double step = (double) members.length / subset.length;
    for (int i = 0; i < subset.length; i++) {
      subset[i] = members[(int) (i * step)];
    }
    return subset;
  }

  private static int mostCentral(float[][] vectors, int[] scanned, float[] centroid) {
    int best = 0;
    double bestSim = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < scanned.length; i++) {
      double sim = dot(vectors[scanned[i]], centroid);
      if (sim > bestSim) {
        bestSim = sim;
        best = i;
      }
    }
    return best;
  }

  private static double spread(float[][] vectors, int[] scanned, float[] centroid) {
    double sum = 0;
    for (int p : scanned) {
      sum += dot(vectors[p], centroid);
    }
    return 1 - sum / scanned.length;
  }

  /** Folds one new representative into {@code best}; returns the new mean of {@code best}. */
  private static double update(float[][] vectors, int[] scanned, double[] best, float[] representative) {
    double sum = 0;
    for (int i = 0; i < scanned.length; i++) {
      double sim = dot(vectors[scanned[i]], representative);
      if (sim > best[i]) {
        best[i] = sim;
      }
      sum += best[i];
    }
    return sum / scanned.length;
  }

  private static int farthest(double[] best, boolean[] picked, int pickable) {
    int arg = -1;
    double lowest = Double.POSITIVE_INFINITY;
    for (int i = 0; i < pickable; i++) {
      if (!picked[i] && best[i] < lowest) {
        lowest = best[i];
        arg = i;
      }
    }
    return arg;
  }

  static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
