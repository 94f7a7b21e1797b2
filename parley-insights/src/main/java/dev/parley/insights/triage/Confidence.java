package dev.parley.insights.triage;

import java.util.Locale;

/** How much to trust a classification; {@link #HIGH} is calibrated to a target precision on held-out data. */
public enum Confidence {
  HIGH,
  MEDIUM,
  LOW;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
