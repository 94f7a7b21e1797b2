package dev.parley.insights.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

final class IsotonicRegressionTest {
  @Test
  void fit_violators_pooledToMean() {
    // y = 1, 3, 2, 4 over x = 1..4: the middle pair pools to 2.5.
    var iso = IsotonicRegression.fit(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4});
    assertThat(iso.knotsY()).containsExactly(1, 2.5, 4);
    assertThat(iso.apply(2.5)).isEqualTo(2.5);
  }

  @Test
  void apply_noisyData_isMonotone() {
    SplittableRandom random = new SplittableRandom(5);
    int n = 500;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextDouble();
      y[i] = random.nextDouble() < x[i] ? 1 : 0;
    }
    var iso = IsotonicRegression.fit(x, y);
    double previous = Double.NEGATIVE_INFINITY;
    for (double t = -0.1; t <= 1.1; t += 0.001) {
      double v = iso.apply(t);
      assertThat(v).isGreaterThanOrEqualTo(previous).isBetween(0.0, 1.0);
      previous = v;
    }
  }

  @Test
  void fromKnots_decreasing_rejected() {
    assertThrows(IllegalArgumentException.class, () -> IsotonicRegression.fromKnots(new double[] {0, 1}, new double[] {1, 0}));
  }
}
