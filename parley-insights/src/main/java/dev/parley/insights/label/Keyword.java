package dev.parley.insights.label;

import static java.util.Objects.requireNonNull;

/** A term that characterises a cluster, with its c-TF-IDF weight (higher is more characteristic). */
public record Keyword(String term, double weight) {
  public Keyword {
    requireNonNull(term, "term is null");
  }
}
