package dev.parley.store;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The database cannot be reached right now (refused or lost connection, server restarting, no connection
 * within the pool's timeout); the same request may succeed later. An HTTP front end answers 503 with
 * {@code Retry-After: }{@link #retryAfter()}.
 *
 * <p>It is thrown without the pool's usual wait: while the embedded server is known to be down, at once;
 * otherwise after at most the pool's connection timeout (2 s).
 */
public final class StoreUnavailableException extends StoreException {
  private final Duration retryAfter;

  StoreUnavailableException(String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.retryAfter = requireNonNull(retryAfter, "retryAfter is null");
  }

  StoreUnavailableException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = requireNonNull(retryAfter, "retryAfter is null");
  }

  /** When a retry has a fair chance: about the time the embedded server takes to restart. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
