package dev.parley.insights.eval;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Segmentation error metrics over one sequence of units (messages).
 *
 * <p>Pk: Beeferman, Berger and Lafferty, "Statistical Models for Text Segmentation", Machine Learning
 * 34 (1999). A window of {@code k + 1} units slides over the sequence; it counts as an error when the
 * reference and the hypothesis disagree on whether its two ends lie in the same segment.
 *
 * <p>WindowDiff: Pevzner and Hearst, "A Critique and Improvement of an Evaluation Metric for Text
 * Segmentation", Computational Linguistics 28(1) (2002). The same window counts as an error when the
 * numbers of boundaries inside it differ.
 *
 * <p>{@code k} is half the mean reference segment length, rounded (at least 1), computed per sequence as
 * segeval does; both metrics are normalised by the number of windows, {@code n - k}.
 */
public final class SegmentationMetrics {
  private SegmentationMetrics() {}

  /** Pk and WindowDiff of one sequence, with the window used. */
  public record Scores(double pk, double windowDiff, int k, int windows) {}

  /**
   * Scores a hypothesis against a reference, both given as segment lengths (masses) over the same units.
   *
   * @throws IllegalArgumentException when the masses do not cover the same number of units, or the
   *     sequence is too short for one window ({@link #measurable})
   */
  public static Scores score(int[] referenceMasses, int[] hypothesisMasses) {
    int n = total(requireNonNull(referenceMasses, "referenceMasses is null"), "referenceMasses");
    int m = total(requireNonNull(hypothesisMasses, "hypothesisMasses is null"), "hypothesisMasses");
    if (n != m) {
      throw new IllegalArgumentException("masses cover different lengths: reference " + n + ", hypothesis " + m);
    }
    int k = windowSize(referenceMasses);
    if (n - k < 1) {
      throw new IllegalArgumentException("sequence of " + n + " units is too short for a window of k=" + k);
    }
    int[] ref = labels(referenceMasses, n);
    int[] hyp = labels(hypothesisMasses, n);
    int pkErrors = 0;
    int wdErrors = 0;
    for (int i = 0; i + k < n; i++) {
      boolean refSame = ref[i] == ref[i + k];
      boolean hypSame = hyp[i] == hyp[i + k];
      if (refSame != hypSame) {
        pkErrors++;
      }
      // Labels count up by one at each boundary, so the label difference is the boundary count.
      if (ref[i + k] - ref[i] != hyp[i + k] - hyp[i]) {
        wdErrors++;
      }
    }
    int windows = n - k;
    return new Scores((double) pkErrors / windows, (double) wdErrors / windows, k, windows);
  }

  /** True when the reference is long enough for at least one window. */
  public static boolean measurable(int[] referenceMasses) {
    int n = total(referenceMasses, "referenceMasses");
    return n - windowSize(referenceMasses) >= 1;
  }

  /** Half the mean segment length, rounded half-up, at least 1. */
  public static int windowSize(int[] referenceMasses) {
    int n = total(referenceMasses, "referenceMasses");
    double mean = (double) n / referenceMasses.length;
    return Math.max(1, (int) Math.round(mean / 2.0));
  }

  /** Segment lengths from boundary positions: a boundary {@code b} means unit {@code b} starts a segment. */
  public static int[] massesFromBoundaries(int length, List<Integer> boundaries) {
    if (length < 1) {
      throw new IllegalArgumentException("length must be >= 1, was " + length);
    }
    int[] masses = new int[boundaries.size() + 1];
    int previous = 0;
    for (int i = 0; i < boundaries.size(); i++) {
      int b = boundaries.get(i);
      if (b <= previous || b >= length) {
        throw new IllegalArgumentException("boundary " + b + " out of order or range (previous " + previous + ", length " + length + ")");
      }
      masses[i] = b - previous;
      previous = b;
    }
    masses[boundaries.size()] = length - previous;
    return masses;
  }

  private static int[] labels(int[] masses, int n) {
    int[] labels = new int[n];
    int position = 0;
    for (int s = 0; s < masses.length; s++) {
      for (int j = 0; j < masses[s]; j++) {
        labels[position++] = s;
      }
    }
    return labels;
  }

  private static int total(int[] masses, String name) {
    if (masses.length == 0) {
      throw new IllegalArgumentException(name + " is empty");
    }
    int n = 0;
    for (int mass : masses) {
      if (mass < 1) {
        throw new IllegalArgumentException(name + " must all be >= 1, found " + mass);
      }
      n += mass;
    }
    return n;
  }
}
