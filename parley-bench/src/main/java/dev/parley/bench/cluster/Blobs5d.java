package dev.parley.bench.cluster;

import java.util.SplittableRandom;

/** Gaussian blobs in low dimension with uniform noise (the HDBSCAN comparison input). */
public final class Blobs5d {
  private Blobs5d() {}

  /** Row-major n x dim coordinates: k blobs (sd 1) with centres in [-10, 10]^dim, 5% uniform noise. */
  public static double[] generate(int n, int dim, int k, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] centres = new double[k][dim];
    for (double[] c : centres) {
      for (int d = 0; d < dim; d++) {
        c[d] = rng.nextDouble() * 20 - 10;
      }
    }
    double[] out = new double[n * dim];
    for (int i = 0; i < n; i++) {
      boolean noise = rng.nextDouble() < 0.05;
      for (int d = 0; d < dim; d++) {
        out[i * dim + d] = noise ? rng.nextDouble() * 26 - 13 : centres[i % k][d] + gauss(rng);
      }
    }
    return out;
  }

  private static double gauss(SplittableRandom rng) {
    double u = 1 - rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
