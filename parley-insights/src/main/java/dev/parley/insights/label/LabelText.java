package dev.parley.insights.label;

import static java.util.Objects.requireNonNull;

/** A short label and a one-sentence description of a cluster. */
public record LabelText(String label, String description) {
  public LabelText {
    requireNonNull(label, "label is null");
    requireNonNull(description, "description is null");
  }
}
