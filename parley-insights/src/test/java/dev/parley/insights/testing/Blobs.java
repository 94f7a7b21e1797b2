package dev.parley.insights.testing;

import java.util.SplittableRandom;

/** Seeded synthetic data with known labels for clustering tests. */
public final class Blobs {
  private Blobs() {}

  /** Labelled points: row-major coordinates and the true label of each point (-1 for uniform noise). */
  public record Data(double[] coords, int dim, int[] labels) {
    public int n() {
      return labels.length;
    }

    public float[][] rows() {
      float[][] out = new float[labels.length][dim];
      for (int i = 0; i < labels.length; i++) {
        for (int d = 0; d < dim; d++) {
          out[i][d] = (float) coords[i * dim + d];
        }
      }
      return out;
    }
  }

  /** Gaussian blobs with centres uniform in [-spread, spread]^dim, sigma {@code sd}, plus uniform noise. */
  public static Data gaussian(int n, int dim, int k, double sd, double spread, double noiseShare, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] centres = new double[k][dim];
    for (double[] c : centres) {
      for (int d = 0; d < dim; d++) {
        c[d] = (rng.nextDouble() * 2 - 1) * spread;
      }
    }
    double[] coords = new double[n * dim];
    int[] labels = new int[n];
    int noise = (int) Math.round(n * noiseShare);
    for (int i = 0; i < n; i++) {
      if (i < noise) {
        labels[i] = -1;
        for (int d = 0; d < dim; d++) {
          coords[i * dim + d] = (rng.nextDouble() * 2 - 1) * spread * 1.3;
        }
      } else {
        int c = i % k;
        labels[i] = c;
        for (int d = 0; d < dim; d++) {
          coords[i * dim + d] = centres[c][d] + rng.nextGaussian() * sd;
        }
      }
    }
    return new Data(coords, dim, labels);
  }

  /** Unit-sphere mixture (embeddings-like): k random directions, points = normalise(centre + sd * g). */
  public static Data sphere(int n, int dim, int k, double sd, double noiseShare, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] centres = new double[k][dim];
    for (double[] c : centres) {
      double norm = 0;
      for (int d = 0; d < dim; d++) {
        c[d] = rng.nextGaussian();
        norm += c[d] * c[d];
      }
      norm = Math.sqrt(norm);
      for (int d = 0; d < dim; d++) {
        c[d] /= norm;
      }
    }
    double[] coords = new double[n * dim];
    int[] labels = new int[n];
    int noise = (int) Math.round(n * noiseShare);
    for (int i = 0; i < n; i++) {
      double[] v = new double[dim];
      if (i < noise) {
        labels[i] = -1;
        for (int d = 0; d < dim; d++) {
          v[d] = rng.nextGaussian();
        }
      } else {
        int c = i % k;
        labels[i] = c;
        for (int d = 0; d < dim; d++) {
          v[d] = centres[c][d] + rng.nextGaussian() * sd;
        }
      }
      double norm = 0;
      for (double x : v) {
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      for (int d = 0; d < dim; d++) {
        coords[i * dim + d] = v[d] / norm;
      }
    }
    return new Data(coords, dim, labels);
  }
}
