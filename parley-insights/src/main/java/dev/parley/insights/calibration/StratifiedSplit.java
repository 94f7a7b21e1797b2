package dev.parley.insights.calibration;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/** A seeded, stratified train / held-out split of example indexes. */
public record StratifiedSplit(int[] train, int[] heldOut) {

  /**
   * Holds out {@code fraction} of each class (rounded down), but only from classes with at least
   * {@code minPerClass} examples, so every class keeps most of its examples for training.
   */
  public static StratifiedSplit of(int[] labels, double fraction, int minPerClass, long seed) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("fraction must be in (0, 1), was " + fraction);
    }
    TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
    for (int i = 0; i < labels.length; i++) {
      byClass.computeIfAbsent(labels[i], c -> new ArrayList<>()).add(i);
    }
    Random random = new Random(seed);
    List<Integer> train = new ArrayList<>();
    List<Integer> heldOut = new ArrayList<>();
    for (List<Integer> members : byClass.values()) {
      Collections.shuffle(members, random);
      int hold = members.size() >= minPerClass ? (int) Math.floor(members.size() * fraction) : 0;
      heldOut.addAll(members.subList(0, hold));
      train.addAll(members.subList(hold, members.size()));
    }
    Collections.sort(train);
    Collections.sort(heldOut);
    return new StratifiedSplit(train.stream().mapToInt(Integer::intValue).toArray(), heldOut.stream().mapToInt(Integer::intValue).toArray());
  }
}
