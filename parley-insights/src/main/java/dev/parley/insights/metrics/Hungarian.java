package dev.parley.insights.metrics;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * Minimum-cost assignment on a rectangular cost matrix, O(n^2 m) with row and column potentials
 * (the shortest augmenting path form of the Hungarian method).
 *
 * <p>H. W. Kuhn, "The Hungarian method for the assignment problem", Naval Research Logistics
 * Quarterly 2 (1955); J. Munkres, "Algorithms for the assignment and transportation problems",
 * J. SIAM 5 (1957); potentials formulation after R. Jonker and A. Volgenant (1987).
 */
public final class Hungarian {
  private Hungarian() {}

  /**
   * Assigns every row to a distinct column minimising the total cost.
   *
   * @param cost rows x cols, rows <= cols is not required (the matrix is transposed internally)
   * @return for each row, its column, or -1 when there are more rows than columns and the row is left out
   */
  public static int[] minimise(double[][] cost) {
    requireNonNull(cost, "cost is null");
    int rows = cost.length;
    if (rows == 0) {
      return new int[0];
    }
    int cols = cost[0].length;
    for (double[] row : cost) {
      if (row.length != cols) {
        throw new IllegalArgumentException("cost must be rectangular, expected " + cols + " columns, found " + row.length);
      }
    }
    if (rows <= cols) {
      return solve(cost, rows, cols);
    }
    double[][] t = new double[cols][rows];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j][i] = cost[i][j];
      }
    }
    int[] colToRow = solve(t, cols, rows);
    int[] rowToCol = new int[rows];
    Arrays.fill(rowToCol, -1);
    for (int j = 0; j < cols; j++) {
      rowToCol[colToRow[j]] = j;
    }
    return rowToCol;
  }

  /** Assignment maximising the total of {@code score} (e.g. a contingency table). */
  public static int[] maximise(double[][] score) {
    double[][] cost = new double[score.length][];
    for (int i = 0; i < score.length; i++) {
      cost[i] = new double[score[i].length];
      for (int j = 0; j < score[i].length; j++) {
        cost[i][j] = -score[i][j];
      }
    }
    return minimise(cost);
  }

  /*
   * 1-based arrays: column 0 is a virtual column holding the row being inserted. For each new row, a
   * Dijkstra-like scan over columns with reduced costs finds the shortest augmenting path; potentials
   * u (rows) and v (columns) keep reduced costs non-negative.
   */
  private static int[] solve(double[][] a, int n, int m) {
    double[] u = new double[n + 1];
    double[] v = new double[m + 1];
    int[] p = new int[m + 1];
    int[] way = new int[m + 1];
    double[] minv = new double[m + 1];
    boolean[] used = new boolean[m + 1];
    for (int i = 1; i <= n; i++) {
      p[0] = i;
      int j0 = 0;
      Arrays.fill(minv, Double.POSITIVE_INFINITY);
      Arrays.fill(used, false);
      do {
        used[j0] = true;
        int i0 = p[j0];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = -1;
        double[] row = a[i0 - 1];
        for (int j = 1; j <= m; j++) {
          if (!used[j]) {
            double cur = row[j - 1] - u[i0] - v[j];
            if (cur < minv[j]) {
              minv[j] = cur;
              way[j] = j0;
            }
            if (minv[j] < delta) {
              delta = minv[j];
              j1 = j;
            }
          }
        }
        for (int j = 0; j <= m; j++) {
          if (used[j]) {
            u[p[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (p[j0] != 0);
      do {
        int j1 = way[j0];
        p[j0] = p[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    int[] rowToCol = new int[n];
    for (int j = 1; j <= m; j++) {
      if (p[j] != 0) {
        rowToCol[p[j] - 1] = j - 1;
      }
    }
    return rowToCol;
  }
}
