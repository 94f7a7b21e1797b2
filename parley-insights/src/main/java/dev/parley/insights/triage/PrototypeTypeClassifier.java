package dev.parley.insights.triage;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.calibration.ConfidenceThresholds;
import dev.parley.insights.calibration.Kernels;
import dev.parley.insights.calibration.TemperatureScaling;
import java.util.List;

/**
 * Zero-shot type classifier: each type is the normalised mean embedding of its description and example
 * phrases (a nearest-centroid / prototype classifier, as in Snell, Swersky and Zemel, "Prototypical
 * Networks for Few-shot Learning", NeurIPS 2017, here over a frozen sentence encoder). Probabilities are
 * {@code softmax(cos / temperature)}; temperature and confidence thresholds are fitted leave-one-out on
 * the taxonomy's own example phrases. Built by {@link TypeClassifierTrainer}.
 */
public record PrototypeTypeClassifier(
    List<String> labels, float[][] prototypes, double temperature, ConfidenceThresholds thresholds) implements TypeClassifier {

  public PrototypeTypeClassifier {
    labels = List.copyOf(requireNonNull(labels, "labels is null"));
    requireNonNull(prototypes, "prototypes is null");
    requireNonNull(thresholds, "thresholds is null");
    if (prototypes.length != labels.size()) {
      throw new IllegalArgumentException("prototypes and labels differ in size: " + prototypes.length + " vs " + labels.size());
    }
  }

  @Override
  public double[] probabilities(float[] embedding, String text) {
    return TemperatureScaling.probabilities(similarities(embedding), temperature);
  }

  public double[] similarities(float[] embedding) {
    double[] s = new double[prototypes.length];
    for (int c = 0; c < s.length; c++) {
      s[c] = Kernels.dot(prototypes[c], embedding);
    }
    return s;
  }

  @Override
  public String method() {
    return "zero-shot-prototypes";
  }
}
