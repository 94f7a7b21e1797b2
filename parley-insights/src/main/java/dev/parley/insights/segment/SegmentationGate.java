package dev.parley.insights.segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The adaptive gate that turns gap probabilities into boundaries. A gap is a candidate when its
 * probability exceeds both {@code floor} and the conversation's own mean probability plus {@code k}
 * standard deviations (so a conversation where every gap looks alike is not cut everywhere); candidates
 * are accepted greedily by probability while every segment keeps at least {@code minSegmentTurns} turns.
 */
public record SegmentationGate(double floor, double k, int minSegmentTurns) {
  public SegmentationGate {
    if (!(floor >= 0 && floor <= 1)) {
      throw new IllegalArgumentException("floor must be in [0, 1], was " + floor);
    }
    if (!Double.isFinite(k)) {
      throw new IllegalArgumentException("k must be finite, was " + k);
    }
    if (minSegmentTurns < 1) {
      throw new IllegalArgumentException("minSegmentTurns must be >= 1, was " + minSegmentTurns);
    }
  }

  /** Boundaries as turn indexes starting a new segment (gap g + 1 for probability index g), ascending. */
  public List<Integer> boundaries(double[] probabilities) {
    int gaps = probabilities.length;
    if (gaps == 0) {
      return List.of();
    }
    double mean = 0;
    for (double p : probabilities) {
      mean += p;
    }
    mean /= gaps;
    double var = 0;
    for (double p : probabilities) {
      var += (p - mean) * (p - mean);
    }
    double gate = Math.max(floor, mean + k * Math.sqrt(var / gaps));
    Integer[] order = new Integer[gaps];
    for (int g = 0; g < gaps; g++) {
      order[g] = g;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer g) -> -probabilities[g]).thenComparingInt(g -> g));
    int turns = gaps + 1;
    List<Integer> chosen = new ArrayList<>();
    for (int g : order) {
      if (!(probabilities[g] > gate)) {
        break;
      }
      int boundary = g + 1;
      if (boundary < minSegmentTurns || turns - boundary < minSegmentTurns) {
        continue;
      }
      boolean farEnough = chosen.stream().allMatch(b -> Math.abs(b - boundary) >= minSegmentTurns);
      if (farEnough) {
        chosen.add(boundary);
      }
    }
    chosen.sort(null);
    return chosen;
  }
}
