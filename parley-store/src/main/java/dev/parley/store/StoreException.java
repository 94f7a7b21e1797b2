package dev.parley.store;

/**
 * The store cannot do its job (server unreachable, embedded server did not start, migration failed).
 *
 * <p>{@link StoreUnavailableException} is the one kind a caller may retry unchanged: the database could not
 * be reached at the moment.
 */
public sealed class StoreException extends RuntimeException permits StoreUnavailableException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
