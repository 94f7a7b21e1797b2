package dev.parley.insights.label;

import java.util.Locale;

/** Where a cluster's label came from. */
public enum LabelSource {
  /** Written by the LLM (map-reduce over representatives, or reduced from the children's labels). */
  LLM,
  /** c-TF-IDF keywords and the most central text; no LLM configured. */
  OFFLINE,
  /** An LLM was configured but its answers were unusable twice; the offline label stands in. */
  OFFLINE_FALLBACK,
  /** The cluster is too small to show (privacy rule); no label or examples are given. */
  REDACTED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
