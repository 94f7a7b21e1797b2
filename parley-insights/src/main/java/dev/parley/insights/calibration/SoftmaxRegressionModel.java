package dev.parley.insights.calibration;

import static java.util.Objects.requireNonNull;

/**
 * A fitted multinomial logistic regression: {@code p(c|x) = softmax(W_d x_d + W_s x_s + b)}. Immutable;
 * built by {@link SoftmaxRegressionTrainer}.
 */
public final class SoftmaxRegressionModel {
  private final int classes;
  private final int denseDimension;
  private final int sparseDimension;
  /** Class-major: weights of class c at {@code [c * denseDimension, (c + 1) * denseDimension)}. */
  private final float[] dense;
  /** Feature-major: weights of sparse feature j at {@code [j * classes, (j + 1) * classes)}. */
  private final float[] sparse;
  private final float[] bias;

  SoftmaxRegressionModel(int classes, int denseDimension, int sparseDimension, float[] dense, float[] sparse, float[] bias) {
    this.classes = classes;
    this.denseDimension = denseDimension;
    this.sparseDimension = sparseDimension;
    this.dense = requireNonNull(dense, "dense is null").clone();
    this.sparse = requireNonNull(sparse, "sparse is null").clone();
    this.bias = requireNonNull(bias, "bias is null").clone();
  }

  public int classes() {
    return classes;
  }

  /** All parameters in the trainer's layout (dense, sparse, bias), for warm starts. */
  double[] parameters() {
    double[] out = new double[dense.length + sparse.length + bias.length];
    int k = 0;
    for (float v : dense) {
      out[k++] = v;
    }
    for (float v : sparse) {
      out[k++] = v;
    }
    for (float v : bias) {
      out[k++] = v;
    }
    return out;
  }

  boolean compatible(int classes, int denseDimension, int sparseDimension) {
    return this.classes == classes && this.denseDimension == denseDimension && this.sparseDimension == sparseDimension;
  }

  /** Class probabilities of one example. */
  public double[] predictProbabilities(FeatureVector x) {
    double[] scores = logits(x);
    softmaxInPlace(scores);
    return scores;
  }

  /** Unnormalised log-probabilities (logits); temperature scaling divides these. */
  public double[] logits(FeatureVector x) {
    requireNonNull(x, "x is null");
    if (x.dense().length != denseDimension) {
      throw new IllegalArgumentException("dense features have dimension " + x.dense().length + ", the model expects " + denseDimension);
    }
    double[] out = new double[classes];
    logits(classes, denseDimension, dense, sparse, sparseDimension, bias, x, out);
    return out;
  }

  static void logits(int classes, int d, float[] dense, float[] sparse, int sparseDimension, float[] bias, FeatureVector x, double[] out) {
    float[] xd = x.dense();
    for (int c = 0; c < classes; c++) {
      out[c] = bias[c] + (d == 0 ? 0 : Kernels.dot(dense, c * d, xd, 0, d));
    }
    int[] idx = x.sparse().indexes();
    float[] val = x.sparse().values();
    for (int j = 0; j < idx.length; j++) {
      int f = idx[j];
      if (f >= sparseDimension) {
        continue;
      }
      float v = val[j];
      int base = f * classes;
      for (int c = 0; c < classes; c++) {
        out[c] += v * sparse[base + c];
      }
    }
  }

  /** Replaces logits by probabilities, stably (subtracting the maximum first). */
  public static void softmaxInPlace(double[] scores) {
    double max = Double.NEGATIVE_INFINITY;
    for (double s : scores) {
      max = Math.max(max, s);
    }
    double sum = 0;
    for (int c = 0; c < scores.length; c++) {
      scores[c] = Math.exp(scores[c] - max);
      sum += scores[c];
    }
    for (int c = 0; c < scores.length; c++) {
      scores[c] /= sum;
    }
  }
}
