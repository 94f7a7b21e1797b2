package dev.parley.insights.triage;

import dev.parley.core.error.BadInputException;
import java.util.Locale;

/** How much support's part of the thread clarified what the conversation is about. */
public enum DisambiguationLevel {
  HIGH,
  MEDIUM,
  LOW,
  NONE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DisambiguationLevel parse(String wire) {
    for (DisambiguationLevel d : values()) {
      if (d.wireName().equals(wire)) {
        return d;
      }
    }
    throw new BadInputException("unknown disambiguation level '" + wire + "'");
  }

  /**
   * Offline rule: a changed type is a high disambiguation; the same type with a higher confidence level is
   * medium; a probability gain of at least 0.1 is low; anything else none.
   */
  public static DisambiguationLevel between(Prediction stage1, Prediction stage2) {
    if (!stage1.type().equals(stage2.type())) {
      return HIGH;
    }
    if (stage2.confidence().ordinal() < stage1.confidence().ordinal()) {
      return MEDIUM;
    }
    return stage2.probability() - stage1.probability() >= 0.1 ? LOW : NONE;
  }
}
