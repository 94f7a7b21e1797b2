package dev.parley.insights.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class ComputePoolTest {
  @Test
  void parallelFor_coversTheRangeOnceInFixedChunks() {
    try (ComputePool pool = ComputePool.of(2)) {
      List<int[]> chunks = Collections.synchronizedList(new ArrayList<>());
      int[] hits = new int[1003];
      pool.parallelFor(3, 1003, 100, (from, to) -> {
        chunks.add(new int[] {from, to});
        for (int i = from; i < to; i++) {
          hits[i]++;
        }
      });
      assertThat(chunks).hasSize(10);
      assertThat(chunks).allSatisfy(c -> assertThat((c[0] - 3) % 100).isZero());
      for (int i = 0; i < hits.length; i++) {
        assertThat(hits[i]).as("index " + i).isEqualTo(i < 3 ? 0 : 1);
      }
    }
  }

  @Test
  void map_returnsResultsInIndexOrder() {
    try (ComputePool pool = ComputePool.of(2)) {
      assertThat(pool.map(50, i -> i * i)).isEqualTo(java.util.stream.IntStream.range(0, 50).map(i -> i * i).boxed().toList());
    }
    assertThat(ComputePool.sequential().map(3, i -> "x" + i)).containsExactly("x0", "x1", "x2");
  }

  @Test
  void nestedCalls_runOnAtMostTheGivenThreadsAndFinish() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    AtomicInteger leaves = new AtomicInteger();
    try (ComputePool pool = ComputePool.of(2)) {
      List<Runnable> outer = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        outer.add(() -> pool.parallelFor(0, 64, 1, (from, to) -> {
          threads.add(Thread.currentThread().getName());
          busy();
          leaves.incrementAndGet();
        }));
      }
      pool.invokeAll(outer);
    }
    assertThat(leaves).hasValue(8 * 64);
    assertThat(threads).hasSizeBetween(1, 2).allSatisfy(name -> assertThat(name).startsWith("parley-compute-"));
  }

  @Test
  void sequential_runsOnTheCaller() {
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    ComputePool.of(1).parallelFor(0, 10, 1, (from, to) -> threads.add(Thread.currentThread()));
    ComputePool.sequential().parallelFor(0, 10, 3, (from, to) -> threads.add(Thread.currentThread()));
    assertThat(threads).containsExactly(Thread.currentThread());
    assertThat(ComputePool.of(1).parallelism()).isEqualTo(1);
  }

  @Test
  void failure_isRethrownToTheCaller() {
    try (ComputePool pool = ComputePool.of(2)) {
      var e = assertThrows(IllegalArgumentException.class, () -> pool.parallelFor(0, 100, 10, (from, to) -> {
        if (from == 50) {
          throw new IllegalArgumentException("bad chunk " + from);
        }
      }));
      assertThat(e.getMessage()).isEqualTo("bad chunk 50");
    }
  }

  @Test
  void closedPool_refusesWork_sequentialStaysUsable() {
    ComputePool pool = ComputePool.of(2);
    pool.close();
    var e = assertThrows(IllegalStateException.class, () -> pool.parallelFor(0, 10, 1, (from, to) -> { }));
    assertThat(e.getMessage()).contains("closed").contains("2 threads");
    ComputePool.sequential().close();
    assertThat(ComputePool.sequential().map(1, i -> i)).containsExactly(0);
  }

  @Test
  void invalidArguments_nameTheParameter() {
    assertThat(assertThrows(IllegalArgumentException.class, () -> ComputePool.of(0)).getMessage())
        .contains("threads").contains("0");
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> ComputePool.sequential().parallelFor(0, 10, 0, (from, to) -> { })).getMessage())
        .contains("chunk").contains("0");
  }

  private static void busy() {
    long end = System.nanoTime() + 50_000;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }
}
