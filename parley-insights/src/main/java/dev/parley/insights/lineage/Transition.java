package dev.parley.insights.lineage;

import static java.util.Objects.requireNonNull;

/**
 * One lineage line, by index into the old and new centroid arrays.
 *
 * @param from index of the old leaf, -1 for a birth
 * @param to index of the new leaf, -1 for a death
 * @param similarity cosine between the two centroids; 0 for a birth or a death
 */
public record Transition(TransitionKind kind, int from, int to, double similarity) {
  public Transition {
    requireNonNull(kind, "kind is null");
    if ((kind == TransitionKind.BIRTH) != (from < 0) || (kind == TransitionKind.DEATH) != (to < 0)) {
      throw new IllegalArgumentException("a " + kind.wireName() + " has from " + from + " and to " + to);
    }
  }

  public boolean hasFrom() {
    return from >= 0;
  }

  public boolean hasTo() {
    return to >= 0;
  }
}
