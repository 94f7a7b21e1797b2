package dev.parley.bench.cluster;

import dev.parley.insights.vector.PointSource;
import java.util.SplittableRandom;

/**
 * A mixture on the unit sphere with known labels, plus uniform noise: the synthetic input of
 * {@code ./parley bench cluster}. Points are generated on demand from a per-point seed, so a million
 * 384-D points (1.5 GB as floats) never need to sit in memory and any chunk can be regenerated.
 *
 * <p>Point i: with probability {@code noise} a uniform direction (label -1), else cluster
 * {@code c = i % k} and {@code normalise(centre_c + spread * g / sqrt(dim))} with g standard normal, so
 * the expected cosine to the centre is about {@code 1 / sqrt(1 + spread^2)} whatever the dimension.
 */
public final class SyntheticSphere implements PointSource {
  private final int n;
  private final int dim;
  private final int k;
  private final double noise;
  private final double spread;
  private final long seed;
  private final float[][] centres;
  private final int chunkSize;

  public SyntheticSphere(int n, int dim, int k, double noise, double spread, long seed) {
    if (n < 1 || dim < 2 || k < 1) {
      throw new IllegalArgumentException("need n >= 1, dim >= 2, k >= 1, found " + n + ", " + dim + ", " + k);
    }
    if (!(noise >= 0 && noise < 1)) {
      throw new IllegalArgumentException("noise must be in [0, 1), found " + noise);
    }
    this.n = n;
    this.dim = dim;
    this.k = k;
    this.noise = noise;
    this.spread = spread;
    this.seed = seed;
    this.chunkSize = Math.max(256, 4_000_000 / dim);
    SplittableRandom rng = new SplittableRandom(seed);
    centres = new float[k][];
    for (int c = 0; c < k; c++) {
      centres[c] = unit(gaussian(rng, dim, 1));
    }
  }

  @Override
  public int size() {
    return n;
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
    int from = c * chunkSize;
    int to = Math.min(n, from + chunkSize);
    float[][] rows = new float[to - from][];
    for (int i = from; i < to; i++) {
      rows[i - from] = point(i);
    }
    return rows;
  }

  /** The true label of point i (-1 for noise), without generating the point. */
  public int label(int i) {
    SplittableRandom rng = pointRng(i);
    return rng.nextDouble() < noise ? -1 : i % k;
  }

  public int[] labels() {
    int[] out = new int[n];
    java.util.stream.IntStream.range(0, n).parallel().forEach(i -> out[i] = label(i));
    return out;
  }

  public float[] point(int i) {
    SplittableRandom rng = pointRng(i);
    if (rng.nextDouble() < noise) {
      return unit(gaussian(rng, dim, 1));
    }
    float[] c = centres[i % k];
    double[] g = gaussian(rng, dim, spread / Math.sqrt(dim));
    for (int d = 0; d < dim; d++) {
      g[d] += c[d];
    }
    return unit(g);
  }

  private SplittableRandom pointRng(int i) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
  }

  private static double[] gaussian(SplittableRandom rng, int dim, double sd) {
    double[] g = new double[dim];
    for (int d = 0; d < dim; d += 2) {
      // Box-Muller: two normals per pair of uniforms (SplittableRandom has no nextGaussian before 17)
      double u = 1 - rng.nextDouble();
      double v = rng.nextDouble();
      double r = Math.sqrt(-2 * Math.log(u)) * sd;
      g[d] = r * Math.cos(2 * Math.PI * v);
      if (d + 1 < dim) {
        g[d + 1] = r * Math.sin(2 * Math.PI * v);
      }
    }
    return g;
  }

  private static float[] unit(double[] v) {
    double norm = 0;
    for (double x : v) {
      norm += x * x;
    }
    double inv = 1 / Math.sqrt(norm);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] * inv);
    }
    return out;
  }
}
