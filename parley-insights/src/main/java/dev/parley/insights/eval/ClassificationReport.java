package dev.parley.insights.eval;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Accuracy, macro-averaged F1 (the unweighted mean of per-class F1 over the classes present in the gold
 * labels or the predictions), and accuracy broken down by a grouping such as the confidence level.
 */
public record ClassificationReport(int count, double accuracy, double macroF1, Map<String, Group> byGroup) {

  /** Accuracy within one group, and the group's share of all predictions. */
  public record Group(int count, double accuracy, double share) {}

  public ClassificationReport {
    byGroup = Map.copyOf(requireNonNull(byGroup, "byGroup is null"));
  }

  /**
   * @param gold gold labels
   * @param predicted predicted labels, same order
   * @param groups group of each prediction (e.g. "high"), same order; may be empty for no breakdown
   */
  public static ClassificationReport of(List<String> gold, List<String> predicted, List<String> groups) {
    requireNonNull(gold, "gold is null");
    requireNonNull(predicted, "predicted is null");
    requireNonNull(groups, "groups is null");
    if (gold.size() != predicted.size()) {
      throw new IllegalArgumentException("gold and predicted differ in size: " + gold.size() + " vs " + predicted.size());
    }
    if (!groups.isEmpty() && groups.size() != gold.size()) {
      throw new IllegalArgumentException("groups must be empty or match gold in size, was " + groups.size() + " vs " + gold.size());
    }
    int n = gold.size();
    if (n == 0) {
      throw new IllegalArgumentException("gold is empty");
    }
    int correct = 0;
    Map<String, int[]> counts = new TreeMap<>(); // label -> {tp, fp, fn}
    Map<String, int[]> groupCounts = new TreeMap<>(); // group -> {count, correct}
    for (int i = 0; i < n; i++) {
      String g = gold.get(i);
      String p = predicted.get(i);
      boolean ok = g.equals(p);
      if (ok) {
        correct++;
        counts.computeIfAbsent(g, k -> new int[3])[0]++;
      } else {
        counts.computeIfAbsent(p, k -> new int[3])[1]++;
        counts.computeIfAbsent(g, k -> new int[3])[2]++;
      }
      if (!groups.isEmpty()) {
        int[] c = groupCounts.computeIfAbsent(groups.get(i), k -> new int[2]);
        c[0]++;
        if (ok) {
          c[1]++;
        }
      }
    }
    double f1Sum = 0;
    for (int[] c : counts.values()) {
      double precision = c[0] + c[1] == 0 ? 0 : (double) c[0] / (c[0] + c[1]);
      double recall = c[0] + c[2] == 0 ? 0 : (double) c[0] / (c[0] + c[2]);
      f1Sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }
    Map<String, Group> byGroup = new TreeMap<>();
    groupCounts.forEach((group, c) -> byGroup.put(group, new Group(c[0], (double) c[1] / c[0], (double) c[0] / n)));
    return new ClassificationReport(n, (double) correct / n, f1Sum / counts.size(), byGroup);
  }

  /** Labels seen in gold or predictions, sorted (for confusion listings). */
  public static List<String> labels(List<String> gold, List<String> predicted) {
    TreeSet<String> all = new TreeSet<>(gold);
    all.addAll(predicted);
    return new ArrayList<>(all);
  }
}
