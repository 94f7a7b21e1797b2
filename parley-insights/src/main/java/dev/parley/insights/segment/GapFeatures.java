package dev.parley.insights.segment;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.text.Tokens;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Features of every gap between turns, for the learned gap scorer. Version {@value #VERSION}; the
 * calibration file records it and the reader rejects another.
 *
 * <p>Gap {@code g} (1 <= g < T) lies before turn {@code g}. For embeddings the features are cosine
 * similarities across the gap (TextTiling's block comparison over windows of 1, 2 and 3 turns, on raw
 * and on conversation-centred vectors; the turn pair ending at the gap against the pair starting at it;
 * the new turn against all earlier turns; the new turn against the previous turn of the same side),
 * each with its z-score within the conversation and its TextTiling depth (the drop from the nearest
 * peaks), so the scorer sees how unusual a drop is for this very conversation. Each of these is also
 * multiplied by "the gap opens a user turn", so users and responders can weigh differently. Plain cues
 * complete the set: which side speaks, relative position, first/last gap, a question mark, turn lengths,
 * and the share of content words not seen earlier in the conversation.
 */
public final class GapFeatures {
  public static final String VERSION = "gap-features-v1";

  private static final int[] WINDOWS = {1, 2, 3};

  private GapFeatures() {}

  /** Feature names, in column order. */
  public static List<String> names() {
    List<String> base = new ArrayList<>();
    for (int w : WINDOWS) {
      for (String space : new String[] {"raw", "centred"}) {
        String s = "block" + w + "_" + space;
        base.add(s);
        base.add(s + "_z");
        base.add(s + "_depth");
        base.add(s + "_depth_z");
      }
    }
    for (String s : new String[] {"pair", "novelty", "same_side"}) {
      base.add(s);
      base.add(s + "_z");
      if (s.equals("pair")) {
        base.add(s + "_depth");
        base.add(s + "_depth_z");
      }
    }
    List<String> names = new ArrayList<>(base);
    for (String b : base) {
      names.add(b + "_x_user");
    }
    names.addAll(List.of("opens_user_turn", "position", "first_gap", "last_gap", "question", "log_length", "log_length_before", "new_word_share"));
    return names;
  }

  /**
   * @param turns the conversation's turns (at least 2 for any gap)
   * @param turnVectors unit-length embedding per turn
   * @param pairVectors unit-length embedding per adjacent turn pair ({@code T - 1} of them)
   * @return one row per gap, columns as {@link #names()}
   */
  public static double[][] compute(List<Turn> turns, float[][] turnVectors, float[][] pairVectors) {
    requireNonNull(turns, "turns is null");
    int t = turns.size();
    if (turnVectors.length != t || pairVectors.length != Math.max(0, t - 1)) {
      throw new IllegalArgumentException("expected " + t + " turn vectors and " + Math.max(0, t - 1) + " pair vectors, got "
          + turnVectors.length + " and " + pairVectors.length);
    }
    int gaps = t - 1;
    if (gaps < 1) {
      return new double[0][];
    }
    int d = turnVectors[0].length;
    double[] zero = new double[d];
    double[] mean = new double[d];
    for (float[] v : turnVectors) {
      for (int j = 0; j < d; j++) {
        mean[j] += v[j] / t;
      }
    }
    List<double[]> cols = new ArrayList<>();
    for (int w : WINDOWS) {
      for (double[] centre : new double[][] {zero, mean}) {
        double[] s = new double[gaps];
        for (int g = 1; g < t; g++) {
          s[g - 1] = cosine(sum(turnVectors, g - w, g, centre), sum(turnVectors, g, g + w, centre));
        }
        addWithDepth(cols, s);
      }
    }
    double[] pair = new double[gaps];
    double[] novelty = new double[gaps];
    double[] sameSide = new double[gaps];
    for (int g = 1; g < t; g++) {
      float[] before = g >= 2 ? pairVectors[g - 2] : turnVectors[g - 1];
      float[] after = g + 1 < t ? pairVectors[g] : turnVectors[g];
      pair[g - 1] = dot(before, after);
      novelty[g - 1] = cosine(sum(turnVectors, 0, g, zero), sum(turnVectors, g, g + 1, zero));
      sameSide[g - 1] = g >= 2 ? dot(turnVectors[g], turnVectors[g - 2]) : 1.0;
    }
    addWithDepth(cols, pair);
    cols.add(novelty);
    cols.add(z(novelty));
    cols.add(sameSide);
    cols.add(z(sameSide));
    double[] user = new double[gaps];
    for (int g = 1; g < t; g++) {
      user[g - 1] = turns.get(g).user() ? 1 : 0;
    }
    int base = cols.size();
    for (int c = 0; c < base; c++) {
      double[] x = cols.get(c);
      double[] xu = new double[gaps];
      for (int g = 0; g < gaps; g++) {
        xu[g] = x[g] * user[g];
      }
      cols.add(xu);
    }
    double[] position = new double[gaps];
    double[] first = new double[gaps];
    double[] last = new double[gaps];
    double[] question = new double[gaps];
    double[] length = new double[gaps];
    double[] lengthBefore = new double[gaps];
    double[] newWords = new double[gaps];
    Set<String> seen = new HashSet<>(Tokens.contentWords(turns.get(0).text()));
    for (int g = 1; g < t; g++) {
      Turn turn = turns.get(g);
      position[g - 1] = (double) g / t;
      first[g - 1] = g == 1 ? 1 : 0;
      last[g - 1] = g == t - 1 ? 1 : 0;
      question[g - 1] = turn.text().indexOf('?') >= 0 ? 1 : 0;
      length[g - 1] = Math.log1p(Tokens.words(turn.text()).size());
      lengthBefore[g - 1] = Math.log1p(Tokens.words(turns.get(g - 1).text()).size());
      List<String> words = Tokens.contentWords(turn.text());
      long unseen = words.stream().filter(w -> !seen.contains(w)).count();
      newWords[g - 1] = words.isEmpty() ? 0 : (double) unseen / words.size();
      seen.addAll(words);
    }
    cols.addAll(List.of(user, position, first, last, question, length, lengthBefore, newWords));
    double[][] rows = new double[gaps][cols.size()];
    for (int g = 0; g < gaps; g++) {
      for (int c = 0; c < cols.size(); c++) {
        rows[g][c] = cols.get(c)[g];
      }
    }
    assert cols.size() == names().size() : "feature count " + cols.size() + " != names " + names().size();
    return rows;
  }

  private static void addWithDepth(List<double[]> cols, double[] s) {
    double[] depth = depth(s);
    cols.add(s);
    cols.add(z(s));
    cols.add(depth);
    cols.add(z(depth));
  }

  /** TextTiling depth: the drop from the highest similarity reachable on each side while it keeps rising. */
  public static double[] depth(double[] s) {
    double[] depth = new double[s.length];
    for (int g = 0; g < s.length; g++) {
      double left = s[g];
      for (int j = g - 1; j >= 0 && s[j] >= left; j--) {
        left = s[j];
      }
      double right = s[g];
      for (int j = g + 1; j < s.length && s[j] >= right; j++) {
        right = s[j];
      }
      depth[g] = (left - s[g]) + (right - s[g]);
    }
    return depth;
  }

  /** z-scores within the array (a constant array maps to zeros). */
  static double[] z(double[] x) {
    double mean = 0;
    for (double v : x) {
      mean += v;
    }
    mean /= x.length;
    double var = 0;
    for (double v : x) {
      var += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(var / x.length) + 1e-6;
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = (x[i] - mean) / sd;
    }
    return out;
  }

  private static double[] sum(float[][] v, int from, int to, double[] centre) {
    double[] s = new double[centre.length];
    for (int k = Math.max(0, from); k < Math.min(v.length, to); k++) {
      for (int j = 0; j < s.length; j++) {
        s[j] += v[k][j] - centre[j];
      }
    }
    return s;
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
