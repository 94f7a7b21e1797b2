package dev.parley.insights.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

final class LbfgsTest {
  @Test
  void minimize_rosenbrock_reachesOneOne() {
    Lbfgs.Objective rosenbrock = (x, g) -> {
      double a = 1 - x[0];
      double b = x[1] - x[0] * x[0];
      g[0] = -2 * a - 400 * x[0] * b;
      g[1] = 200 * b;
      return a * a + 100 * b * b;
    };
    var r = new Lbfgs(7, 500, 1e-10).minimize(rosenbrock, new double[] {-1.2, 1});
    assertThat(r.x()[0]).isCloseTo(1, within(1e-3));
    assertThat(r.x()[1]).isCloseTo(1, within(1e-3));
  }
}
