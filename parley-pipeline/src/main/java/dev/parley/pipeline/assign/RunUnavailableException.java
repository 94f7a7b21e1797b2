package dev.parley.pipeline.assign;

import static java.util.Objects.requireNonNull;

import dev.parley.core.error.BadInputException;

/** A run cannot be used for online assignment here; {@link #reason()} says why (the server maps it to 404 or 409). */
public final class RunUnavailableException extends BadInputException {
  /** Why a run cannot assign. */
  public enum Reason {
    /** The tenant has no run of that id. */
    NOT_FOUND,
    /** The run has no usable leaf centroids. */
    NO_CENTROIDS,
    /** The run's embedding model cannot be built here, or gives vectors of another dimension. */
    MODEL_UNAVAILABLE
  }

  private final Reason reason;

  public RunUnavailableException(Reason reason, String message) {
    super(message);
    this.reason = requireNonNull(reason, "reason is null");
  }

  public Reason reason() {
    return reason;
  }
}
