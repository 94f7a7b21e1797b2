package dev.parley.insights.triage;

import dev.parley.core.error.BadInputException;
import java.util.Locale;

/** Queue priority for routing, most pressing first. */
public enum RoutingPriority {
  URGENT,
  HIGH,
  NORMAL,
  LOW;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RoutingPriority parse(String wire, String where) {
    for (RoutingPriority p : values()) {
      if (p.wireName().equals(wire)) {
        return p;
      }
    }
    throw new BadInputException(where + ": unknown routing priority '" + wire + "' (expected urgent, high, normal or low)");
  }

  /** The more pressing of the two. */
  public RoutingPriority max(RoutingPriority other) {
    return ordinal() <= other.ordinal() ? this : other;
  }
}
