package dev.parley.insights.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels with the Vector API (JEP 508, still incubating). Loaded reflectively by
 * {@link VectorizationProvider} so that a JVM without {@code --add-modules jdk.incubator.vector}
 * never links this class.
 *
 * <p>Implementation note: two independent FMA accumulators hide the FMA latency. Lanes are summed in
 * a fixed order ({@link #sum}) rather than with {@code reduceLanes(ADD)}, whose float order is
 * unspecified and differs between the interpreter and C2: with it, the same input gave different
 * distances before and after JIT warm-up, and so different clusterings for the same seed.
 * Throughput: see {@code NearestCentreBenchmark} (SIMD vs scalar) in docs/benchmarks.md.
 */
final class PanamaVectorOps implements VectorOps {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();

  PanamaVectorOps() {}

  @Override
  public String name() {
    return "panama";
  }

  @Override
  public float dot(float[] a, int aOff, float[] b, int bOff, int len) {
    int i = 0;
    float sum = 0;
    if (len >= 2 * LANES) {
      FloatVector acc0 = FloatVector.zero(SPECIES);
      FloatVector acc1 = FloatVector.zero(SPECIES);
      int bound = len - 2 * LANES;
      for (; i <= bound; i += 2 * LANES) {
        acc0 = FloatVector.fromArray(SPECIES, a, aOff + i).fma(FloatVector.fromArray(SPECIES, b, bOff + i), acc0);
        acc1 = FloatVector.fromArray(SPECIES, a, aOff + i + LANES).fma(FloatVector.fromArray(SPECIES, b, bOff + i + LANES), acc1);
      }
      sum = sum(acc0.add(acc1));
    }
    for (; i + LANES <= len; i += LANES) {
      sum += sum(FloatVector.fromArray(SPECIES, a, aOff + i).mul(FloatVector.fromArray(SPECIES, b, bOff + i)));
    }
    for (; i < len; i++) {
      sum += a[aOff + i] * b[bOff + i];
    }
    return sum;
  }

  @Override
  public float squaredDistance(float[] a, int aOff, float[] b, int bOff, int len) {
    int i = 0;
    float sum = 0;
    if (len >= 2 * LANES) {
      FloatVector acc0 = FloatVector.zero(SPECIES);
      FloatVector acc1 = FloatVector.zero(SPECIES);
      int bound = len - 2 * LANES;
      for (; i <= bound; i += 2 * LANES) {
        FloatVector d0 = FloatVector.fromArray(SPECIES, a, aOff + i).sub(FloatVector.fromArray(SPECIES, b, bOff + i));
        FloatVector d1 = FloatVector.fromArray(SPECIES, a, aOff + i + LANES).sub(FloatVector.fromArray(SPECIES, b, bOff + i + LANES));
        acc0 = d0.fma(d0, acc0);
        acc1 = d1.fma(d1, acc1);
      }
      sum = sum(acc0.add(acc1));
    }
    for (; i + LANES <= len; i += LANES) {
      FloatVector d = FloatVector.fromArray(SPECIES, a, aOff + i).sub(FloatVector.fromArray(SPECIES, b, bOff + i));
      sum += sum(d.mul(d));
    }
    for (; i < len; i++) {
      float d = a[aOff + i] - b[bOff + i];
      sum += d * d;
    }
    return sum;
  }

  @Override
  public void dotRows(float[] query, int qOff, float[] rows, int rowsOff, int count, int dim, float[] out, int outOff) {
    int r = 0;
    int vecLen = dim - dim % LANES;
    // Four rows at a time: each query lane is loaded once and used four times.
    for (; r + 3 < count; r += 4) {
      int o0 = rowsOff + r * dim;
      int o1 = o0 + dim;
      int o2 = o1 + dim;
      int o3 = o2 + dim;
      FloatVector acc0 = FloatVector.zero(SPECIES);
      FloatVector acc1 = FloatVector.zero(SPECIES);
      FloatVector acc2 = FloatVector.zero(SPECIES);
      FloatVector acc3 = FloatVector.zero(SPECIES);
      int i = 0;
      for (; i < vecLen; i += LANES) {
        FloatVector q = FloatVector.fromArray(SPECIES, query, qOff + i);
        acc0 = q.fma(FloatVector.fromArray(SPECIES, rows, o0 + i), acc0);
        acc1 = q.fma(FloatVector.fromArray(SPECIES, rows, o1 + i), acc1);
        acc2 = q.fma(FloatVector.fromArray(SPECIES, rows, o2 + i), acc2);
        acc3 = q.fma(FloatVector.fromArray(SPECIES, rows, o3 + i), acc3);
      }
      float s0 = sum(acc0);
      float s1 = sum(acc1);
      float s2 = sum(acc2);
      float s3 = sum(acc3);
      for (; i < dim; i++) {
        float q = query[qOff + i];
        s0 += q * rows[o0 + i];
        s1 += q * rows[o1 + i];
        s2 += q * rows[o2 + i];
        s3 += q * rows[o3 + i];
      }
      out[outOff + r] = s0;
      out[outOff + r + 1] = s1;
      out[outOff + r + 2] = s2;
      out[outOff + r + 3] = s3;
    }
    for (; r < count; r++) {
      out[outOff + r] = dot(query, qOff, rows, rowsOff + r * dim, dim);
    }
  }

  /** Sum of the lanes, left to right: deterministic in every execution mode. */
  private static float sum(FloatVector v) {
    float s = 0;
    for (int i = 0; i < LANES; i++) {
      s += v.lane(i);
    }
    return s;
  }

  @Override
  public void addScaled(double[] y, int yOff, float[] x, double alpha, int len) {
    // Double accumulation of float input: the widening conversion costs more than it saves; scalar is
    // as fast here (memory bound), so keep it simple.
    for (int i = 0; i < len; i++) {
      y[yOff + i] += alpha * x[i];
    }
  }
}
