package dev.parley.insights.umap;

/**
 * UMAP configuration (the neighbour count is the {@code k} of the input graph).
 *
 * @param components output dimension (5 for clustering, 2 for plots)
 * @param minDist minimum distance in the embedding; small values pack clusters tightly
 * @param spread scale of embedded points
 * @param epochs SGD epochs; 0 chooses 500 below 10,000 points and 200 above (as umap-learn)
 * @param learningRate initial SGD step (decays linearly to 0)
 * @param negativeSampleRate negative samples per positive sample
 * @param repulsionStrength weight of negative samples
 * @param spectralIterations power-iteration steps of the spectral initialisation (0: random init)
 */
public record UmapOptions(int components, double minDist, double spread, int epochs, double learningRate,
                          int negativeSampleRate, double repulsionStrength, int spectralIterations) {
  public UmapOptions {
    if (components < 1) {
      throw new IllegalArgumentException("components must be >= 1, found " + components);
    }
    if (!(minDist >= 0) || !(spread > 0) || minDist > spread) {
      throw new IllegalArgumentException("minDist must be in [0, spread] and spread > 0, found minDist=" + minDist + ", spread=" + spread);
    }
    if (epochs < 0) {
      throw new IllegalArgumentException("epochs must be >= 0, found " + epochs);
    }
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learningRate must be > 0, found " + learningRate);
    }
    if (negativeSampleRate < 0) {
      throw new IllegalArgumentException("negativeSampleRate must be >= 0, found " + negativeSampleRate);
    }
    if (!(repulsionStrength >= 0)) {
      throw new IllegalArgumentException("repulsionStrength must be >= 0, found " + repulsionStrength);
    }
    if (spectralIterations < 0) {
      throw new IllegalArgumentException("spectralIterations must be >= 0, found " + spectralIterations);
    }
  }

  /**
   * Clustering defaults: 5-D, min_dist 0 (tight clusters), spread 1, auto epochs, learning rate 1,
   * 5 negative samples, repulsion 1, 100 spectral iterations.
   */
  public static UmapOptions defaults() {
    return new UmapOptions(5, 0.0, 1.0, 0, 1.0, 5, 1.0, 100);
  }

  public UmapOptions withComponents(int c) {
    return new UmapOptions(c, minDist, spread, epochs, learningRate, negativeSampleRate, repulsionStrength, spectralIterations);
  }

  public UmapOptions withEpochs(int e) {
    return new UmapOptions(components, minDist, spread, e, learningRate, negativeSampleRate, repulsionStrength, spectralIterations);
  }

  public UmapOptions withMinDist(double d) {
    return new UmapOptions(components, d, spread, epochs, learningRate, negativeSampleRate, repulsionStrength, spectralIterations);
  }
}
