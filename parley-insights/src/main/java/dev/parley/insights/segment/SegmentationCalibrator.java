package dev.parley.insights.segment;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.calibration.CmaesSearch;
import dev.parley.insights.calibration.FeatureVector;
import dev.parley.insights.calibration.SoftmaxRegressionTrainer;
import dev.parley.insights.eval.SegmentationMetrics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Fits a {@link SegmentationModel} on labelled conversations: the gap scorer by L2-regularised logistic
 * regression on gap labels (a gap is positive when a reference segment starts inside the turn after it),
 * then the gate's floor and k by CMA-ES ({@link CmaesSearch}) for each minimum segment length, minimising
 * the mean Pk — averaged per dataset first, so a large dataset does not drown a small one.
 */
public final class SegmentationCalibrator {
  /**
   * A conversation with reference segments and precomputed embeddings.
   *
   * @param dataset name used to average the objective per dataset
   * @param referenceMasses reference segment lengths in messages
   */
  public record Labelled(String dataset, List<Turn> turns, float[][] turnVectors, float[][] pairVectors, int[] referenceMasses) {
    public Labelled {
      requireNonNull(dataset, "dataset is null");
      turns = List.copyOf(requireNonNull(turns, "turns is null"));
      requireNonNull(turnVectors, "turnVectors is null");
      requireNonNull(pairVectors, "pairVectors is null");
      requireNonNull(referenceMasses, "referenceMasses is null");
    }

    int messages() {
      return turns.isEmpty() ? 0 : turns.getLast().messageEnd();
    }
  }

  /** Options: regularisation of the scorer, CMA-ES restarts and budget, candidate minimum lengths, seed. */
  public record Options(double l2, int restarts, int maxEvaluations, List<Integer> minSegmentTurns, long seed) {
    public Options {
      minSegmentTurns = List.copyOf(requireNonNull(minSegmentTurns, "minSegmentTurns is null"));
      if (minSegmentTurns.isEmpty()) {
        throw new IllegalArgumentException("minSegmentTurns must not be empty");
      }
    }

    public static Options defaults(long seed) {
      return new Options(1e-3, 4, 400, List.of(1, 2, 3), seed);
    }
  }

  private final Options options;

  public SegmentationCalibrator(Options options) {
    this.options = requireNonNull(options, "options is null");
  }

  /** The scorer alone, trained on the gap labels of {@code data}. */
  public GapScorer fitScorer(List<Labelled> data) {
    List<double[]> rows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (Labelled c : data) {
      double[][] f = GapFeatures.compute(c.turns(), c.turnVectors(), c.pairVectors());
      boolean[] y = gapLabels(c);
      for (int g = 0; g < f.length; g++) {
        rows.add(f[g]);
        labels.add(y[g] ? 1 : 0);
      }
    }
    if (rows.isEmpty() || !labels.contains(1) || !labels.contains(0)) {
      throw new IllegalArgumentException("need gaps with and without reference boundaries, found " + rows.size() + " gaps");
    }
    int d = rows.getFirst().length;
    double[] means = new double[d];
    double[] scales = new double[d];
    for (double[] r : rows) {
      for (int j = 0; j < d; j++) {
        means[j] += r[j] / rows.size();
      }
    }
    for (double[] r : rows) {
      for (int j = 0; j < d; j++) {
        scales[j] += (r[j] - means[j]) * (r[j] - means[j]) / rows.size();
      }
    }
    for (int j = 0; j < d; j++) {
      scales[j] = Math.sqrt(scales[j]) + 1e-6;
    }
    List<FeatureVector> x = new ArrayList<>(rows.size());
    for (double[] r : rows) {
      float[] v = new float[d];
      for (int j = 0; j < d; j++) {
        v[j] = (float) ((r[j] - means[j]) / scales[j]);
      }
      x.add(FeatureVector.dense(v));
    }
    var fit = new SoftmaxRegressionTrainer(options.l2(), 1000, 1e-7)
        .fit(x, labels.stream().mapToInt(Integer::intValue).toArray(), 2, 0);
    // Two-class softmax = logistic regression on the difference of the class weights.
    double[] weights = new double[d];
    double[] probe = fit.model().logits(FeatureVector.dense(new float[d]));
    double bias = probe[1] - probe[0];
    for (int j = 0; j < d; j++) {
      float[] unit = new float[d];
      unit[j] = 1;
      double[] l = fit.model().logits(FeatureVector.dense(unit));
      weights[j] = (l[1] - l[0]) - bias;
    }
    return new GapScorer(means, scales, weights, bias);
  }

  /** The fitted gate and the per-dataset mean Pk it reaches on {@code data}. */
  public record GateFit(SegmentationGate gate, Map<String, Double> pkByDataset, double objective) {}

  public GateFit fitGate(GapScorer scorer, List<Labelled> data) {
    List<double[]> probabilities = new ArrayList<>();
    for (Labelled c : data) {
      probabilities.add(TopicSegmenter.gapProbabilities(c.turns(), c.turnVectors(), c.pairVectors(), scorer));
    }
    Optional<GateFit> best = Optional.empty();
    for (int m : options.minSegmentTurns()) {
      CmaesSearch.Result r = new CmaesSearch(options.restarts(), options.maxEvaluations(), options.seed())
          .minimize(x -> objective(new SegmentationGate(x[0], x[1], m), data, probabilities).objective(),
              new double[] {0.0, -1.5}, new double[] {1.0, 3.0}, new double[] {0.5, 0.0});
      GateFit fit = objective(new SegmentationGate(r.point()[0], r.point()[1], m), data, probabilities);
      if (best.isEmpty() || fit.objective() < best.get().objective()) {
        best = Optional.of(fit);
      }
    }
    return best.orElseThrow(); // minSegmentTurns is not empty
  }

  /** Mean Pk per dataset of a gate, and their average. */
  public static GateFit objective(SegmentationGate gate, List<Labelled> data, List<double[]> probabilities) {
    Map<String, double[]> sums = new LinkedHashMap<>();
    for (int i = 0; i < data.size(); i++) {
      Labelled c = data.get(i);
      if (!SegmentationMetrics.measurable(c.referenceMasses())) {
        continue;
      }
      Segmentation s = Segmentation.of("x", c.turns(), gate.boundaries(probabilities.get(i)), probabilities.get(i));
      double pk = SegmentationMetrics.score(c.referenceMasses(), s.masses()).pk();
      double[] acc = sums.computeIfAbsent(c.dataset(), k -> new double[2]);
      acc[0] += pk;
      acc[1]++;
    }
    Map<String, Double> byDataset = new TreeMap<>();
    double total = 0;
    for (Map.Entry<String, double[]> e : sums.entrySet()) {
      double mean = e.getValue()[0] / e.getValue()[1];
      byDataset.put(e.getKey(), mean);
      total += mean;
    }
    return new GateFit(gate, byDataset, sums.isEmpty() ? 0 : total / sums.size());
  }

  /** Gap labels: gap g is positive when a reference segment starts at a message of turn g + 1. */
  static boolean[] gapLabels(Labelled c) {
    Set<Integer> starts = new HashSet<>();
    int position = 0;
    for (int i = 0; i + 1 < c.referenceMasses().length; i++) {
      position += c.referenceMasses()[i];
      starts.add(position);
    }
    int gaps = Math.max(0, c.turns().size() - 1);
    boolean[] y = new boolean[gaps];
    for (int g = 1; g < c.turns().size(); g++) {
      Turn t = c.turns().get(g);
      for (int m = t.messageStart(); m < t.messageEnd(); m++) {
        if (starts.contains(m)) {
          y[g - 1] = true;
          break;
        }
      }
    }
    return y;
  }
}
