package dev.parley.insights.compute;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The threads the clustering algorithms compute on: exactly {@link #parallelism()} of them, created by
 * the caller, passed down the stack (hierarchy, BIRCH, kNN, UMAP, HDBSCAN, k-means) and closed by the
 * caller. The algorithms never create threads or use the common pool, so {@code parallelism = N}
 * means N busy cores, whatever else runs in the JVM.
 *
 * <p>Work is split into chunks fixed by the caller ({@link #parallelFor}) or into a fixed number of
 * tasks ({@link #map}, {@link #invokeAll}), never by the thread count, and results come back in
 * index order: an algorithm that combines them in that order gives the same bits on 1 or N threads.
 *
 * <p>Implementation note: a {@link ForkJoinPool} capped at N threads (no compensation threads beyond
 * it), so that a task may itself call the pool (sibling subtrees of the hierarchy each run a
 * parallel HDBSCAN) without deadlock or extra threads: a worker waiting on its subtasks runs queued
 * work meanwhile. A caller outside the pool blocks while the N workers compute. With one thread no
 * pool exists at all and everything runs on the caller, in order.
 */
public final class ComputePool implements AutoCloseable {
  private static final ComputePool SEQUENTIAL = new ComputePool(1, null);
  private static final AtomicInteger POOL_IDS = new AtomicInteger();
  private final int parallelism;
  /** Null for one thread: no pool exists and everything runs on the caller. */
  private final @Nullable ForkJoinPool pool;
  private volatile boolean closed;

  private ComputePool(int parallelism, @Nullable ForkJoinPool pool) {
    this.parallelism = parallelism;
    this.pool = pool;
  }

  /**
   * A pool of exactly {@code threads} daemon threads named {@code parley-compute-<pool>-<thread>};
   * {@code of(1)} creates none and runs on the caller.
   */
  public static ComputePool of(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, found " + threads);
    }
    if (threads == 1) {
      return new ComputePool(1, null);
    }
    int id = POOL_IDS.incrementAndGet();
    AtomicInteger thread = new AtomicInteger();
    ForkJoinPool.ForkJoinWorkerThreadFactory factory = p -> {
      ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
      t.setName("parley-compute-" + id + "-" + thread.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    // maximumPoolSize = threads and saturate = true: a blocked join never adds a thread past N.
    ForkJoinPool fj = new ForkJoinPool(threads, factory, null, false, threads, threads, 1, p -> true, 60,
        TimeUnit.SECONDS);
    return new ComputePool(threads, fj);
  }

  /** Everything on the calling thread, in order; shared, and closing it does nothing. */
  public static ComputePool sequential() {
    return SEQUENTIAL;
  }

  /** The number of threads that compute. */
  public int parallelism() {
    return parallelism;
  }

  /** A body over the index range {@code [from, to)}. */
  @FunctionalInterface
  public interface RangeBody {
    void run(int from, int to);
  }

  /**
   * Runs {@code body} over {@code [from, to)} cut into consecutive chunks of {@code chunk} indexes
   * (the last one shorter); chunks run in parallel, each on one thread. Returns when all are done;
   * the first failure is rethrown.
   */
  public void parallelFor(int from, int to, int chunk, RangeBody body) {
    requireNonNull(body, "body is null");
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be >= 1, found " + chunk);
    }
    if (to < from) {
      throw new IllegalArgumentException("to must be >= from (" + from + "), found " + to);
    }
    checkOpen();
    int chunks = (int) (((long) to - from + chunk - 1) / chunk);
    ForkJoinPool fj = pool;
    if (fj == null || chunks <= 1) {
      for (int lo = from; lo < to; lo = (int) Math.min(to, (long) lo + chunk)) {
        body.run(lo, (int) Math.min(to, (long) lo + chunk));
      }
      return;
    }
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    run(fj, new Chunks(from, to, chunk, 0, chunks, body, failure), chunks, failure);
  }

  /** {@code task(0) .. task(count - 1)} in parallel; the results in index order. */
  public <T> List<T> map(int count, IntFunction<? extends T> task) {
    requireNonNull(task, "task is null");
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, found " + count);
    }
    Object[] out = new Object[count];
    parallelFor(0, count, 1, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = task.apply(i);
      }
    });
    @SuppressWarnings("unchecked")
    List<T> list = (List<T>) Arrays.asList(out);
    return list;
  }

  /** Runs every task, in parallel; returns when all are done (the first failure is rethrown). */
  public void invokeAll(List<? extends Runnable> tasks) {
    List<Runnable> copy = new ArrayList<>(requireNonNull(tasks, "tasks is null"));
    parallelFor(0, copy.size(), 1, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        copy.get(i).run();
      }
    });
  }

  private void run(ForkJoinPool fj, ForkJoinTask<?> task, int chunks, AtomicReference<@Nullable Throwable> failure) {
    try {
      if (ForkJoinTask.getPool() == fj) {
        task.invoke(); // nested call from one of our workers: fork and help, no new thread
      } else {
        fj.submit(task).get();
      }
    } catch (InterruptedException e) {
      task.cancel(true);
      Thread.currentThread().interrupt();
      CancellationException ce = new CancellationException(
          "interrupted while waiting for " + chunks + " chunks on " + parallelism + " threads");
      ce.initCause(e);
      throw ce;
    } catch (ExecutionException | RuntimeException | Error e) {
      // The body's own exception, not the copy the fork/join framework makes for the waiting thread.
      Throwable first = failure.get();
      Throwable cause = first != null ? first : e instanceof ExecutionException ? e.getCause() : e;
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("parallel task failed: " + cause, cause);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("ComputePool of " + parallelism + " threads is closed");
    }
  }

  /** Stops the threads once running work is done; the shared {@link #sequential()} pool stays usable. */
  @Override
  public void close() {
    if (this == SEQUENTIAL) {
      return;
    }
    closed = true;
    if (pool != null) {
      pool.close();
    }
  }

  @Override
  public String toString() {
    return "ComputePool[" + parallelism + " threads" + (closed ? ", closed" : "") + "]";
  }

  /** Chunks {@code [first, last)} of the range, halved until one is left (the caller keeps a half). */
  private static final class Chunks extends RecursiveAction {
    private final int from;
    private final int to;
    private final int chunk;
    private final int first;
    private final int last;
    private final RangeBody body;
    private final AtomicReference<@Nullable Throwable> failure;

    Chunks(int from, int to, int chunk, int first, int last, RangeBody body, AtomicReference<@Nullable Throwable> failure) {
      this.from = from;
      this.to = to;
      this.chunk = chunk;
      this.first = first;
      this.last = last;
      this.body = body;
      this.failure = failure;
    }

    @Override
    protected void compute() {
      if (last - first == 1) {
        long lo = from + (long) first * chunk;
        try {
          body.run((int) lo, (int) Math.min(to, lo + chunk));
        } catch (RuntimeException | Error e) {
          failure.compareAndSet(null, e);
          throw e;
        }
        return;
      }
      int mid = (first + last) >>> 1;
      invokeAll(new Chunks(from, to, chunk, first, mid, body, failure),
          new Chunks(from, to, chunk, mid, last, body, failure));
    }
  }
}
