package dev.parley.insights.calibration;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Maps a confidence score (the top class's calibrated probability) to a level: {@code high} at or above
 * {@link #high}, {@code medium} at or above {@link #medium}, else {@code low}. Thresholds are fitted on
 * held-out predictions so that the precision of everything at or above the threshold reaches a target
 * (a selective-classification risk bound, as in Geifman and El-Yaniv, "Selective Classification for
 * Deep Neural Networks", NeurIPS 2017).
 *
 * @param high lowest score called {@code high}; above 1 means never
 * @param medium lowest score called {@code medium}; {@code medium <= high}
 * @param heldOut number of held-out predictions the thresholds were fitted on (0 for defaults)
 */
public record ConfidenceThresholds(double high, double medium, double targetHigh, double targetMedium, int heldOut) {
  /** Unfitted defaults, used only when no held-out data exists. */
  public static final ConfidenceThresholds DEFAULTS = new ConfidenceThresholds(0.9, 0.6, 0.97, 0.85, 0);

  public ConfidenceThresholds {
    if (!(medium <= high)) {
      throw new IllegalArgumentException("medium must be <= high, were " + medium + " and " + high);
    }
  }

  public enum Level { HIGH, MEDIUM, LOW }

  public Level level(double score) {
    if (score >= high) {
      return Level.HIGH;
    }
    return score >= medium ? Level.MEDIUM : Level.LOW;
  }

  /**
   * Fits the two thresholds: for each target, the lowest score whose tail (all predictions scoring at least
   * as high) reaches the target precision with at least {@code minSupport} predictions in it; when none
   * does, the threshold is set above 1 (the level is never used).
   */
  public static ConfidenceThresholds fit(double[] scores, boolean[] correct, double targetHigh, double targetMedium, int minSupport) {
    requireNonNull(scores, "scores is null");
    requireNonNull(correct, "correct is null");
    if (scores.length != correct.length) {
      throw new IllegalArgumentException("scores and correct differ in length: " + scores.length + " vs " + correct.length);
    }
    if (!(targetMedium <= targetHigh)) {
      throw new IllegalArgumentException("targetMedium must be <= targetHigh, were " + targetMedium + " and " + targetHigh);
    }
    if (minSupport < 1) {
      throw new IllegalArgumentException("minSupport must be >= 1, was " + minSupport);
    }
    double high = tailThreshold(scores, correct, targetHigh, minSupport);
    double medium = Math.min(high, tailThreshold(scores, correct, targetMedium, minSupport));
    return new ConfidenceThresholds(high, medium, targetHigh, targetMedium, scores.length);
  }

  private static double tailThreshold(double[] scores, boolean[] correct, double target, int minSupport) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
    double best = 1.0 + 1e-9;
    int hits = 0;
    for (int k = 0; k < order.length; k++) {
      if (correct[order[k]]) {
        hits++;
      }
      int count = k + 1;
      boolean tieNext = k + 1 < order.length && scores[order[k + 1]] == scores[order[k]];
      if (!tieNext && count >= minSupport && (double) hits / count >= target) {
        best = scores[order[k]];
      }
    }
    return best;
  }
}
