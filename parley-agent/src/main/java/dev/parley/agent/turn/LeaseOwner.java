package dev.parley.agent.turn;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's identity in the session leases it takes (migration V7): an owner id from the
 * {@code lease_owners} sequence, whose PostgreSQL session-level advisory lock
 * ({@code pg_advisory_lock(NAMESPACE, id)}) is held on one dedicated connection for as long as the
 * process lives (a connection of the pool, taken out of it until {@link #close}). When the process dies, by {@code kill -9} or otherwise, its connection closes and
 * PostgreSQL drops the lock at once; from then on every lease naming this owner is dead and the next
 * claim takes it over ({@code SessionRepository.OWNER_DEAD}), instead of waiting for the lease to
 * expire. Another live process's leases are never affected: its lock is still held.
 *
 * <p>The connection is checked before each claim: if it broke (the database restarted), the lock is
 * taken again on a new connection, with the same id when nobody holds it (so this process's running
 * turns keep their leases, unless another process took them over meanwhile; their writes are fenced
 * on the lease token either way).
 */
final class LeaseOwner implements AutoCloseable {
  /** Key 1 of every owner lock: "parl" in ASCII, so that Parley's locks are told from other advisory locks. */
  static final int NAMESPACE = 0x7061726C;
  private static final Logger LOG = LoggerFactory.getLogger(LeaseOwner.class);
  /** Owner ids tried before giving up: only ids still locked by (leaked or live) owners are skipped. */
  private static final int MAX_TRIES = 100;

  private final Jdbi jdbi;
  private @Nullable Handle handle; // guarded by this; null until the first claim and after close
  private int id;
  private boolean closed;

  LeaseOwner(Jdbi jdbi) {
    this.jdbi = requireNonNull(jdbi, "jdbi is null");
  }

  /** The owner id to write into a lease now; takes (or takes again) the owner lock when needed. */
  synchronized int id() {
    if (closed) {
      throw new IllegalStateException("lease owner " + id + " is closed: the orchestrator was shut down");
    }
    if (handle != null && alive(handle)) {
      return id;
    }
    if (handle != null) {
      LOG.warn("lease owner {}: the connection holding its lock broke; taking the lock again", id);
      closeQuietly(handle);
      handle = null;
    }
    Handle h = jdbi.open();
    try {
      // Keep the connection (and so the lock) as long as the process lives, whatever the server's idle timeout.
      trySet(h, "SET idle_session_timeout = 0");
      // A host that vanishes without closing the connection (power loss) is noticed in about 30 s, not hours.
      trySet(h, "SET tcp_keepalives_idle = 15");
      trySet(h, "SET tcp_keepalives_interval = 5");
      trySet(h, "SET tcp_keepalives_count = 3");
      int got = (id > 0 && tryLock(h, id)) ? id : fresh(h);
      handle = h;
      id = got;
      return got;
    } catch (RuntimeException e) {
      closeQuietly(h);
      throw e;
    }
  }

  /** The owner id this process holds now, if it took one (for tests and logs). */
  synchronized Optional<Integer> current() {
    return handle == null ? Optional.empty() : Optional.of(id);
  }

  /** Releases the lock: this process's leases are dead from now on. */
  @Override
  public synchronized void close() {
    closed = true;
    if (handle != null) {
      // The connection goes back to the pool, which keeps it open: the lock must be given up explicitly.
      // On a broken connection this fails, and the pool learns that it must not hand the connection out again.
      try {
        handle.createQuery("SELECT pg_advisory_unlock(:ns, :id)").bind("ns", NAMESPACE).bind("id", id).mapTo(Boolean.class).one();
      } catch (RuntimeException e) {
        LOG.debug("lease owner {}: unlock failed (the connection is gone, and the lock with it): {}", id, e.toString());
      }
      closeQuietly(handle);
      handle = null;
    }
  }

  private static int fresh(Handle h) {
    for (int i = 0; i < MAX_TRIES; i++) {
      int candidate = h.createQuery("SELECT nextval('lease_owners')::integer").mapTo(Integer.class).one();
      if (tryLock(h, candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("cannot take a lease owner id: the next " + MAX_TRIES + " ids of sequence lease_owners are all locked");
  }

  private static boolean tryLock(Handle h, int candidate) {
    return h.createQuery("SELECT pg_try_advisory_lock(:ns, :id)").bind("ns", NAMESPACE).bind("id", candidate).mapTo(Boolean.class).one();
  }

  private static boolean alive(Handle h) {
    try {
      h.createQuery("SELECT 1").mapTo(Integer.class).one();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** A setting that only newer servers know (idle_session_timeout: PostgreSQL 14). */
  private static void trySet(Handle h, String sql) {
    try {
      h.execute(sql);
    } catch (RuntimeException e) {
      LOG.debug("lease owner connection: '{}' refused: {}", sql, e.toString());
    }
  }

  private static void closeQuietly(Handle h) {
    try {
      h.close();
    } catch (RuntimeException e) {
      LOG.debug("closing the lease owner connection failed: {}", e.toString());
    }
  }
}
