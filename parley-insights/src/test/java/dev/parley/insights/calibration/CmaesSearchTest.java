package dev.parley.insights.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

final class CmaesSearchTest {
  @Test
  void minimize_shiftedQuadratic_findsMinimumDeterministically() {
    java.util.function.ToDoubleFunction<double[]> f = x -> Math.pow(x[0] - 0.3, 2) + 2 * Math.pow(x[1] + 0.7, 2);
    var a = new CmaesSearch(2, 500, 42).minimize(f, new double[] {-2, -2}, new double[] {2, 2}, new double[] {1, 1});
    var b = new CmaesSearch(2, 500, 42).minimize(f, new double[] {-2, -2}, new double[] {2, 2}, new double[] {1, 1});
    assertThat(a.point()[0]).isCloseTo(0.3, within(1e-3));
    assertThat(a.point()[1]).isCloseTo(-0.7, within(1e-3));
    assertThat(a.point()).containsExactly(b.point());
  }
}
