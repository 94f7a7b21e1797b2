package dev.parley.insights.triage;

import static java.util.Objects.requireNonNull;

/**
 * A type prediction.
 *
 * @param type the most probable type id
 * @param probability its calibrated probability
 * @param confidence the calibrated level of {@code probability}
 * @param probabilities calibrated probabilities of every type, in the classifier's label order
 */
public record Prediction(String type, double probability, Confidence confidence, double[] probabilities) {
  public Prediction {
    requireNonNull(type, "type is null");
    requireNonNull(confidence, "confidence is null");
    requireNonNull(probabilities, "probabilities is null");
  }
}
