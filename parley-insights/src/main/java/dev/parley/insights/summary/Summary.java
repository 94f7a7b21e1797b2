package dev.parley.insights.summary;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A segment's summary, or why there is none (an LLM that kept answering garbage). A failed item never
 * fails the run: the caller writes the error beside the segment and carries on.
 */
public record Summary(String id, Optional<String> text, SummaryKind kind, Optional<String> error) {
  public Summary {
    requireNonNull(id, "id is null");
    requireNonNull(text, "text is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(error, "error is null");
    if (text.isPresent() == error.isPresent()) {
      throw new IllegalArgumentException("exactly one of text and error must be present for '" + id + "'");
    }
  }

  public static Summary of(String id, String text, SummaryKind kind) {
    return new Summary(id, Optional.of(text), kind, Optional.empty());
  }

  public static Summary failed(String id, SummaryKind kind, String error) {
    return new Summary(id, Optional.empty(), kind, Optional.of(error));
  }
}
