package dev.parley.agent.fsm;

import java.util.Locale;

/**
 * The state of one turn. RUNNING turns hold the session's lease; FAILED (provider error, timeout) and
 * INTERRUPTED (the process died or lost its lease) turns are retriable, which moves them back to
 * RUNNING without storing the user message again; COMPLETED is terminal.
 */
public enum TurnStatus {
  RUNNING,
  COMPLETED,
  FAILED,
  INTERRUPTED;

  public boolean isTerminal() {
    return switch (this) {
      case RUNNING, FAILED, INTERRUPTED -> false;
      case COMPLETED -> true;
    };
  }

  public boolean isRetriable() {
    return switch (this) {
      case FAILED, INTERRUPTED -> true;
      case RUNNING, COMPLETED -> false;
    };
  }

  public boolean canTransitionTo(TurnStatus next) {
    return switch (this) {
      case RUNNING -> next == COMPLETED || next == FAILED || next == INTERRUPTED;
      case FAILED, INTERRUPTED -> next == RUNNING;
      case COMPLETED -> false;
    };
  }

  /** @throws IllegalStateException when the move is not allowed */
  public TurnStatus checkTransition(TurnStatus next) {
    if (!canTransitionTo(next)) {
      throw new IllegalStateException(String.format("turn cannot transition from %s to %s", this, next));
    }
    return next;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TurnStatus fromWire(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}
