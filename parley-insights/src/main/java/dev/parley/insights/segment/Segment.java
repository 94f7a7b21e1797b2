package dev.parley.insights.segment;

/** A topic segment: messages {@code [start, end)} of its conversation, and the turns it spans. */
public record Segment(int start, int end, int firstTurn, int endTurn) {
  public Segment {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("segment must be a non-empty range, was [" + start + ", " + end + ")");
    }
    if (firstTurn < 0 || endTurn <= firstTurn) {
      throw new IllegalArgumentException("segment must span at least one turn, was [" + firstTurn + ", " + endTurn + ")");
    }
  }
}
