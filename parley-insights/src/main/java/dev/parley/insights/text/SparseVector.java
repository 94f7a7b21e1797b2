package dev.parley.insights.text;

import static java.util.Objects.requireNonNull;

/**
 * A sparse vector: strictly increasing feature indexes with their values.
 */
public record SparseVector(int[] indexes, float[] values) {
  public static final SparseVector EMPTY = new SparseVector(new int[0], new float[0]);

  public SparseVector {
    requireNonNull(indexes, "indexes is null");
    requireNonNull(values, "values is null");
    if (indexes.length != values.length) {
      throw new IllegalArgumentException("indexes and values differ in length: " + indexes.length + " vs " + values.length);
    }
    for (int i = 1; i < indexes.length; i++) {
      if (indexes[i] <= indexes[i - 1]) {
        throw new IllegalArgumentException("indexes must be strictly increasing, found " + indexes[i - 1] + " then " + indexes[i]);
      }
    }
  }

  public int size() {
    return indexes.length;
  }

  /** Dot product of two sparse vectors (merge of sorted indexes). */
  public double dot(SparseVector other) {
    double sum = 0;
    int i = 0;
    int j = 0;
    while (i < indexes.length && j < other.indexes.length) {
      int a = indexes[i];
      int b = other.indexes[j];
      if (a == b) {
        sum += (double) values[i++] * other.values[j++];
      } else if (a < b) {
        i++;
      } else {
        j++;
      }
    }
    return sum;
  }

  public double norm() {
    double sum = 0;
    for (float v : values) {
      sum += (double) v * v;
    }
    return Math.sqrt(sum);
  }
}
