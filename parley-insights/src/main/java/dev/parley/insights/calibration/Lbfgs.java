package dev.parley.insights.calibration;

import static java.util.Objects.requireNonNull;

/**
 * Limited-memory BFGS minimiser for smooth convex objectives (Nocedal, "Updating quasi-Newton matrices
 * with limited storage", Mathematics of Computation 35, 1980; Liu and Nocedal, "On the limited memory
 * BFGS method for large scale optimization", Mathematical Programming 45, 1989): the two-loop recursion
 * over the last {@code m} curvature pairs, with a backtracking line search on the Armijo condition.
 * Pairs with non-positive curvature are skipped, which keeps the implied Hessian positive definite.
 */
public final class Lbfgs {
  /** An objective: returns f(x) and writes its gradient into {@code gradient}. */
  @FunctionalInterface
  public interface Objective {
    double evaluate(double[] x, double[] gradient);
  }

  /** The outcome: the minimiser, its value, iterations used and whether the tolerance was met. */
  public record Result(double[] x, double value, int iterations, boolean converged) {}

  private final int memory;
  private final int maxIterations;
  private final double tolerance;

  /**
   * @param memory number of curvature pairs kept (5-20 is usual)
   * @param maxIterations iteration cap
   * @param tolerance stop when the relative decrease of f over an iteration falls below it, or the
   *     gradient norm falls below {@code tolerance * max(1, |x|)}
   */
  public Lbfgs(int memory, int maxIterations, double tolerance) {
    if (memory < 1) {
      throw new IllegalArgumentException("memory must be >= 1, was " + memory);
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maxIterations must be >= 1, was " + maxIterations);
    }
    if (!(tolerance > 0)) {
      throw new IllegalArgumentException("tolerance must be > 0, was " + tolerance);
    }
    this.memory = memory;
    this.maxIterations = maxIterations;
    this.tolerance = tolerance;
  }

  public Result minimize(Objective objective, double[] start) {
    requireNonNull(objective, "objective is null");
    int n = start.length;
    double[] x = start.clone();
    double[] g = new double[n];
    double f = objective.evaluate(x, g);
    double[][] s = new double[memory][];
    double[][] y = new double[memory][];
    double[] rho = new double[memory];
    double[] alpha = new double[memory];
    int stored = 0;
    int head = 0;
    double[] direction = new double[n];
    double[] xNew = new double[n];
    double[] gNew = new double[n];
    int iteration = 0;
    boolean converged = norm(g) <= tolerance * Math.max(1, norm(x));
    while (!converged && iteration < maxIterations) {
      iteration++;
      // Two-loop recursion: direction = -H g.
      System.arraycopy(g, 0, direction, 0, n);
      for (int k = 0; k < stored; k++) {
        int i = Math.floorMod(head - 1 - k, memory);
        alpha[i] = rho[i] * dot(s[i], direction);
        axpy(-alpha[i], y[i], direction);
      }
      if (stored > 0) {
        int last = Math.floorMod(head - 1, memory);
        double gamma = dot(s[last], y[last]) / dot(y[last], y[last]);
        scale(direction, gamma);
      } else {
        scale(direction, 1.0 / Math.max(1e-12, norm(g)));
      }
      for (int k = stored - 1; k >= 0; k--) {
        int i = Math.floorMod(head - 1 - k, memory);
        double beta = rho[i] * dot(y[i], direction);
        axpy(alpha[i] - beta, s[i], direction);
      }
      scale(direction, -1);
      double slope = dot(g, direction);
      if (slope >= 0) {
        // Not a descent direction (numerical trouble): restart from steepest descent.
        stored = 0;
        System.arraycopy(g, 0, direction, 0, n);
        scale(direction, -1.0 / Math.max(1e-12, norm(g)));
        slope = dot(g, direction);
      }
      double step = 1.0;
      double fNew;
      int backtracks = 0;
      while (true) {
        for (int j = 0; j < n; j++) {
          xNew[j] = x[j] + step * direction[j];
        }
        fNew = objective.evaluate(xNew, gNew);
        if (fNew <= f + 1e-4 * step * slope || backtracks >= 30) {
          break;
        }
        step *= 0.5;
        backtracks++;
      }
      if (backtracks >= 30 && fNew > f) {
        converged = true;
        break;
      }
      double[] sNew = new double[n];
      double[] yNew = new double[n];
      for (int j = 0; j < n; j++) {
        sNew[j] = xNew[j] - x[j];
        yNew[j] = gNew[j] - g[j];
      }
      double sy = dot(sNew, yNew);
      if (sy > 1e-12) {
        s[head] = sNew;
        y[head] = yNew;
        rho[head] = 1.0 / sy;
        head = (head + 1) % memory;
        stored = Math.min(stored + 1, memory);
      }
      double decrease = (f - fNew) / Math.max(Math.abs(f), Math.max(Math.abs(fNew), 1e-12));
      System.arraycopy(xNew, 0, x, 0, n);
      System.arraycopy(gNew, 0, g, 0, n);
      f = fNew;
      converged = decrease < tolerance * 1e-2 || norm(g) <= tolerance * Math.max(1, norm(x));
    }
    return new Result(x, f, iteration, converged);
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  private static void axpy(double alpha, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += alpha * x[i];
    }
  }

  private static void scale(double[] a, double factor) {
    for (int i = 0; i < a.length; i++) {
      a[i] *= factor;
    }
  }
}
