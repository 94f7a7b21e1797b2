package dev.parley.core.chat;

/** A provider call failed (after retries): timeout, HTTP error, circuit open, or a malformed reply. */
public class LlmException extends RuntimeException {
  public enum Kind { TIMEOUT, RATE_LIMITED, SERVER_ERROR, CLIENT_ERROR, MALFORMED_RESPONSE, CIRCUIT_OPEN, OTHER }

  private final Kind kind;

  public LlmException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
