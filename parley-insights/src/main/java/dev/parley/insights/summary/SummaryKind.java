package dev.parley.insights.summary;

import java.util.Locale;

/** How a summary was made; written as {@code "summary_kind"} next to every summary. */
public enum SummaryKind {
  /** Sentences copied from the conversation (offline). */
  EXTRACTIVE,
  /** Written by an LLM. */
  LLM;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
