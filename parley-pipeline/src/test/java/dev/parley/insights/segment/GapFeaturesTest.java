package dev.parley.insights.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.llm.embed.LocalEmbeddingModels;
import java.util.List;
import org.junit.jupiter.api.Test;

final class GapFeaturesTest {
  @Test
  void compute_oneRowPerGapWithEveryNamedColumn() {
    List<Turn> turns = Turns.of(SegmentTestData.twoTopics());
    float[][] vectors = LocalEmbeddingModels.bgeSmall().embed(TopicSegmenter.unitTexts(turns));
    int t = turns.size();
    double[][] rows = GapFeatures.compute(turns, java.util.Arrays.copyOfRange(vectors, 0, t), java.util.Arrays.copyOfRange(vectors, t, 2 * t - 1));
    assertThat(rows).hasNumberOfRows(t - 1);
    assertThat(rows[0]).hasSize(GapFeatures.names().size());
    for (double[] row : rows) {
      for (double v : row) {
        assertThat(v).isFinite();
      }
    }
  }

  @Test
  void depth_valleyBetweenPeaks() {
    double[] depth = GapFeatures.depth(new double[] {0.9, 0.5, 0.8});
    assertThat(depth[0]).isZero();
    assertThat(depth[1]).isCloseTo(0.7, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(depth[2]).isZero();
  }
}
