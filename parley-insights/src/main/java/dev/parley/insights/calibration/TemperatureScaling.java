package dev.parley.insights.calibration;

import static java.util.Objects.requireNonNull;

import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;

/**
 * Temperature scaling (Guo, Pleiss, Sun and Weinberger, "On Calibration of Modern Neural Networks",
 * ICML 2017): one scalar {@code T > 0} dividing the logits, chosen to minimise the negative
 * log-likelihood of held-out labels. It changes confidence, never the predicted class. The 1-D search
 * over {@code log T} uses Commons Math's Brent optimiser.
 */
public final class TemperatureScaling {
  private TemperatureScaling() {}

  /** The temperature minimising held-out NLL, searched over {@code T} in [0.05, 20]. */
  public static double fit(double[][] logits, int[] labels) {
    requireNonNull(logits, "logits is null");
    requireNonNull(labels, "labels is null");
    if (logits.length == 0) {
      throw new IllegalArgumentException("logits is empty");
    }
    if (logits.length != labels.length) {
      throw new IllegalArgumentException("logits and labels differ in size: " + logits.length + " vs " + labels.length);
    }
    UnivariateObjectiveFunction nll = new UnivariateObjectiveFunction(logT -> negativeLogLikelihood(logits, labels, Math.exp(logT)));
    var result = new BrentOptimizer(1e-6, 1e-8).optimize(
        new MaxEval(200), nll, GoalType.MINIMIZE, new SearchInterval(Math.log(0.05), Math.log(20), 0.0));
    return Math.exp(result.getPoint());
  }

  /** Mean negative log-likelihood of the labels under {@code softmax(logits / temperature)}. */
  public static double negativeLogLikelihood(double[][] logits, int[] labels, double temperature) {
    double total = 0;
    for (int i = 0; i < logits.length; i++) {
      double[] z = logits[i];
      double max = Double.NEGATIVE_INFINITY;
      for (double v : z) {
        max = Math.max(max, v / temperature);
      }
      double sum = 0;
      for (double v : z) {
        sum += Math.exp(v / temperature - max);
      }
      total += max + Math.log(sum) - z[labels[i]] / temperature;
    }
    return total / logits.length;
  }

  /** {@code softmax(logits / temperature)}. */
  public static double[] probabilities(double[] logits, double temperature) {
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be > 0, was " + temperature);
    }
    double[] p = new double[logits.length];
    double max = Double.NEGATIVE_INFINITY;
    for (double v : logits) {
      max = Math.max(max, v / temperature);
    }
    double sum = 0;
    for (int c = 0; c < p.length; c++) {
      p[c] = Math.exp(logits[c] / temperature - max);
      sum += p[c];
    }
    for (int c = 0; c < p.length; c++) {
      p[c] /= sum;
    }
    return p;
  }
}
