package dev.parley.agent.fsm;

import java.util.Locale;

/** The lifecycle of a session: active until its phase machine reaches a terminal phase. */
public enum SessionStatus {
  ACTIVE,
  COMPLETE;

  public boolean isTerminal() {
    return switch (this) {
      case ACTIVE -> false;
      case COMPLETE -> true;
    };
  }

  /** The status a session in {@code phase} has. */
  public static SessionStatus of(dev.parley.agent.definition.Phase phase) {
    return phase.isTerminal() ? COMPLETE : ACTIVE;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SessionStatus fromWire(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}
