package dev.parley.insights.calibration;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Isotonic regression by the pool-adjacent-violators algorithm (Ayer et al., "An Empirical Distribution
 * Function for Sampling with Incomplete Information", Annals of Mathematical Statistics 26, 1955; used for
 * classifier calibration by Zadrozny and Elkan, KDD 2002): the non-decreasing step function of a score
 * closest in squared error to the observed outcomes. Used to map a confidence score to the accuracy
 * observed at that score on held-out data. Immutable; {@link #apply} interpolates linearly between
 * block centres and is non-decreasing by construction.
 */
public final class IsotonicRegression {
  private final double[] xs;
  private final double[] ys;

  private IsotonicRegression(double[] xs, double[] ys) {
    this.xs = xs;
    this.ys = ys;
  }

  /** Fits outcomes {@code y} (e.g. 1 correct, 0 wrong) against scores {@code x}. */
  public static IsotonicRegression fit(double[] x, double[] y) {
    requireNonNull(x, "x is null");
    requireNonNull(y, "y is null");
    if (x.length != y.length) {
      throw new IllegalArgumentException("x and y differ in length: " + x.length + " vs " + y.length);
    }
    if (x.length == 0) {
      throw new IllegalArgumentException("x is empty");
    }
    Integer[] order = new Integer[x.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> x[i]));
    int n = x.length;
    double[] blockSum = new double[n];
    double[] blockWeight = new double[n];
    double[] blockX = new double[n];
    int blocks = 0;
    for (int k = 0; k < n; k++) {
      int i = order[k];
      blockSum[blocks] = y[i];
      blockWeight[blocks] = 1;
      blockX[blocks] = x[i];
      blocks++;
      // Pool while the last block's mean is below its predecessor's.
      while (blocks > 1 && blockSum[blocks - 2] / blockWeight[blocks - 2] >= blockSum[blocks - 1] / blockWeight[blocks - 1]) {
        double w = blockWeight[blocks - 2] + blockWeight[blocks - 1];
        blockX[blocks - 2] = (blockX[blocks - 2] * blockWeight[blocks - 2] + blockX[blocks - 1] * blockWeight[blocks - 1]) / w;
        blockSum[blocks - 2] += blockSum[blocks - 1];
        blockWeight[blocks - 2] = w;
        blocks--;
      }
    }
    double[] xs = new double[blocks];
    double[] ys = new double[blocks];
    for (int b = 0; b < blocks; b++) {
      xs[b] = blockX[b];
      ys[b] = blockSum[b] / blockWeight[b];
    }
    return new IsotonicRegression(xs, ys);
  }

  /** The fitted value at {@code x}: flat beyond the ends, linear between block centres. */
  public double apply(double x) {
    if (x <= xs[0]) {
      return ys[0];
    }
    if (x >= xs[xs.length - 1]) {
      return ys[ys.length - 1];
    }
    int hi = Arrays.binarySearch(xs, x);
    if (hi >= 0) {
      return ys[hi];
    }
    hi = -hi - 1;
    int lo = hi - 1;
    double t = (x - xs[lo]) / (xs[hi] - xs[lo]);
    return ys[lo] + t * (ys[hi] - ys[lo]);
  }

  public double[] knotsX() {
    return xs.clone();
  }

  public double[] knotsY() {
    return ys.clone();
  }

  /** Rebuilds a fitted function from its knots (as saved). */
  public static IsotonicRegression fromKnots(double[] x, double[] y) {
    if (x.length != y.length || x.length == 0) {
      throw new IllegalArgumentException("knots must be non-empty and of equal length, were " + x.length + " and " + y.length);
    }
    for (int i = 1; i < x.length; i++) {
      if (x[i] < x[i - 1] || y[i] < y[i - 1]) {
        throw new IllegalArgumentException("knots must be non-decreasing, found a decrease at " + i);
      }
    }
    return new IsotonicRegression(x.clone(), y.clone());
  }
}
