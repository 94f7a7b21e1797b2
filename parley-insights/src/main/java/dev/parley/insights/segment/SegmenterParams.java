package dev.parley.insights.segment;

/**
 * Parameters of {@link EmbeddingSegmenter}, fitted offline (see {@code SegmenterCalibrator}) and shipped
 * in a versioned calibration file.
 *
 * @param window turns on each side of a gap in the block comparison (TextTiling's block size)
 * @param pairWeight weight of the turn-pair similarity against the block similarity, in [0, 1]
 * @param lowWeight weight of how low the gap's similarity lies under the conversation's mean, against its
 *     depth (drop from the neighbouring peaks)
 * @param userBonus added to the score of a gap opening a user turn (users start new topics)
 * @param gateK the adaptive gate: a gap is a candidate when its score exceeds the conversation's mean
 *     score plus {@code gateK} standard deviations
 * @param minScore absolute floor under the adaptive gate, so a flat conversation gets no boundary
 * @param minSegmentTurns minimum number of turns per segment
 */
public record SegmenterParams(
    int window, double pairWeight, double lowWeight, double userBonus, double gateK, double minScore, int minSegmentTurns) {

  public SegmenterParams {
    if (window < 1) {
      throw new IllegalArgumentException("window must be >= 1, was " + window);
    }
    if (!(pairWeight >= 0 && pairWeight <= 1)) {
      throw new IllegalArgumentException("pairWeight must be in [0, 1], was " + pairWeight);
    }
    if (!(lowWeight >= 0 && lowWeight <= 1)) {
      throw new IllegalArgumentException("lowWeight must be in [0, 1], was " + lowWeight);
    }
    if (!Double.isFinite(userBonus) || !Double.isFinite(gateK) || !Double.isFinite(minScore)) {
      throw new IllegalArgumentException("userBonus, gateK and minScore must be finite, were " + userBonus + ", " + gateK + ", " + minScore);
    }
    if (minSegmentTurns < 1) {
      throw new IllegalArgumentException("minSegmentTurns must be >= 1, was " + minSegmentTurns);
    }
  }
}
