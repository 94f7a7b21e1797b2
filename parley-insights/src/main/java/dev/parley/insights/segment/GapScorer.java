package dev.parley.insights.segment;

import static java.util.Objects.requireNonNull;

/**
 * Logistic boundary probability of a gap from its {@link GapFeatures}: features are standardised with the
 * training means and standard deviations, then {@code p = sigmoid(w . x + b)}.
 */
public record GapScorer(double[] means, double[] scales, double[] weights, double bias) {
  public GapScorer {
    requireNonNull(means, "means is null");
    requireNonNull(scales, "scales is null");
    requireNonNull(weights, "weights is null");
    if (means.length != scales.length || means.length != weights.length) {
      throw new IllegalArgumentException("means, scales and weights differ in length: " + means.length + ", " + scales.length + ", " + weights.length);
    }
    for (double s : scales) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("scales must be > 0, found " + s);
      }
    }
  }

  public double probability(double[] features) {
    if (features.length != weights.length) {
      throw new IllegalArgumentException("expected " + weights.length + " features, got " + features.length);
    }
    double z = bias;
    for (int j = 0; j < features.length; j++) {
      z += weights[j] * (features[j] - means[j]) / scales[j];
    }
    return 1 / (1 + Math.exp(-z));
  }
}
