package dev.parley.insights.calibration;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.text.SparseVector;

/** One example's features: a dense block (an embedding) and a sparse block (lexical TF-IDF terms). */
public record FeatureVector(float[] dense, SparseVector sparse) {
  public FeatureVector {
    requireNonNull(dense, "dense is null");
    requireNonNull(sparse, "sparse is null");
  }

  public static FeatureVector dense(float[] dense) {
    return new FeatureVector(dense, SparseVector.EMPTY);
  }
}
