package dev.parley.insights.triage;

import static java.util.Objects.requireNonNull;

import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.insights.calibration.ConfidenceThresholds;
import dev.parley.insights.calibration.FeatureVector;
import dev.parley.insights.calibration.SoftmaxRegressionModel;
import dev.parley.insights.calibration.SoftmaxRegressionTrainer;
import dev.parley.insights.calibration.StratifiedSplit;
import dev.parley.insights.calibration.TemperatureScaling;
import dev.parley.insights.text.TfIdfModel;
import dev.parley.insights.text.TfIdfTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds the offline {@link TypeClassifier}s.
 *
 * <p>Trained ({@link #fit}): a seeded stratified slice of the examples is held out; a logistic regression
 * is fitted on the rest for each regularisation strength of the grid and the most accurate on the held-out
 * slice is kept; the held-out logits then fit the temperature (NLL) and the confidence thresholds (tail
 * precision targets); finally the model is refitted on all examples with the chosen strength and keeps
 * that temperature and those thresholds. Zero-shot ({@link #zeroShot}): prototypes from the taxonomy's
 * descriptions and examples, calibrated leave-one-out on the examples.
 */
public final class TypeClassifierTrainer {
  /**
   * @param heldOutFraction share of each class held out for selection and calibration
   * @param l2Grid regularisation strengths tried
   * @param targetHigh held-out precision required of {@code high}
   * @param targetMedium held-out precision required of {@code medium} and above
   * @param sparseWeight scale of the (unit-norm) TF-IDF block relative to the embedding block, whose
   *     scale is {@code sqrt(dimension)} (unit variance per coordinate for a unit vector)
   */
  public record Options(
      double heldOutFraction, List<Double> l2Grid, double targetHigh, double targetMedium, double sparseWeight, int maxIterations, long seed) {
    public Options {
      l2Grid = List.copyOf(requireNonNull(l2Grid, "l2Grid is null"));
      if (l2Grid.isEmpty()) {
        throw new IllegalArgumentException("l2Grid is empty");
      }
      if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
        throw new IllegalArgumentException("heldOutFraction must be in (0, 1), was " + heldOutFraction);
      }
      if (!(targetMedium <= targetHigh && targetHigh <= 1)) {
        throw new IllegalArgumentException("targets must satisfy targetMedium <= targetHigh <= 1, were " + targetMedium + " and " + targetHigh);
      }
    }

    /** Defaults chosen on a held-out slice of BANKING77 train (see docs/quality.md). */
    public static Options defaults(long seed) {
      return new Options(0.2, List.of(1e-3, 3e-4), 0.98, 0.85, 12.0, 300, seed);
    }
  }

  private static final int MIN_PER_CLASS_FOR_HOLD_OUT = 5;
  private static final int MIN_TAIL_SUPPORT = 20;

  private final Options options;

  public TypeClassifierTrainer(Options options) {
    this.options = requireNonNull(options, "options is null");
  }

  /** Trains on labelled examples; label order is sorted label names. */
  public LogisticTypeClassifier fit(List<String> texts, float[][] embeddings, List<String> labels) {
    requireNonNull(texts, "texts is null");
    requireNonNull(embeddings, "embeddings is null");
    requireNonNull(labels, "labels is null");
    if (texts.size() != embeddings.length || texts.size() != labels.size()) {
      throw new IllegalArgumentException("texts, embeddings and labels differ in size: " + texts.size() + ", " + embeddings.length + ", " + labels.size());
    }
    List<String> names = labels.stream().distinct().sorted().toList();
    if (names.size() < 2) {
      throw new IllegalArgumentException("need at least 2 distinct labels, found " + names);
    }
    Map<String, Integer> index = new TreeMap<>();
    for (int i = 0; i < names.size(); i++) {
      index.put(names.get(i), i);
    }
    int[] y = labels.stream().mapToInt(index::get).toArray();
    int dimension = embeddings[0].length;
    float denseScale = (float) Math.sqrt(dimension);
    float sparseWeight = (float) options.sparseWeight();
    // TF-IDF statistics use no labels, so they are fitted once on every example text.
    TfIdfModel tfidf = new TfIdfTrainer(true, false, 2).fit(texts);
    List<FeatureVector> features = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      features.add(LogisticTypeClassifier.features(tfidf, embeddings[i], texts.get(i), denseScale, sparseWeight));
    }
    StratifiedSplit split = StratifiedSplit.of(y, options.heldOutFraction(), MIN_PER_CLASS_FOR_HOLD_OUT, options.seed());
    double chosenL2 = options.l2Grid().getFirst();
    double temperature = 1.0;
    ConfidenceThresholds thresholds = ConfidenceThresholds.DEFAULTS;
    double heldOutAccuracy = Double.NaN;
    SoftmaxRegressionModel bestModel = null;
    if (split.heldOut().length > 0 && distinct(y, split.train()) == names.size()) {
      List<FeatureVector> trainX = select(features, split.train());
      int[] trainY = select(y, split.train());
      double[][] bestLogits = null;
      double bestAccuracy = -1;
      SoftmaxRegressionModel previous = null;
      for (double l2 : options.l2Grid()) {
        // Each strength starts from the previous solution (a regularisation path): far fewer iterations.
        var fit = trainer(l2).fit(trainX, trainY, names.size(), tfidf.dimension(), Optional.ofNullable(previous));
        previous = fit.model();
        double[][] logits = new double[split.heldOut().length][];
        int correct = 0;
        for (int k = 0; k < logits.length; k++) {
          int i = split.heldOut()[k];
          logits[k] = fit.model().logits(features.get(i));
          if (argmax(logits[k]) == y[i]) {
            correct++;
          }
        }
        double accuracy = (double) correct / logits.length;
        if (accuracy > bestAccuracy) {
          bestAccuracy = accuracy;
          bestLogits = logits;
          bestModel = fit.model();
          chosenL2 = l2;
        }
      }
      requireNonNull(bestLogits, "bestLogits is null"); // set by the first strength: accuracy >= 0 > -1
      int[] heldY = select(y, split.heldOut());
      temperature = TemperatureScaling.fit(bestLogits, heldY);
      double[] scores = new double[heldY.length];
      boolean[] correct = new boolean[heldY.length];
      for (int k = 0; k < heldY.length; k++) {
        double[] p = TemperatureScaling.probabilities(bestLogits[k], temperature);
        int best = argmax(p);
        scores[k] = p[best];
        correct[k] = best == heldY[k];
      }
      thresholds = ConfidenceThresholds.fit(scores, correct, options.targetHigh(), options.targetMedium(), Math.min(MIN_TAIL_SUPPORT, heldY.length));
      heldOutAccuracy = bestAccuracy;
    }
    var full = trainer(chosenL2).fit(features, y, names.size(), tfidf.dimension(), Optional.ofNullable(bestModel));
    var report = new LogisticTypeClassifier.TrainingReport(texts.size(), split.heldOut().length, heldOutAccuracy, chosenL2, full.iterations());
    return new LogisticTypeClassifier(names, tfidf, full.model(), denseScale, sparseWeight, temperature, thresholds, report);
  }

  /**
   * Zero-shot classifier from a taxonomy. Each prototype is the normalised mean of the description's and
   * the examples' embeddings.
   */
  public PrototypeTypeClassifier zeroShot(Taxonomy taxonomy, EmbeddingModel embeddings) {
    requireNonNull(taxonomy, "taxonomy is null");
    requireNonNull(embeddings, "embeddings is null");
    List<String> texts = new ArrayList<>();
    List<Integer> owner = new ArrayList<>();
    List<Boolean> isExample = new ArrayList<>();
    for (int c = 0; c < taxonomy.types().size(); c++) {
      ConversationType type = taxonomy.types().get(c);
      texts.add(type.description());
      owner.add(c);
      isExample.add(false);
      for (String example : type.examples()) {
        texts.add(example);
        owner.add(c);
        isExample.add(true);
      }
    }
    float[][] vectors = embeddings.embed(texts);
    int classes = taxonomy.types().size();
    int d = vectors[0].length;
    double[][] sums = new double[classes][d];
    for (int i = 0; i < vectors.length; i++) {
      add(sums[owner.get(i)], vectors[i], 1);
    }
    float[][] prototypes = new float[classes][];
    for (int c = 0; c < classes; c++) {
      prototypes[c] = normalised(sums[c]);
    }
    // Leave-one-out over example phrases: each is scored against its own type's prototype without it.
    List<double[]> looSimilarities = new ArrayList<>();
    List<Integer> looLabels = new ArrayList<>();
    for (int i = 0; i < vectors.length; i++) {
      if (!isExample.get(i)) {
        continue;
      }
      int c = owner.get(i);
      double[] without = sums[c].clone();
      add(without, vectors[i], -1);
      double[] s = new double[classes];
      for (int k = 0; k < classes; k++) {
        float[] p = k == c ? normalised(without) : prototypes[k];
        s[k] = dot(p, vectors[i]);
      }
      looSimilarities.add(s);
      looLabels.add(c);
    }
    double temperature = 0.05;
    ConfidenceThresholds thresholds = ConfidenceThresholds.DEFAULTS;
    if (looLabels.size() >= 10) {
      double[][] logits = looSimilarities.toArray(double[][]::new);
      int[] labels = looLabels.stream().mapToInt(Integer::intValue).toArray();
      temperature = TemperatureScaling.fit(logits, labels);
      double[] scores = new double[labels.length];
      boolean[] correct = new boolean[labels.length];
      for (int k = 0; k < labels.length; k++) {
        double[] p = TemperatureScaling.probabilities(logits[k], temperature);
        int best = argmax(p);
        scores[k] = p[best];
        correct[k] = best == labels[k];
      }
      thresholds = ConfidenceThresholds.fit(scores, correct, options.targetHigh(), options.targetMedium(), 5);
    }
    return new PrototypeTypeClassifier(taxonomy.typeIds(), prototypes, temperature, thresholds);
  }

  private SoftmaxRegressionTrainer trainer(double l2) {
    return new SoftmaxRegressionTrainer(l2, options.maxIterations(), 1e-4);
  }

  static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  private static int distinct(int[] y, int[] indexes) {
    return (int) java.util.Arrays.stream(indexes).map(i -> y[i]).distinct().count();
  }

  private static List<FeatureVector> select(List<FeatureVector> all, int[] indexes) {
    List<FeatureVector> out = new ArrayList<>(indexes.length);
    for (int i : indexes) {
      out.add(all.get(i));
    }
    return out;
  }

  private static int[] select(int[] all, int[] indexes) {
    int[] out = new int[indexes.length];
    for (int k = 0; k < indexes.length; k++) {
      out[k] = all[indexes[k]];
    }
    return out;
  }

  private static void add(double[] sum, float[] v, double sign) {
    for (int j = 0; j < sum.length; j++) {
      sum[j] += sign * v[j];
    }
  }

  private static float[] normalised(double[] v) {
    double norm = 0;
    for (double x : v) {
      norm += x * x;
    }
    float[] out = new float[v.length];
    double inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (int j = 0; j < v.length; j++) {
      out[j] = (float) (v[j] * inv);
    }
    return out;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += (double) a[j] * b[j];
    }
    return s;
  }
}
