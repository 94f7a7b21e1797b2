package dev.parley.insights.umap;

import static java.util.Objects.requireNonNull;

/**
 * A UMAP embedding of n points. Used only to find density structure; never persisted (DESIGN §1:
 * everything downstream works in the original space).
 *
 * @param n points
 * @param components dimension of the embedding
 * @param embedding row-major n x components coordinates
 * @param a fitted curve parameter a
 * @param b fitted curve parameter b
 */
public record UmapModel(int n, int components, float[] embedding, double a, double b) {
  public UmapModel {
    requireNonNull(embedding, "embedding is null");
    if (embedding.length != n * components) {
      throw new IllegalArgumentException("embedding must have n*components=" + n * components + " values, found " + embedding.length);
    }
  }

  public float[] point(int i) {
    float[] out = new float[components];
    System.arraycopy(embedding, i * components, out, 0, components);
    return out;
  }

  /** Coordinates as doubles, row-major (the input format of {@code hdbscan}). */
  public double[] asDoubles() {
    double[] out = new double[embedding.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = embedding[i];
    }
    return out;
  }
}
