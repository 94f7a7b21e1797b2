package dev.parley.insights.segment;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * The segments of one conversation, covering every message in order (DESIGN §4), with the turns they
 * were cut from and the boundary probability of every gap.
 */
public record Segmentation(String conversationId, List<Turn> turns, List<Segment> segments, double[] gapProbabilities) {
  public Segmentation {
    requireNonNull(conversationId, "conversationId is null");
    turns = List.copyOf(requireNonNull(turns, "turns is null"));
    segments = List.copyOf(requireNonNull(segments, "segments is null"));
    requireNonNull(gapProbabilities, "gapProbabilities is null");
    int expected = 0;
    for (Segment s : segments) {
      if (s.start() != expected) {
        throw new IllegalArgumentException("segments must cover messages in order: expected start " + expected + ", found " + s.start());
      }
      expected = s.end();
    }
  }

  /** Builds the segments from boundary turns (each starts a new segment). */
  public static Segmentation of(String conversationId, List<Turn> turns, List<Integer> boundaryTurns, double[] gapProbabilities) {
    List<Segment> segments = new ArrayList<>();
    int first = 0;
    List<Integer> ends = new ArrayList<>(boundaryTurns);
    ends.add(turns.size());
    for (int end : ends) {
      segments.add(new Segment(turns.get(first).messageStart(), turns.get(end - 1).messageEnd(), first, end));
      first = end;
    }
    return new Segmentation(conversationId, turns, segments, gapProbabilities);
  }

  /** Segment lengths in messages (the "masses" segmentation metrics take). */
  public int[] masses() {
    return segments.stream().mapToInt(s -> s.end() - s.start()).toArray();
  }
}
