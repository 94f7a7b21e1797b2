package dev.parley.insights.lineage;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.metrics.Hungarian;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Lineage between the leaves of an old and a new cluster run, from their leaf centroids alone (DESIGN §4
 * "Lineage"): which leaves continue, split, merge, are born or die.
 *
 * <p>Stages, on the old x new cosine matrix {@code S}:
 * <ol>
 *   <li><b>Matching.</b> A maximum-total-similarity 1:1 matching (the Hungarian method, {@link Hungarian});
 *       a matched pair with {@code S >= continuation} is a continuation candidate.</li>
 *   <li><b>Splits (row scan).</b> For an old leaf {@code i}, its split set is every new leaf {@code j} with
 *       {@code S[i][j] >= secondary} whose nearest old leaf is {@code i} and that does not continue another old
 *       leaf, plus {@code i}'s own continuation partner. Two or more members make a split: one {@code SPLIT}
 *       line per member, replacing {@code i}'s continuation.</li>
 *   <li><b>Merges (column scan).</b> The mirror image for a new leaf {@code j} not in a split: every old leaf
 *       {@code i} not in a split, with {@code S[i][j] >= secondary}, whose nearest new leaf is {@code j} and that
 *       does not continue into another new leaf, plus {@code j}'s continuation partner. Two or more make a
 *       merge: one {@code MERGE} line per old leaf, replacing {@code j}'s continuation.</li>
 *   <li><b>Births and deaths.</b> A new leaf in no line is a birth, an old leaf in no line a death; their
 *       similarity is the highest cosine to any leaf of the other run (0 when it has none), to show how near
 *       the nearest candidate came.</li>
 * </ol>
 * Ties on "nearest" go to the lower index, so the result depends on the inputs only. Output is sorted by kind
 * ({@link TransitionKind} order), then old index, then new index (births, with no old index, by new index).
 *
 * <p><b>Thresholds.</b> The defaults ({@value #DEFAULT_CONTINUATION} and {@value #DEFAULT_SECONDARY}) were chosen
 * by reasoning, not fitted, and are to be calibrated later on pairs of real runs. A re-run of the same items puts a
 * leaf's centroid at cosine ~0.95-1.0 of its old self, so 0.85 leaves room for drift. The secondary threshold must
 * sit above the cosine of unrelated leaves, which is high in the local model's space (bge-small is anisotropic:
 * leaf centroids of four unrelated test topics sat at 0.63-0.76 of each other), hence 0.80; an old leaf split
 * evenly into two halves at cosine {@code c} of each other sits at {@code sqrt((1 + c) / 2)} of each half, which is
 * at least 0.80 for any {@code c >= 0.28}, so real splits in that space stay above it. Another embedding model
 * may need other values.
 *
 * <p>H. W. Kuhn, "The Hungarian method for the assignment problem", Naval Research Logistics Quarterly 2 (1955).
 * The matching is O(n^2 m) (~130 ms at 1000 x 1000, DESIGN §7); the scans are O(n m).
 */
public final class LineageMatcher {
  /** Default cosine a matched pair needs to be a continuation (reasoned, not fitted). */
  public static final double DEFAULT_CONTINUATION = 0.85;
  /** Default cosine of the split / merge scans (reasoned, not fitted). */
  public static final double DEFAULT_SECONDARY = 0.80;

  private final double continuation;
  private final double secondary;

  /**
   * @param continuation cosine a matched pair needs to be a continuation, in (-1, 1]
   * @param secondary cosine of the split and merge scans, in (-1, continuation]
   */
  public LineageMatcher(double continuation, double secondary) {
    if (!(continuation > -1 && continuation <= 1)) {
      throw new IllegalArgumentException("continuation must be in (-1, 1], found " + continuation);
    }
    if (!(secondary > -1 && secondary <= continuation)) {
      throw new IllegalArgumentException("secondary must be in (-1, continuation = " + continuation + "], found " + secondary);
    }
    this.continuation = continuation;
    this.secondary = secondary;
  }

  public static LineageMatcher withDefaults() {
    return new LineageMatcher(DEFAULT_CONTINUATION, DEFAULT_SECONDARY);
  }

  public double continuation() {
    return continuation;
  }

  public double secondary() {
    return secondary;
  }

  /**
   * @param oldCentroids leaf centroids of the old run (normalised here, so any non-zero vectors do)
   * @param newCentroids leaf centroids of the new run, same dimension
   * @return every old and every new leaf in at least one transition, sorted as the class says
   */
  public List<Transition> match(float[][] oldCentroids, float[][] newCentroids) {
    requireNonNull(oldCentroids, "oldCentroids is null");
    requireNonNull(newCentroids, "newCentroids is null");
    double[][] s = cosines(oldCentroids, newCentroids);
    return transitions(s, oldCentroids.length, newCentroids.length);
  }

  /** Old x new cosine matrix of the L2-normalised rows; a zero vector has cosine 0 to everything. */
  static double[][] cosines(float[][] a, float[][] b) {
    int dim = a.length > 0 ? a[0].length : b.length > 0 ? b[0].length : 0;
    for (float[] v : a) {
      checkDim(v, dim, "old");
    }
    for (float[] v : b) {
      checkDim(v, dim, "new");
    }
    double[] na = norms(a);
    double[] nb = norms(b);
    double[][] s = new double[a.length][b.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        double dot = 0;
        for (int d = 0; d < dim; d++) {
          dot += (double) a[i][d] * b[j][d];
        }
        double denominator = na[i] * nb[j];
        s[i][j] = denominator == 0 ? 0 : Math.max(-1, Math.min(1, dot / denominator));
      }
    }
    return s;
  }

  private static void checkDim(float[] v, int dim, String side) {
    if (requireNonNull(v, side + " centroid is null").length != dim) {
      throw new IllegalArgumentException(side + " centroid has dimension " + v.length + ", expected " + dim);
    }
  }

  private static double[] norms(float[][] rows) {
    double[] n = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      double sum = 0;
      for (float x : rows[i]) {
        sum += (double) x * x;
      }
      n[i] = Math.sqrt(sum);
    }
    return n;
  }

  /** Maximum-total 1:1 matching of rows to columns: for each row its column, or -1. */
  static int[] matching(double[][] s) {
    return s.length == 0 ? new int[0] : Hungarian.maximise(s);
  }

  /* Stages 1-4 of the class javadoc over the cosine matrix s (rows old, columns new). */
  private List<Transition> transitions(double[][] s, int rows, int cols) {
    int[] rowMatch = cols == 0 ? filled(rows, -1) : matching(s);
    // Continuation partners, -1 when none.
    int[] contOfOld = filled(rows, -1);
    int[] contOfNew = filled(cols, -1);
    for (int i = 0; i < rows; i++) {
      int j = rowMatch[i];
      if (j >= 0 && s[i][j] >= continuation) {
        contOfOld[i] = j;
        contOfNew[j] = i;
      }
    }
    int[] nearestOld = new int[cols];
    for (int j = 0; j < cols; j++) {
      nearestOld[j] = argmaxColumn(s, j, rows);
    }
    int[] nearestNew = new int[rows];
    for (int i = 0; i < rows; i++) {
      nearestNew[i] = argmaxRow(s[i]);
    }
    boolean[] oldUsed = new boolean[rows];
    boolean[] newUsed = new boolean[cols];
    List<Transition> out = new ArrayList<>();
    // Splits: row scan.
    for (int i = 0; i < rows; i++) {
      List<Integer> members = new ArrayList<>();
      for (int j = 0; j < cols; j++) {
        boolean partner = contOfOld[i] == j;
        boolean candidate = s[i][j] >= secondary && nearestOld[j] == i && (contOfNew[j] < 0 || contOfNew[j] == i);
        if (partner || candidate) {
          members.add(j);
        }
      }
      if (members.size() >= 2) {
        oldUsed[i] = true;
        for (int j : members) {
          newUsed[j] = true;
          out.add(new Transition(TransitionKind.SPLIT, i, j, s[i][j]));
        }
      }
    }
    // Merges: column scan over what the splits left.
    for (int j = 0; j < cols; j++) {
      if (newUsed[j]) {
        continue;
      }
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < rows; i++) {
        if (oldUsed[i]) {
          continue;
        }
        boolean partner = contOfNew[j] == i;
        boolean candidate = s[i][j] >= secondary && nearestNew[i] == j && (contOfOld[i] < 0 || contOfOld[i] == j);
        if (partner || candidate) {
          members.add(i);
        }
      }
      if (members.size() >= 2) {
        newUsed[j] = true;
        for (int i : members) {
          oldUsed[i] = true;
          out.add(new Transition(TransitionKind.MERGE, i, j, s[i][j]));
        }
      }
    }
    // Continuations that no split or merge took over.
    for (int i = 0; i < rows; i++) {
      int j = contOfOld[i];
      if (j >= 0 && !oldUsed[i] && !newUsed[j]) {
        oldUsed[i] = true;
        newUsed[j] = true;
        out.add(new Transition(TransitionKind.CONTINUATION, i, j, s[i][j]));
      }
    }
    for (int j = 0; j < cols; j++) {
      if (!newUsed[j]) {
        out.add(new Transition(TransitionKind.BIRTH, -1, j, rows == 0 ? 0 : s[nearestOld[j]][j]));
      }
    }
    for (int i = 0; i < rows; i++) {
      if (!oldUsed[i]) {
        out.add(new Transition(TransitionKind.DEATH, i, -1, cols == 0 ? 0 : s[i][nearestNew[i]]));
      }
    }
    out.sort(ORDER);
    return List.copyOf(out);
  }

  /** Kind, then old index, then new index. */
  static final Comparator<Transition> ORDER = Comparator.comparing(Transition::kind)
      .thenComparingInt(Transition::from)
      .thenComparingInt(Transition::to);

  private static int argmaxRow(double[] row) {
    int best = -1;
    for (int j = 0; j < row.length; j++) {
      if (best < 0 || row[j] > row[best]) {
        best = j;
      }
    }
    return best;
  }

  private static int argmaxColumn(double[][] s, int j, int rows) {
    int best = -1;
    for (int i = 0; i < rows; i++) {
      if (best < 0 || s[i][j] > s[best][j]) {
        best = i;
      }
    }
    return best;
  }

  private static int[] filled(int n, int value) {
    int[] a = new int[n];
    Arrays.fill(a, value);
    return a;
  }
}
