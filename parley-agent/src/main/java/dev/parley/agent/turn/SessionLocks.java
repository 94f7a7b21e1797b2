package dev.parley.agent.turn;

import static java.util.Objects.requireNonNull;

import dev.parley.agent.AgentException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One turn at a time per session within this process: a fair semaphore per session, created on
 * demand and dropped when nobody holds or waits for it. (Across processes the store's lease does the
 * same job; this lock makes concurrent posts wait in order instead of failing.)
 */
final class SessionLocks {
  private static final class Entry {
    final Semaphore semaphore = new Semaphore(1, true);
    int users;
  }

  private final ConcurrentHashMap<UUID, Entry> entries = new ConcurrentHashMap<>();

  /** A held lock; release it exactly once. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Waits up to {@code wait} for the session's lock.
   *
   * @return empty when the wait ran out
   */
  Optional<Held> acquire(UUID session, Duration wait) {
    requireNonNull(session, "session is null");
    Entry entry = entries.compute(session, (k, e) -> {
      Entry x = e == null ? new Entry() : e;
      x.users++;
      return x;
    });
    boolean acquired = false;
    try {
      acquired = entry.semaphore.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      leave(session);
      throw new AgentException(AgentException.Kind.INTERRUPTED, "interrupted while waiting for session " + session, Optional.empty(), e);
    }
    if (!acquired) {
      leave(session);
      return Optional.empty();
    }
    return Optional.of(new Held() {
      private boolean released;

      @Override
      public void close() {
        if (released) {
          throw new IllegalStateException("session lock of " + session + " released twice");
        }
        released = true;
        entry.semaphore.release();
        leave(session);
      }
    });
  }

  private void leave(UUID session) {
    entries.computeIfPresent(session, (k, e) -> --e.users == 0 ? null : e);
  }

  /** Sessions with a holder or waiter (for tests). */
  int size() {
    return entries.size();
  }
}
