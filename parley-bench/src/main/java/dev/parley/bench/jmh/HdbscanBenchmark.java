package dev.parley.bench.jmh;

import dev.parley.bench.cluster.Blobs5d;
import dev.parley.bench.cluster.TribuoHdbscanBaseline;
import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.hdbscan.HdbscanOptions;
import dev.parley.insights.hdbscan.HdbscanTrainer;
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
 * HDBSCAN* on 5-D blobs (min cluster size 50, min samples 10): Tribuo 4.3 (baseline) vs Parley.
 *
 * <pre>
 * ./mvnw -q -o package -pl parley-bench -am -DskipTests      # or any ./parley bench ... (builds the same jar)
 * java --add-modules jdk.incubator.vector -cp 'parley-bench/target/parley-bench.jar:parley-bench/target/lib/*' \
 *   org.openjdk.jmh.Main HdbscanBenchmark -p points=2000,10000
 * </pre>
 * Tribuo is quadratic (30k points take ~37 s), so its sizes stay small here; {@code ./parley bench
 * cluster --tribuo} measures the 30k ratio in one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class HdbscanBenchmark {
  /** The implementations, baseline first, behind one facade. */
  public enum Impl {
    TRIBUO {
      @Override
      int[] cluster(double[] coords, int dim) {
        return TribuoHdbscanBaseline.cluster(coords, dim, 50, 10);
      }
    },
    PARLEY {
      @Override
      int[] cluster(double[] coords, int dim) {
        return new HdbscanTrainer(HdbscanOptions.of(50, 10), ComputePool.sequential()).fit(coords, dim).labels();
      }
    };

    abstract int[] cluster(double[] coords, int dim);
  }

  @Param({"TRIBUO", "PARLEY"})
  public Impl impl;

  @Param({"2000", "10000"})
  public int points;

  private double[] coords;

  @Setup
  public void setup() {
    coords = Blobs5d.generate(points, 5, 20, 7);
  }

  @Benchmark
  public int[] cluster() {
    return impl.cluster(coords, 5);
  }
}
