package dev.parley.store;

/** The store cannot do its job (server unreachable, embedded server did not start, migration failed). */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
