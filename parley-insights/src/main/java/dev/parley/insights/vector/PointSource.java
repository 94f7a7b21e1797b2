package dev.parley.insights.vector;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * Input points delivered in chunks, so that a million 384-D (or 200k 4096-D) vectors need not sit in
 * one array. A source is re-iterable and deterministic: {@code chunk(c)} returns the same rows every
 * time (a generator reseeds per chunk). Chunk c holds points {@code [c * chunkSize, ...)}.
 */
public interface PointSource {
  int size();

  int dimension();

  int chunkSize();

  /** Rows of chunk {@code c}; the caller must not modify them. */
  float[][] chunk(int c);

  default int chunkCount() {
    return (size() + chunkSize() - 1) / chunkSize();
  }

  /** A source over rows already in memory (no copy). */
  static PointSource of(float[][] rows) {
    requireNonNull(rows, "rows is null");
    int dim = rows.length == 0 ? 0 : rows[0].length;
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] == null || rows[i].length != dim) {
        throw new IllegalArgumentException("every row must have dimension " + dim + ", found "
            + (rows[i] == null ? "null" : rows[i].length) + " at row " + i);
      }
    }
    int chunkSize = 8192;
    return new PointSource() {
      @Override
      public int size() {
        return rows.length;
      }

      @Override
      public int dimension() {
        return dim;
      }

      @Override
      public int chunkSize() {
        return chunkSize;
      }

      @Override
      public float[][] chunk(int c) {
        return Arrays.copyOfRange(rows, c * chunkSize, Math.min(rows.length, (c + 1) * chunkSize));
      }
    };
  }
}
