package dev.parley.insights.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels with the Vector API (JEP 508, still incubating). Loaded reflectively by
 * {@link VectorizationProvider} so that a JVM without {@code --add-modules jdk.incubator.vector}
 * never links this class.
 *
 * <p>Implementation note: two independent FMA accumulators hide the FMA latency; measured on the
 * 2-core AMD EPYC (AVX-512) dev machine at 384-D, {@code dot} runs ~5x faster than
 * {@link ScalarVectorOps} (see {@code NearestCentreBenchmark}).
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
      sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }
    for (; i + LANES <= len; i += LANES) {
      sum += FloatVector.fromArray(SPECIES, a, aOff + i).mul(FloatVector.fromArray(SPECIES, b, bOff + i)).reduceLanes(VectorOperators.ADD);
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
      sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }
    for (; i + LANES <= len; i += LANES) {
      FloatVector d = FloatVector.fromArray(SPECIES, a, aOff + i).sub(FloatVector.fromArray(SPECIES, b, bOff + i));
      sum += d.mul(d).reduceLanes(VectorOperators.ADD);
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
      float s0 = acc0.reduceLanes(VectorOperators.ADD);
      float s1 = acc1.reduceLanes(VectorOperators.ADD);
      float s2 = acc2.reduceLanes(VectorOperators.ADD);
      float s3 = acc3.reduceLanes(VectorOperators.ADD);
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

  @Override
  public void addScaled(double[] y, int yOff, float[] x, double alpha, int len) {
    // Double accumulation of float input: the widening conversion costs more than it saves; scalar is
    // as fast here (memory bound), so keep it simple.
    for (int i = 0; i < len; i++) {
      y[yOff + i] += alpha * x[i];
    }
  }
}
