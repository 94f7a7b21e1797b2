package dev.parley.insights.triage;

import dev.parley.core.error.BadInputException;
import java.util.Locale;

/** How time-critical the customer's problem is, most critical first. */
public enum Urgency {
  CRITICAL,
  HIGH,
  NORMAL,
  LOW;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Urgency parse(String wire, String where) {
    for (Urgency u : values()) {
      if (u.wireName().equals(wire)) {
        return u;
      }
    }
    throw new BadInputException(where + ": unknown urgency '" + wire + "' (expected critical, high, normal or low)");
  }

  public Urgency max(Urgency other) {
    return ordinal() <= other.ordinal() ? this : other;
  }
}
