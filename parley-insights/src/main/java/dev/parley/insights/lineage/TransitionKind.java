package dev.parley.insights.lineage;

import java.util.Locale;

/** What became of a leaf between two runs; declaration order is the output order. */
public enum TransitionKind {
  /** One old leaf matched 1:1 to one new leaf above the continuation threshold. */
  CONTINUATION,
  /** One old leaf to each of several new leaves (one transition line per new leaf). */
  SPLIT,
  /** Several old leaves into one new leaf (one transition line per old leaf). */
  MERGE,
  /** A new leaf with no old leaf. */
  BIRTH,
  /** An old leaf with no new leaf. */
  DEATH;

  /** The DESIGN §4 name: {@code continuation}, {@code split}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
