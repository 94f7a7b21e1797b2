package dev.parley.insights.calibration;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Fits multinomial (softmax) logistic regression with L2 regularisation by full-batch L-BFGS
 * (see {@link Lbfgs}). The objective is the mean cross-entropy plus {@code l2 / 2 * |W|^2} (bias not
 * regularised); it is strictly convex, so the fit does not depend on a seed: weights start at zero.
 *
 * <p>Implementation note: examples are cut into a fixed number of chunks whose gradients are computed in
 * parallel and summed in chunk order, so the result is the same on any number of cores.
 */
public final class SoftmaxRegressionTrainer {
  private static final int CHUNKS = 8;

  private final double l2;
  private final int maxIterations;
  private final double tolerance;

  public SoftmaxRegressionTrainer(double l2, int maxIterations, double tolerance) {
    if (!(l2 >= 0)) {
      throw new IllegalArgumentException("l2 must be >= 0, was " + l2);
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maxIterations must be >= 1, was " + maxIterations);
    }
    if (!(tolerance > 0)) {
      throw new IllegalArgumentException("tolerance must be > 0, was " + tolerance);
    }
    this.l2 = l2;
    this.maxIterations = maxIterations;
    this.tolerance = tolerance;
  }

  /** The fitted model and how the optimiser ended. */
  public record Fit(SoftmaxRegressionModel model, int iterations, boolean converged, double loss) {}

  /**
   * @param features one per example; all dense blocks of equal length
   * @param labels class index per example, in {@code [0, classes)}
   * @param sparseDimension number of sparse features (indexes at or above it are ignored)
   */
  public Fit fit(List<FeatureVector> features, int[] labels, int classes, int sparseDimension) {
    return fit(features, labels, classes, sparseDimension, java.util.Optional.empty());
  }

  /**
   * As {@link #fit(List, int[], int, int)}, starting from {@code warmStart}'s weights when given (same
   * shape): refitting on a superset of the data then takes a fraction of the iterations.
   */
  public Fit fit(List<FeatureVector> features, int[] labels, int classes, int sparseDimension, java.util.Optional<SoftmaxRegressionModel> warmStart) {
    requireNonNull(warmStart, "warmStart is null");
    requireNonNull(features, "features is null");
    requireNonNull(labels, "labels is null");
    if (features.isEmpty()) {
      throw new IllegalArgumentException("features is empty");
    }
    if (features.size() != labels.length) {
      throw new IllegalArgumentException("features and labels differ in size: " + features.size() + " vs " + labels.length);
    }
    if (classes < 2) {
      throw new IllegalArgumentException("classes must be >= 2, was " + classes);
    }
    int d = features.getFirst().dense().length;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("label of example " + i + " must be in [0, " + classes + "), was " + labels[i]);
      }
      if (features.get(i).dense().length != d) {
        throw new IllegalArgumentException("example " + i + " has dense dimension " + features.get(i).dense().length + ", expected " + d);
      }
    }
    FeatureVector[] xs = features.toArray(FeatureVector[]::new);
    int[] ys = labels.clone();
    Layout layout = new Layout(classes, d, sparseDimension);
    Lbfgs.Result result = new Lbfgs(10, maxIterations, tolerance)
        .minimize((w, g) -> objective(layout, xs, ys, w, g), start(warmStart, layout));
    float[] w = toFloat(result.x());
    SoftmaxRegressionModel model = new SoftmaxRegressionModel(
        classes, d, sparseDimension,
        java.util.Arrays.copyOfRange(w, 0, layout.sparseOffset()),
        java.util.Arrays.copyOfRange(w, layout.sparseOffset(), layout.biasOffset()),
        java.util.Arrays.copyOfRange(w, layout.biasOffset(), layout.size()));
    return new Fit(model, result.iterations(), result.converged(), result.value());
  }

  private static double[] start(java.util.Optional<SoftmaxRegressionModel> warmStart, Layout layout) {
    if (warmStart.isPresent()) {
      if (!warmStart.get().compatible(layout.classes(), layout.dense(), layout.sparse())) {
        throw new IllegalArgumentException("warm-start model has a different shape than the data");
      }
      return warmStart.get().parameters();
    }
    return new double[layout.size()];
  }

  /** Parameter layout: dense class-major, then sparse feature-major, then biases. */
  private record Layout(int classes, int dense, int sparse) {
    int sparseOffset() {
      return classes * dense;
    }

    int biasOffset() {
      return sparseOffset() + sparse * classes;
    }

    int size() {
      return biasOffset() + classes;
    }
  }

  private double objective(Layout layout, FeatureVector[] xs, int[] ys, double[] w, double[] gradient) {
    float[] wf = toFloat(w);
    float[] dense = java.util.Arrays.copyOfRange(wf, 0, layout.sparseOffset());
    float[] sparse = java.util.Arrays.copyOfRange(wf, layout.sparseOffset(), layout.biasOffset());
    float[] bias = java.util.Arrays.copyOfRange(wf, layout.biasOffset(), layout.size());
    int n = xs.length;
    int chunks = Math.min(CHUNKS, n);
    float[][] grads = new float[chunks][];
    double[] losses = new double[chunks];
    IntStream.range(0, chunks).parallel().forEach(chunk -> {
      int from = (int) ((long) n * chunk / chunks);
      int to = (int) ((long) n * (chunk + 1) / chunks);
      float[] g = new float[layout.size()];
      losses[chunk] = chunkGradient(layout, xs, ys, from, to, dense, sparse, bias, g);
      grads[chunk] = g;
    });
    java.util.Arrays.fill(gradient, 0);
    double loss = 0;
    for (int chunk = 0; chunk < chunks; chunk++) {
      loss += losses[chunk];
      float[] g = grads[chunk];
      for (int j = 0; j < g.length; j++) {
        gradient[j] += g[j];
      }
    }
    loss /= n;
    double reg = 0;
    int regularised = layout.biasOffset();
    for (int j = 0; j < gradient.length; j++) {
      gradient[j] /= n;
      if (j < regularised) {
        reg += w[j] * w[j];
        gradient[j] += l2 * w[j];
      }
    }
    return loss + 0.5 * l2 * reg;
  }

  /** Cross-entropy summed over examples [from, to), gradient (unscaled) accumulated into g. */
  private static double chunkGradient(
      Layout layout, FeatureVector[] xs, int[] ys, int from, int to, float[] dense, float[] sparse, float[] bias, float[] g) {
    int classes = layout.classes();
    int d = layout.dense();
    int sparseOffset = layout.sparseOffset();
    int biasOffset = layout.biasOffset();
    double[] p = new double[classes];
    double loss = 0;
    for (int i = from; i < to; i++) {
      FeatureVector x = xs[i];
      SoftmaxRegressionModel.logits(classes, d, dense, sparse, layout.sparse(), bias, x, p);
      double max = Double.NEGATIVE_INFINITY;
      for (double v : p) {
        max = Math.max(max, v);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp(p[c] - max);
      }
      double logZ = max + Math.log(sum);
      loss += logZ - p[ys[i]];
      float[] xd = x.dense();
      int[] idx = x.sparse().indexes();
      float[] val = x.sparse().values();
      for (int c = 0; c < classes; c++) {
        float delta = (float) (Math.exp(p[c] - logZ) - (c == ys[i] ? 1 : 0));
        if (d > 0) {
          Kernels.axpy(delta, xd, 0, g, c * d, d);
        }
        g[biasOffset + c] += delta;
        for (int j = 0; j < idx.length; j++) {
          if (idx[j] < layout.sparse()) {
            g[sparseOffset + idx[j] * classes + c] += delta * val[j];
          }
        }
      }
    }
    return loss;
  }

  private static float[] toFloat(double[] w) {
    float[] out = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      out[i] = (float) w[i];
    }
    return out;
  }
}
