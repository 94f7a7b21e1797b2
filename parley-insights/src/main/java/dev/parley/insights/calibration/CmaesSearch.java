package dev.parley.insights.calibration;

import static java.util.Objects.requireNonNull;

import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.CMAESOptimizer;
import org.apache.commons.math3.random.MersenneTwister;

/**
 * Box-constrained minimisation of a black-box objective by CMA-ES (Hansen and Ostermeier, "Completely
 * Derandomized Self-Adaptation in Evolution Strategies", Evolutionary Computation 9(2), 2001), using
 * Apache Commons Math's {@link CMAESOptimizer}, restarted from several seeded starting points; the best
 * point over all restarts wins. Segmentation metrics are piecewise constant in the gate parameters, so
 * restarts matter more than precision.
 */
public final class CmaesSearch {
  /** The best point found and its objective value. */
  public record Result(double[] point, double value, int evaluations) {}

  private final int restarts;
  private final int maxEvaluations;
  private final long seed;

  public CmaesSearch(int restarts, int maxEvaluations, long seed) {
    if (restarts < 1) {
      throw new IllegalArgumentException("restarts must be >= 1, was " + restarts);
    }
    if (maxEvaluations < 10) {
      throw new IllegalArgumentException("maxEvaluations must be >= 10, was " + maxEvaluations);
    }
    this.restarts = restarts;
    this.maxEvaluations = maxEvaluations;
    this.seed = seed;
  }

  public Result minimize(ToDoubleFunction<double[]> objective, double[] lower, double[] upper, double[] start) {
    requireNonNull(objective, "objective is null");
    int n = lower.length;
    if (upper.length != n || start.length != n) {
      throw new IllegalArgumentException("lower, upper and start differ in length: " + n + ", " + upper.length + ", " + start.length);
    }
    MersenneTwister random = new MersenneTwister(seed);
    double[] bestPoint = start.clone();
    double bestValue = objective.applyAsDouble(start);
    int evaluations = 1;
    for (int r = 0; r < restarts; r++) {
      double[] x0 = new double[n];
      double[] sigma = new double[n];
      for (int j = 0; j < n; j++) {
        double span = upper[j] - lower[j];
        // First run starts from the given point; later runs from seeded random points in the box.
        x0[j] = r == 0 ? start[j] : lower[j] + span * (0.1 + 0.8 * random.nextDouble());
        sigma[j] = span / 4;
      }
      int[] count = {0};
      CMAESOptimizer optimizer = new CMAESOptimizer(
          maxEvaluations, 0, true, 0, 0, new MersenneTwister(random.nextLong()), false, new SimpleValueChecker(1e-9, 1e-12));
      PointValuePair found = optimizer.optimize(
          new MaxEval(maxEvaluations),
          new ObjectiveFunction(x -> {
            count[0]++;
            return objective.applyAsDouble(x);
          }),
          GoalType.MINIMIZE,
          new InitialGuess(x0),
          new SimpleBounds(lower, upper),
          new CMAESOptimizer.Sigma(sigma),
          new CMAESOptimizer.PopulationSize(4 + (int) (3 * Math.log(n)) + 4));
      evaluations += count[0];
      if (found.getValue() < bestValue) {
        bestValue = found.getValue();
        bestPoint = found.getPoint();
      }
    }
    return new Result(bestPoint, bestValue, evaluations);
  }
}
