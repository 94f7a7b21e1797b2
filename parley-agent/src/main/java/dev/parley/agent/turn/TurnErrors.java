package dev.parley.agent.turn;

import static java.util.Objects.requireNonNull;

import dev.parley.agent.AgentException;
import java.util.UUID;

/**
 * The failures a turn raises inside this package, and the wording of the ones a caller sees. The turn
 * loop maps {@link TurnTimeout} and {@link LeaseLost} to {@link AgentException}s, so they never leave
 * the package.
 */
final class TurnErrors {
  private TurnErrors() {}

  static AgentException notFound(UUID session) {
    return new AgentException(AgentException.Kind.NOT_FOUND, "session " + session + " not found");
  }

  static AgentException busy(UUID session) {
    return new AgentException(AgentException.Kind.TURN_IN_PROGRESS,
        "session " + session + " is answering another message; retry when it has finished");
  }

  /** The first line of a provider's message: error events and replies carry one line. */
  static String oneLine(String text) {
    return text.lines().findFirst().orElse(text);
  }

  /** The first line of an exception's message, or {@code (no detail)} when it has none. */
  static String oneLine(Throwable e) {
    String message = e.getMessage();
    return message == null ? "(no detail)" : oneLine(message);
  }

  /** The turn ran past its time limit. */
  static final class TurnTimeout extends RuntimeException {
    TurnTimeout(String message) {
      super(requireNonNull(message, "message is null"));
    }

    TurnTimeout(String message, Throwable cause) {
      super(requireNonNull(message, "message is null"), cause);
    }

    @Override
    public String getMessage() {
      return requireNonNull(super.getMessage());
    }
  }

  /** This turn no longer holds the session's lease, so nothing more of it may be stored. */
  static final class LeaseLost extends RuntimeException {
    LeaseLost(String message) {
      super(requireNonNull(message, "message is null"));
    }

    @Override
    public String getMessage() {
      return requireNonNull(super.getMessage());
    }
  }
}
