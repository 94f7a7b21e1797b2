package dev.parley.bench.jmh;

import dev.parley.bench.cluster.SyntheticSphere;
import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.knn.BruteForceCentreIndex;
import dev.parley.insights.vector.VectorOps;
import dev.parley.insights.vector.VectorizationProvider;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Brute-force nearest centre (map-back and online assignment): scalar kernels (baseline) vs the Vector
 * API, one query against 5,000 centres.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp 'parley-bench/target/parley-bench.jar:parley-bench/target/lib/*' \
 *   org.openjdk.jmh.Main NearestCentreBenchmark
 * </pre>
 * (build the jar as in {@link HdbscanBenchmark}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class NearestCentreBenchmark {
  /** Kernel implementations, baseline first. */
  public enum Kernels {
    SCALAR {
      @Override
      VectorOps ops() {
        return VectorizationProvider.scalar();
      }
    },
    PANAMA {
      @Override
      VectorOps ops() {
        return VectorizationProvider.panama().orElseThrow(() -> new IllegalStateException("run with --add-modules jdk.incubator.vector"));
      }
    };

    abstract VectorOps ops();
  }

  @Param({"SCALAR", "PANAMA"})
  public Kernels kernels;

  @Param({"384", "4096"})
  public int dim;

  @Param({"5000"})
  public int centres;

  private BruteForceCentreIndex index;
  private float[][] queries;
  private int next;

  @Setup
  public void setup() {
    SyntheticSphere data = new SyntheticSphere(centres + 256, dim, 100, 0.05, 0.75, 3);
    float[][] c = new float[centres][];
    for (int i = 0; i < centres; i++) {
      c[i] = data.point(i);
    }
    queries = new float[256][];
    for (int i = 0; i < 256; i++) {
      queries[i] = data.point(centres + i);
    }
    index = new BruteForceCentreIndex(c, kernels.ops(), ComputePool.sequential());
  }

  @Benchmark
  public int nearest() {
    return index.nearest(queries[next++ & 255]);
  }

  @Benchmark
  public int[] top5() {
    return index.nearest(queries[next++ & 255], 5);
  }
}
