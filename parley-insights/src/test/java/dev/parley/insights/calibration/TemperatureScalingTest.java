package dev.parley.insights.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

final class TemperatureScalingTest {
  @Test
  void fit_overconfidentLogits_recoversTemperature() {
    // Labels drawn from softmax(z); the logits handed to the fit are 3z (three times overconfident).
    SplittableRandom random = new SplittableRandom(9);
    int n = 4000;
    double[][] logits = new double[n][];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      double[] z = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
      double[] p = TemperatureScaling.probabilities(z, 1.0);
      double u = random.nextDouble();
      labels[i] = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
      logits[i] = new double[] {3 * z[0], 3 * z[1], 3 * z[2]};
    }
    assertThat(TemperatureScaling.fit(logits, labels)).isCloseTo(3.0, within(0.3));
  }
}
