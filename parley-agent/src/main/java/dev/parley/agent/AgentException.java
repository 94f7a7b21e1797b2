package dev.parley.agent;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.UUID;

/**
 * A request the orchestrator cannot serve. {@link Kind} is the closed set the HTTP layer maps to
 * status codes in one place; {@link #code()} is the stable machine code of the error body.
 */
public final class AgentException extends RuntimeException {
  public enum Kind {
    /** No such session for this tenant (another tenant's session is also "not found"). */
    NOT_FOUND("not_found"),
    /** Another turn of the session is running. */
    TURN_IN_PROGRESS("turn_in_progress"),
    /** An Idempotency-Key reused with a different request body. */
    IDEMPOTENCY_MISMATCH("idempotency_key_reused"),
    /** The model provider failed; the user message is stored and the turn can be retried. */
    PROVIDER_ERROR("provider_error"),
    /** The turn ran past its time limit; retriable. */
    TURN_TIMEOUT("turn_timeout"),
    /** The turn lost its lease (another process took the session over) or its thread was interrupted. */
    INTERRUPTED("turn_interrupted"),
    /** The session's agent is not loaded in this server. */
    AGENT_UNAVAILABLE("agent_unavailable");

    private final String code;

    Kind(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  private final Kind kind;
  private final Optional<UUID> turnId;

  /** An error of no particular turn, with no cause. */
  public AgentException(Kind kind, String message) {
    super(requireNonNull(message, "message is null"));
    this.kind = requireNonNull(kind, "kind is null");
    this.turnId = Optional.empty();
  }

  public AgentException(Kind kind, String message, Optional<UUID> turnId, Throwable cause) {
    super(requireNonNull(message, "message is null"), requireNonNull(cause, "cause is null"));
    this.kind = requireNonNull(kind, "kind is null");
    this.turnId = requireNonNull(turnId, "turnId is null");
  }

  /** Never null: every error carries its message. */
  @Override
  public String getMessage() {
    return requireNonNull(super.getMessage());
  }

  public Kind kind() {
    return kind;
  }

  public String code() {
    return kind.code();
  }

  /** The turn this error ended, when there is one (to retry it). */
  public Optional<UUID> turnId() {
    return turnId;
  }
}
