package dev.parley.insights.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.insights.privacy.PrivacyRule;
import java.util.List;
import org.junit.jupiter.api.Test;

final class CentroidAssignerTest {
  @Test
  void assign_runMembers_mostGoBackToTheirOwnLeaf() {
    TestRuns.Fixture fixture = TestRuns.fixture(PrivacyRule.NONE);
    ClusterRun run = fixture.run();
    CentroidAssigner assigner = new CentroidAssigner(run.centroids());
    int members = 0;
    int same = 0;
    int admitted = 0;
    for (int p = 0; p < run.assignments().size(); p++) {
      RunAssignment a = run.assignments().get(p);
      if (a.isNoise()) {
        continue;
      }
      members++;
      CentroidAssigner.Assignment got = assigner.assign(fixture.vectors()[p]);
      if (run.centroids().ids().get(got.leaf()).equals(a.leaf())) {
        same++;
      }
      if (got.admitted()) {
        admitted++;
      }
    }
    assertThat((double) same / members).isGreaterThan(0.95);
    // Thresholds admit about 95 % of each leaf's own members.
    assertThat((double) admitted / members).isGreaterThan(0.9);
  }

  @Test
  void assign_farPoint_isNoise() {
    RunCentroids centroids = new RunCentroids(List.of("c1"), 2, "m", new float[][] {{1, 0}}, new double[] {0.8});
    CentroidAssigner.Assignment a = new CentroidAssigner(centroids).assign(new float[] {0, 1});
    assertThat(a.admitted()).isFalse();
    assertThat(a.leaf()).isZero();
  }

  @Test
  void assign_wrongDimension_rejected() {
    RunCentroids centroids = new RunCentroids(List.of("c1"), 2, "m", new float[][] {{1, 0}}, new double[] {0.8});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CentroidAssigner(centroids).assign(new float[3]));
    assertThat(e).hasMessageContaining("2").hasMessageContaining("3");
  }
}
