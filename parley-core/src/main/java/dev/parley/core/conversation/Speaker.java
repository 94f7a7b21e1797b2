package dev.parley.core.conversation;

import dev.parley.core.error.BadInputException;
import java.util.Locale;

/** Who said a message. The wire names are the lower-case constant names. */
public enum Speaker {
  USER,
  ASSISTANT,
  /** A human support agent (distinct from the AI assistant; stage-2 triage keys on it). */
  SUPPORT,
  SYSTEM;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True for the side answering the user: the AI assistant or a human support agent. */
  public boolean isResponder() {
    return this == ASSISTANT || this == SUPPORT;
  }

  public static Speaker parse(String wire) {
    for (Speaker speaker : values()) {
      if (speaker.wireName().equals(wire)) {
        return speaker;
      }
    }
    throw new BadInputException("unknown speaker '" + wire + "' (expected user, assistant, support or system)");
  }
}
