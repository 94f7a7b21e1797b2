package dev.parley.insights.label;

/**
 * Figures of one labelling pass.
 *
 * @param meanFpsCoverage mean over labelled nodes of the farthest-point sample's coverage
 * @param meanRandomCoverage the same for random samples of equal size (same nodes, same run)
 * @param meanFpsLowCoverage mean over labelled nodes of the farthest-point sample's 10th-percentile coverage
 * @param meanRandomLowCoverage the same for the random samples
 * @param fpsWins nodes whose farthest-point sample covered at least as well as the random one (mean coverage)
 * @param llmCalls provider calls made (map, reduce and retries)
 * @param llmRetries calls repeated because the first answer was invalid or failed
 * @param llmFallbacks nodes that fell back to the offline label
 * @param inputTokens provider input tokens
 * @param outputTokens provider output tokens
 */
public record LabelingStats(
    int nodes,
    double meanFpsCoverage,
    double meanRandomCoverage,
    double meanFpsLowCoverage,
    double meanRandomLowCoverage,
    int fpsWins,
    int llmCalls,
    int llmRetries,
    int llmFallbacks,
    long inputTokens,
    long outputTokens) {}
