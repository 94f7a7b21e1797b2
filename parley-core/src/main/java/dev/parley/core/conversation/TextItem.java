package dev.parley.core.conversation;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** A single utterance to cluster or classify: {@code {"id","text","label"?}}. */
public record TextItem(String id, String text, Optional<String> label) {
  public TextItem {
    requireNonNull(id, "id is null");
    requireNonNull(text, "text is null");
    requireNonNull(label, "label is null");
  }
}
