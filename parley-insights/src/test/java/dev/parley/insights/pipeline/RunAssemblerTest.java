package dev.parley.insights.pipeline;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.insights.privacy.PrivacyRule;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class RunAssemblerTest {
  private final TestRuns.Fixture fixture = TestRuns.fixture(PrivacyRule.DEFAULT);
  private final ClusterRun run = fixture.run();

  /** The value of a key the run must have (fails the test with the key otherwise). */
  private static <V> V present(Map<String, V> map, String key) {
    return requireNonNull(map.get(key), () -> "no entry for " + key);
  }

  @Test
  void assemble_everyInputAssignedOnceInInputOrder() {
    assertThat(run.assignments()).extracting(RunAssignment::id).containsExactlyElementsOf(fixture.ids());
    assertThat(run.noiseCount()).isEqualTo(12);
  }

  @Test
  void assemble_pathsRunFromTopToLeafThroughParents() {
    Map<String, RunCluster> byId = new HashMap<>();
    run.clusters().forEach(c -> byId.put(c.id(), c));
    for (RunAssignment a : run.assignments()) {
      if (a.isNoise()) {
        assertThat(a.path()).isEmpty();
        continue;
      }
      List<String> path = a.path();
      assertThat(path.get(path.size() - 1)).isEqualTo(a.leaf());
      assertThat(present(byId, a.leaf()).isLeaf()).isTrue();
      assertThat(present(byId, path.get(0)).parent()).isEmpty();
      for (int i = 1; i < path.size(); i++) {
        assertThat(present(byId, path.get(i)).parent()).contains(path.get(i - 1));
      }
    }
  }

  @Test
  void assemble_treeConsistent_sizesAddUpAndIdsUnique() {
    Map<String, RunCluster> byId = new HashMap<>();
    run.clusters().forEach(c -> byId.put(c.id(), c));
    assertThat(byId).hasSameSizeAs(run.clusters());
    Set<String> seen = new HashSet<>();
    for (RunCluster c : run.clusters()) {
      c.parent().ifPresent(p -> assertThat(seen).as("parent before child").contains(p));
      seen.add(c.id());
      if (!c.isLeaf()) {
        assertThat(c.children().stream().mapToInt(id -> present(byId, id).size()).sum()).isEqualTo(c.size());
        assertThat(c.children()).allSatisfy(id -> assertThat(present(byId, id).parent()).contains(c.id()));
      }
      long assigned = run.assignments().stream().filter(a -> a.path().contains(c.id())).count();
      assertThat(assigned).isEqualTo(c.size());
    }
  }

  @Test
  void assemble_centroidsOnePerLeafAndUnitLength() {
    assertThat(run.centroids().ids()).hasSize((int) run.leafCount());
    for (float[] v : run.centroids().vectors()) {
      assertThat(TestTrees.dot(v, v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  @Test
  void assemble_redactedClustersCarryNoExamplesOrKeywords() {
    assertThat(run.clusters()).anySatisfy(c -> assertThat(c.redacted()).isTrue());
    for (RunCluster c : run.clusters()) {
      if (c.redacted()) {
        assertThat(c.examples()).isEmpty();
        assertThat(c.keywords()).isEmpty();
        assertThat(c.labelSource()).isEqualTo("redacted");
      } else {
        assertThat(c.users()).isGreaterThanOrEqualTo(5);
        assertThat(c.conversations()).isGreaterThanOrEqualTo(10);
        assertThat(c.examples()).isNotEmpty();
      }
    }
  }

  @Test
  void assemble_sameInput_sameRun() {
    ClusterRun again = TestRuns.fixture(PrivacyRule.DEFAULT).run();
    assertThat(again.clusters()).isEqualTo(run.clusters());
    assertThat(again.assignments()).isEqualTo(run.assignments());
  }

  @Test
  void trends_countsPerClusterAddUpToDatedMembers() {
    Trends.TrendSeries series = Trends.compute(run.assignments(), fixture.times(), 30).orElseThrow();
    assertThat(series.unit()).isEqualTo("day");
    long dated = fixture.times().stream().filter(java.util.Optional::isPresent).count();
    assertThat(series.undated()).isEqualTo(fixture.times().size() - dated);
    long total = 0;
    for (RunCluster c : run.clusters()) {
      if (c.parent().isEmpty()) {
        total += java.util.Arrays.stream(present(series.byCluster(), c.id()).counts()).sum();
      }
    }
    total += java.util.Arrays.stream(present(series.byCluster(), RunAssignment.NOISE).counts()).sum();
    assertThat(total).isEqualTo(dated);
  }

  @Test
  void trends_noTimestamps_empty() {
    List<java.util.Optional<java.time.Instant>> none = run.assignments().stream().map(a -> java.util.Optional.<java.time.Instant>empty()).toList();
    assertThat(Trends.compute(run.assignments(), none, 30)).isEmpty();
  }
}
