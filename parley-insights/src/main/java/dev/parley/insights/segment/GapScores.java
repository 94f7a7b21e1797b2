package dev.parley.insights.segment;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Similarity across every gap between turns, from turn embeddings and turn-pair embeddings.
 *
 * <p>Gap {@code g} (1 <= g < T) lies between turn {@code g - 1} and turn {@code g}. Two similarities:
 * the block similarity (TextTiling's block comparison, Hearst, "TextTiling: Segmenting Text into
 * Multi-paragraph Subtopic Passages", Computational Linguistics 23(1), 1997), the cosine of the summed
 * embeddings of the {@code window} turns on each side; and the pair similarity, the cosine of the
 * embedding of the pair of turns ending at the gap with that of the pair starting at it (a user turn with
 * its response, when the gap opens a user turn).
 *
 * @param block block similarity per gap, index {@code g - 1}
 * @param pair pair similarity per gap, index {@code g - 1}
 * @param opensUserTurn whether the turn after each gap is the user's
 */
public record GapScores(double[] block, double[] pair, boolean[] opensUserTurn) {

  public GapScores {
    requireNonNull(block, "block is null");
    requireNonNull(pair, "pair is null");
    requireNonNull(opensUserTurn, "opensUserTurn is null");
    if (block.length != pair.length || block.length != opensUserTurn.length) {
      throw new IllegalArgumentException("arrays differ in length: " + block.length + ", " + pair.length + ", " + opensUserTurn.length);
    }
  }

  public int gaps() {
    return block.length;
  }

  /**
   * @param turns the conversation's turns
   * @param turnVectors unit-length embedding per turn
   * @param pairVectors unit-length embedding per adjacent pair: entry {@code t} embeds turns t and t + 1
   */
  public static GapScores compute(List<Turn> turns, float[][] turnVectors, float[][] pairVectors, int window) {
    int t = turns.size();
    if (turnVectors.length != t) {
      throw new IllegalArgumentException("turnVectors has " + turnVectors.length + " entries for " + t + " turns");
    }
    if (pairVectors.length != Math.max(0, t - 1)) {
      throw new IllegalArgumentException("pairVectors has " + pairVectors.length + " entries for " + t + " turns, expected " + Math.max(0, t - 1));
    }
    int gaps = Math.max(0, t - 1);
    double[] block = new double[gaps];
    double[] pair = new double[gaps];
    boolean[] user = new boolean[gaps];
    int d = t == 0 ? 0 : turnVectors[0].length;
    for (int g = 1; g < t; g++) {
      double[] left = new double[d];
      double[] right = new double[d];
      for (int k = Math.max(0, g - window); k < g; k++) {
        add(left, turnVectors[k]);
      }
      for (int k = g; k < Math.min(t, g + window); k++) {
        add(right, turnVectors[k]);
      }
      block[g - 1] = cosine(left, right);
      float[] before = g >= 2 ? pairVectors[g - 2] : turnVectors[g - 1];
      float[] after = g + 1 < t ? pairVectors[g] : turnVectors[g];
      pair[g - 1] = dot(before, after);
      user[g - 1] = turns.get(g).user();
    }
    return new GapScores(block, pair, user);
  }

  private static void add(double[] sum, float[] v) {
    for (int j = 0; j < sum.length; j++) {
      sum[j] += v[j];
    }
  }

  private static double cosine(double[] a, double[] b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int j = 0; j < a.length; j++) {
      ab += a[j] * b[j];
      aa += a[j] * a[j];
      bb += b[j] * b[j];
    }
    return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += (double) a[j] * b[j];
    }
    return s;
  }
}
