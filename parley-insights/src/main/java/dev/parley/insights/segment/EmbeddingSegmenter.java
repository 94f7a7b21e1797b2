package dev.parley.insights.segment;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Topic segmentation of a conversation from embeddings of its turns and turn pairs, with an adaptive gate.
 *
 * <p>Follows the TextTiling family (Hearst 1997; over neural utterance representations as in Xing and
 * Carenini, "Improving Unsupervised Dialogue Topic Segmentation with Utterance-Pair Coherence Scoring",
 * SIGDIAL 2021): a similarity per gap ({@link GapScores}, a mix of pair and block similarity), its depth
 * (the drop from the nearest peaks on both sides), and a boundary where a gap's score clears a gate
 * placed relative to the same conversation's score distribution (mean + k standard deviations, with an
 * absolute floor), so flat-toned and lively conversations are cut by the same rule. Boundaries are taken
 * greedily by score, keeping segments at least {@code minSegmentTurns} turns long.
 *
 * <p>Pipeline of static stages over primitive arrays: {@link #similarity}, {@link #depth},
 * {@link #scores}, {@link #select}.
 */
public final class EmbeddingSegmenter {
  private EmbeddingSegmenter() {}

  /** Boundary gaps (a gap g means a new segment starts at turn g), ascending. */
  public static List<Integer> boundaries(GapScores scores, SegmenterParams params) {
    requireNonNull(scores, "scores is null");
    requireNonNull(params, "params is null");
    int gaps = scores.gaps();
    if (gaps < 1) {
      return List.of();
    }
    double[] s = similarity(scores, params.pairWeight());
    double[] score = scores(s, depth(s), scores.opensUserTurn(), params);
    return select(score, params);
  }

  /** The mixed similarity per gap. */
  static double[] similarity(GapScores scores, double pairWeight) {
    double[] s = new double[scores.gaps()];
    for (int g = 0; g < s.length; g++) {
      s[g] = pairWeight * scores.pair()[g] + (1 - pairWeight) * scores.block()[g];
    }
    return s;
  }

  /** TextTiling depth: climb to the highest similarity on each side while it keeps rising. */
  static double[] depth(double[] s) {
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

  /** Score per gap: depth, plus how far the similarity lies under the conversation's mean, plus the user bonus. */
  static double[] scores(double[] s, double[] depth, boolean[] opensUserTurn, SegmenterParams params) {
    double mean = Arrays.stream(s).average().orElse(0);
    double[] score = new double[s.length];
    for (int g = 0; g < s.length; g++) {
      score[g] = (1 - params.lowWeight()) * depth[g] + params.lowWeight() * (mean - s[g])
          + (opensUserTurn[g] ? params.userBonus() : 0);
    }
    return score;
  }

  /** Gate and greedy selection by descending score under the minimum segment length. */
  static List<Integer> select(double[] score, SegmenterParams params) {
    int gaps = score.length;
    int turns = gaps + 1;
    double mean = 0;
    for (double v : score) {
      mean += v;
    }
    mean /= gaps;
    double var = 0;
    for (double v : score) {
      var += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(var / gaps);
    double gate = Math.max(params.minScore(), mean + params.gateK() * sd);
    Integer[] order = new Integer[gaps];
    for (int g = 0; g < gaps; g++) {
      order[g] = g;
    }
    // Highest score first; ties broken by position so the result is deterministic.
    Arrays.sort(order, Comparator.comparingDouble((Integer g) -> -score[g]).thenComparingInt(g -> g));
    int m = params.minSegmentTurns();
    List<Integer> chosen = new ArrayList<>();
    for (int g : order) {
      if (score[g] <= gate) {
        break;
      }
      int boundary = g + 1; // new segment starts at turn g + 1
      if (boundary < m || turns - boundary < m) {
        continue;
      }
      boolean farEnough = true;
      for (int b : chosen) {
        if (Math.abs(b - boundary) < m) {
          farEnough = false;
          break;
        }
      }
      if (farEnough) {
        chosen.add(boundary);
      }
    }
    chosen.sort(null);
    return chosen;
  }
}
