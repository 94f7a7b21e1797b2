package dev.parley.insights.label;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.insights.pipeline.TestRuns;
import dev.parley.insights.privacy.PrivacyRule;
import org.junit.jupiter.api.Test;

final class HierarchyLabelerTest {
  @Test
  void label_offline_leavesNamedByTheirTopicKeywords() {
    TestRuns.Fixture fixture = TestRuns.fixture(PrivacyRule.NONE);
    Labeling labeling = fixture.labeling();

    for (var node : fixture.privacy().tree().leaves()) {
      NodeLabel label = labeling.labels().get(node.index());
      int topic = fixture.privacy().origin().get(node.index()) - 1 - (node.parent() == 0 ? 0 : node.parent() == 4 ? 1 : 2);
      assertThat(label.source()).isEqualTo(LabelSource.OFFLINE);
      assertThat(label.keywords()).isNotEmpty();
      assertThat(label.examples()).isNotEmpty().hasSizeLessThanOrEqualTo(5);
      assertThat(label.description()).isNotBlank();
      assertThat(topic).isBetween(0, TestRuns.TOPICS.length - 1);
      assertThat(String.join(" ", label.keywords())).contains(TestRuns.TOPICS[topic][0]);
    }
  }

  @Test
  void label_parents_describedFromTheirChildren() {
    TestRuns.Fixture fixture = TestRuns.fixture(PrivacyRule.NONE);

    for (var node : fixture.privacy().tree().nodes()) {
      if (!node.isLeaf()) {
        NodeLabel label = fixture.labeling().labels().get(node.index());
        assertThat(label.description()).startsWith(node.children().size() + (node.children().size() == 1 ? " subcluster: " : " subclusters: "));
        String firstChild = fixture.labeling().labels().get(node.children().get(0)).label();
        assertThat(label.description()).contains(firstChild);
      }
    }
  }

  @Test
  void label_statsCompareFpsWithRandom() {
    LabelingStats stats = TestRuns.fixture(PrivacyRule.NONE).labeling().stats();

    assertThat(stats.nodes()).isGreaterThan(0);
    assertThat(stats.meanFpsCoverage()).isBetween(-1.0, 1.0);
    assertThat(stats.meanRandomCoverage()).isBetween(-1.0, 1.0);
    assertThat(stats.llmCalls()).isZero();
  }
}
