package dev.parley.insights.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

final class HungarianTest {
  @Test
  void minimise_matchesBruteForceOnRandomSquareAndRectangularMatrices() {
    SplittableRandom rng = new SplittableRandom(5);
    for (int trial = 0; trial < 200; trial++) {
      int rows = 1 + rng.nextInt(6);
      int cols = 1 + rng.nextInt(6);
      double[][] cost = new double[rows][cols];
      for (double[] r : cost) {
        for (int j = 0; j < cols; j++) {
          r[j] = rng.nextInt(20) - 5;
        }
      }
      int[] assignment = Hungarian.minimise(cost);
      assertThat(total(cost, assignment)).as("trial " + trial).isEqualTo(bruteForce(cost));
      assertThat(java.util.Arrays.stream(assignment).filter(c -> c >= 0).distinct().count())
          .isEqualTo(Math.min(rows, cols));
    }
  }

  @Test
  void maximise_knownMatrix() {
    double[][] score = {{10, 1, 0}, {0, 0, 9}, {2, 8, 0}};
    assertThat(Hungarian.maximise(score)).containsExactly(0, 2, 1);
  }

  private static double total(double[][] cost, int[] assignment) {
    double t = 0;
    for (int i = 0; i < assignment.length; i++) {
      if (assignment[i] >= 0) {
        t += cost[i][assignment[i]];
      }
    }
    return t;
  }

  /** Minimum over all injective maps of the smaller side into the larger. */
  private static double bruteForce(double[][] cost) {
    int rows = cost.length;
    int cols = cost[0].length;
    if (rows <= cols) {
      return search(cost, 0, new boolean[cols], rows, false);
    }
    return search(cost, 0, new boolean[rows], cols, true);
  }

  private static double search(double[][] cost, int i, boolean[] used, int count, boolean transposed) {
    if (i == count) {
      return 0;
    }
    double best = Double.POSITIVE_INFINITY;
    for (int j = 0; j < used.length; j++) {
      if (!used[j]) {
        used[j] = true;
        double c = transposed ? cost[j][i] : cost[i][j];
        best = Math.min(best, c + search(cost, i + 1, used, count, transposed));
        used[j] = false;
      }
    }
    return best;
  }
}
