package dev.parley.insights.segment;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A fitted segmentation calibration: the learned gap scorer, the adaptive gate, and how they were fitted.
 * Persisted as versioned JSON by {@link SegmentationModelJson}.
 *
 * @param embeddingModel id of the embedding model the scorer was fitted with
 */
public record SegmentationModel(
    int version, String featureSet, String embeddingModel, List<String> featureNames, GapScorer scorer, SegmentationGate gate, Provenance provenance) {
  public static final int CURRENT_VERSION = 1;

  public SegmentationModel {
    requireNonNull(featureSet, "featureSet is null");
    requireNonNull(embeddingModel, "embeddingModel is null");
    featureNames = List.copyOf(requireNonNull(featureNames, "featureNames is null"));
    requireNonNull(scorer, "scorer is null");
    requireNonNull(gate, "gate is null");
    requireNonNull(provenance, "provenance is null");
    if (featureNames.size() != scorer.weights().length) {
      throw new IllegalArgumentException("expected " + featureNames.size() + " weights, found " + scorer.weights().length);
    }
  }

  /**
   * Where the parameters came from.
   *
   * @param scorerData datasets and splits the gap scorer was trained on
   * @param gateData datasets and splits the gate was fitted on
   * @param metric what the gate minimised
   * @param fitScores the objective's value per gate dataset at the chosen point
   * @param command the command that reproduces the fit
   */
  public record Provenance(
      List<String> scorerData, List<String> gateData, long seed, String fittedAt, String metric, Map<String, Double> fitScores, String command) {
    public Provenance {
      scorerData = List.copyOf(requireNonNull(scorerData, "scorerData is null"));
      gateData = List.copyOf(requireNonNull(gateData, "gateData is null"));
      requireNonNull(fittedAt, "fittedAt is null");
      requireNonNull(metric, "metric is null");
      fitScores = Map.copyOf(requireNonNull(fitScores, "fitScores is null"));
      requireNonNull(command, "command is null");
    }
  }
}
