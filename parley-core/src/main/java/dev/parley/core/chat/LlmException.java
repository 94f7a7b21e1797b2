package dev.parley.core.chat;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/** A provider call failed (after retries): timeout, HTTP error, circuit open, or a malformed reply. */
public class LlmException extends RuntimeException {
  public enum Kind { TIMEOUT, RATE_LIMITED, SERVER_ERROR, CLIENT_ERROR, MALFORMED_RESPONSE, CIRCUIT_OPEN, OTHER }

  private final Kind kind;

  /** {@code cause} may be null, as for {@link RuntimeException#RuntimeException(String, Throwable)}. */
  public LlmException(Kind kind, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.kind = requireNonNull(kind, "kind is null");
  }

  /** A failure that has no underlying exception (a refused call, a scripted failure). */
  public LlmException(Kind kind, String message) {
    super(message);
    this.kind = requireNonNull(kind, "kind is null");
  }

  public Kind kind() {
    return kind;
  }
}
