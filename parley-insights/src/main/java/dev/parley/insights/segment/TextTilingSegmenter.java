package dev.parley.insights.segment;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.text.Tokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The lexical TextTiling baseline (Hearst, "TextTiling: Segmenting Text into Multi-paragraph Subtopic
 * Passages", Computational Linguistics 23(1), 1997), with turns as the token-sequences: cosine of term
 * frequencies (stop words removed) of the {@code window} turns on each side of a gap, depth scores, and
 * boundaries where the depth exceeds {@code mean - sd / 2} (Hearst's liberal cutoff). No parameters are
 * fitted; it is the reference point that published dialogue results also report.
 */
public final class TextTilingSegmenter {
  private final int window;

  public TextTilingSegmenter(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be >= 1, was " + window);
    }
    this.window = window;
  }

  /** Boundary gaps (a new segment starts at turn g), ascending. */
  public List<Integer> boundaries(List<String> turnTexts) {
    requireNonNull(turnTexts, "turnTexts is null");
    int t = turnTexts.size();
    if (t < 2) {
      return List.of();
    }
    List<Map<String, Integer>> counts = new ArrayList<>(t);
    for (String text : turnTexts) {
      Map<String, Integer> c = new HashMap<>();
      for (String w : Tokens.contentWords(text)) {
        c.merge(w, 1, Integer::sum);
      }
      counts.add(c);
    }
    double[] s = new double[t - 1];
    for (int g = 1; g < t; g++) {
      Map<String, Integer> left = new HashMap<>();
      Map<String, Integer> right = new HashMap<>();
      for (int k = Math.max(0, g - window); k < g; k++) {
        counts.get(k).forEach((w, c) -> left.merge(w, c, Integer::sum));
      }
      for (int k = g; k < Math.min(t, g + window); k++) {
        counts.get(k).forEach((w, c) -> right.merge(w, c, Integer::sum));
      }
      s[g - 1] = cosine(left, right);
    }
    double[] depth = GapFeatures.depth(s);
    double mean = 0;
    for (double d : depth) {
      mean += d;
    }
    mean /= depth.length;
    double var = 0;
    for (double d : depth) {
      var += (d - mean) * (d - mean);
    }
    double cutoff = mean - Math.sqrt(var / depth.length) / 2;
    List<Integer> boundaries = new ArrayList<>();
    for (int g = 0; g < depth.length; g++) {
      // A boundary needs a real dip: a zero depth never qualifies, whatever the cutoff.
      if (depth[g] > 0 && depth[g] > cutoff) {
        boundaries.add(g + 1);
      }
    }
    return boundaries;
  }

  private static double cosine(Map<String, Integer> a, Map<String, Integer> b) {
    double ab = 0;
    for (Map.Entry<String, Integer> e : a.entrySet()) {
      Integer other = b.get(e.getKey());
      if (other != null) {
        ab += (double) e.getValue() * other;
      }
    }
    double aa = a.values().stream().mapToDouble(v -> (double) v * v).sum();
    double bb = b.values().stream().mapToDouble(v -> (double) v * v).sum();
    return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
  }
}
