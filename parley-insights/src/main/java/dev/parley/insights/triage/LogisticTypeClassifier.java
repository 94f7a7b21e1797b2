package dev.parley.insights.triage;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.calibration.ConfidenceThresholds;
import dev.parley.insights.calibration.FeatureVector;
import dev.parley.insights.calibration.SoftmaxRegressionModel;
import dev.parley.insights.calibration.TemperatureScaling;
import dev.parley.insights.text.SparseVector;
import dev.parley.insights.text.TfIdfModel;
import java.util.List;

/**
 * A type classifier trained on labelled examples: multinomial logistic regression over the scaled
 * sentence embedding concatenated with TF-IDF word uni- and bigrams, temperature-scaled, with confidence
 * thresholds fitted on held-out examples. Built by {@link TypeClassifierTrainer}.
 *
 * @param report how it was fitted (held-out accuracy, chosen regularisation, temperature)
 */
public record LogisticTypeClassifier(
    List<String> labels,
    TfIdfModel tfidf,
    SoftmaxRegressionModel model,
    float denseScale,
    float sparseWeight,
    double temperature,
    ConfidenceThresholds thresholds,
    TrainingReport report) implements TypeClassifier {

  public LogisticTypeClassifier {
    labels = List.copyOf(requireNonNull(labels, "labels is null"));
    requireNonNull(tfidf, "tfidf is null");
    requireNonNull(model, "model is null");
    requireNonNull(thresholds, "thresholds is null");
    requireNonNull(report, "report is null");
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be > 0, was " + temperature);
    }
  }

  /**
   * What the trainer measured.
   *
   * @param examples number of training examples
   * @param heldOut held-out examples used for model selection and calibration
   * @param heldOutAccuracy accuracy of the selected model on them
   * @param l2 selected regularisation strength
   */
  public record TrainingReport(int examples, int heldOut, double heldOutAccuracy, double l2, int iterations) {}

  @Override
  public double[] probabilities(float[] embedding, String text) {
    return TemperatureScaling.probabilities(logits(embedding, text), temperature);
  }

  /** Uncalibrated logits. */
  public double[] logits(float[] embedding, String text) {
    return model.logits(features(tfidf, embedding, text, denseScale, sparseWeight));
  }

  @Override
  public String method() {
    return "logistic-regression";
  }

  static FeatureVector features(TfIdfModel tfidf, float[] embedding, String text, float denseScale, float sparseWeight) {
    float[] dense = new float[embedding.length];
    for (int i = 0; i < dense.length; i++) {
      dense[i] = embedding[i] * denseScale;
    }
    SparseVector s = tfidf.transform(text);
    float[] values = s.values().clone();
    for (int i = 0; i < values.length; i++) {
      values[i] *= sparseWeight;
    }
    return new FeatureVector(dense, new SparseVector(s.indexes(), values));
  }
}
