package dev.parley.insights.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

final class ConfidenceThresholdsTest {
  /** Scores whose chance of being right equals the score (perfectly calibrated). */
  private static double[][] calibrated(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] scores = new double[n];
    double[] correct = new double[n];
    for (int i = 0; i < n; i++) {
      scores[i] = 0.2 + 0.8 * random.nextDouble();
      correct[i] = random.nextDouble() < scores[i] ? 1 : 0;
    }
    return new double[][] {scores, correct};
  }

  @Test
  void fit_tailPrecisionMeetsTargetsOnTheFitData() {
    double[][] d = calibrated(5000, 3);
    boolean[] ok = new boolean[d[0].length];
    for (int i = 0; i < ok.length; i++) {
      ok[i] = d[1][i] == 1;
    }
    var t = ConfidenceThresholds.fit(d[0], ok, 0.95, 0.8, 20);
    assertThat(t.medium()).isLessThanOrEqualTo(t.high());
    int highCount = 0;
    int highRight = 0;
    for (int i = 0; i < ok.length; i++) {
      if (d[0][i] >= t.high()) {
        highCount++;
        highRight += ok[i] ? 1 : 0;
      }
    }
    assertThat(highCount).isGreaterThan(0);
    assertThat((double) highRight / highCount).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void level_isMonotoneInScore() {
    var t = new ConfidenceThresholds(0.8, 0.5, 0.97, 0.85, 100);
    ConfidenceThresholds.Level previous = ConfidenceThresholds.Level.LOW;
    for (double s = 0; s <= 1.0; s += 0.01) {
      ConfidenceThresholds.Level level = t.level(s);
      // Enum order is HIGH, MEDIUM, LOW: a higher score never gets a later (lower) level.
      assertThat(level.ordinal()).isLessThanOrEqualTo(previous.ordinal());
      previous = level;
    }
  }

  @Test
  void fit_unreachableTarget_highNeverUsed() {
    var t = ConfidenceThresholds.fit(new double[] {0.9, 0.8, 0.7}, new boolean[] {false, true, false}, 0.99, 0.5, 1);
    assertThat(t.level(1.0)).isNotEqualTo(ConfidenceThresholds.Level.HIGH);
  }

  @Test
  void constructor_mediumAboveHigh_rejected() {
    var e = assertThrows(IllegalArgumentException.class, () -> new ConfidenceThresholds(0.5, 0.6, 0.9, 0.8, 0));
    assertThat(e.getMessage()).contains("0.6").contains("0.5");
  }
}
