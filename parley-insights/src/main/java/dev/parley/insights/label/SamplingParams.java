package dev.parley.insights.label;

/**
 * How many representatives to draw from a cluster for labelling, and when to stop early.
 *
 * <p>The budget is {@code perLogSize * ln(1 + size) * (1 + spread / spreadScale)}, clamped to
 * [{@code minSamples}, {@code maxSamples}] and to the cluster size, where {@code spread} is one minus the
 * members' mean cosine similarity to the centroid: big and loose clusters get more representatives.
 * Sampling stops before the budget once adding a representative raises coverage (the members' mean best
 * cosine similarity to the sample) by less than {@code minGain}.
 *
 * @param outlierFraction the share of members farthest from the centroid that are never picked as
 *     representatives (they still count for coverage): plain farthest-point sampling would spend its
 *     budget on them first
 * @param maxScanned clusters larger than this are scanned through an evenly spaced subset of this many
 *     members (by distance rank), which keeps labelling linear in the number of clusters
 */
public record SamplingParams(
    int minSamples, int maxSamples, double perLogSize, double spreadScale, double minGain, double outlierFraction, int maxScanned) {

  public static final SamplingParams DEFAULTS = new SamplingParams(3, 24, 1.5, 0.25, 0.002, 0.05, 4000);

  public SamplingParams {
    if (minSamples < 1) {
      throw new IllegalArgumentException("minSamples must be >= 1, was " + minSamples);
    }
    if (maxSamples < minSamples) {
      throw new IllegalArgumentException("maxSamples must be >= minSamples (" + minSamples + "), was " + maxSamples);
    }
    if (!(perLogSize > 0)) {
      throw new IllegalArgumentException("perLogSize must be > 0, was " + perLogSize);
    }
    if (!(spreadScale > 0)) {
      throw new IllegalArgumentException("spreadScale must be > 0, was " + spreadScale);
    }
    if (!(minGain >= 0)) {
      throw new IllegalArgumentException("minGain must be >= 0, was " + minGain);
    }
    if (!(outlierFraction >= 0 && outlierFraction < 1)) {
      throw new IllegalArgumentException("outlierFraction must be in [0, 1), was " + outlierFraction);
    }
    if (maxScanned < maxSamples) {
      throw new IllegalArgumentException("maxScanned must be >= maxSamples (" + maxSamples + "), was " + maxScanned);
    }
  }

  /** The budget for a cluster of {@code size} members with the given spread (1 - mean cosine to centroid). */
  public int budget(int size, double spread) {
    double raw = perLogSize * Math.log1p(size) * (1 + Math.max(0, spread) / spreadScale);
    int budget = (int) Math.ceil(raw);
    return Math.min(size, Math.max(minSamples, Math.min(maxSamples, budget)));
  }
}
