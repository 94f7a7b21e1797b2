package dev.parley.insights.triage;

import dev.parley.insights.calibration.ConfidenceThresholds;
import java.util.List;

/**
 * The offline type classifier: calibrated probabilities over a fixed label set from a text and its
 * embedding. Either trained on labelled examples or built zero-shot from the taxonomy.
 */
public sealed interface TypeClassifier permits LogisticTypeClassifier, PrototypeTypeClassifier {
  List<String> labels();

  /** Calibrated class probabilities, in {@link #labels()} order. */
  double[] probabilities(float[] embedding, String text);

  ConfidenceThresholds thresholds();

  /** Short name of the method, recorded in outputs. */
  String method();

  default Prediction predict(float[] embedding, String text) {
    return fromProbabilities(probabilities(embedding, text));
  }

  /** The prediction for given probabilities (used when probabilities are mixed, as in stage 2). */
  default Prediction fromProbabilities(double[] p) {
    int best = 0;
    for (int c = 1; c < p.length; c++) {
      if (p[c] > p[best]) {
        best = c;
      }
    }
    Confidence confidence = switch (thresholds().level(p[best])) {
      case HIGH -> Confidence.HIGH;
      case MEDIUM -> Confidence.MEDIUM;
      case LOW -> Confidence.LOW;
    };
    return new Prediction(labels().get(best), p[best], confidence, p);
  }
}
