package dev.parley.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.cli.Main;
import dev.parley.core.json.Json;
import org.junit.jupiter.api.Test;

/** {@code bench cluster} in-process on tiny synthetic inputs. */
final class BenchClusterCommandTest {
  @Test
  void benchCluster_smallSynthetic_printsStagesAndAri() throws Exception {
    // 40 clusters of ~2.4 % each: under the 5 % leaf budget, so no k-means sharding
    BenchRun r = BenchRun.of("bench", "cluster", "--points", "4000", "--dim", "16", "--clusters", "40", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode json = Json.mapper().readTree(r.out());
    assertThat(json.get(0).get("n").asInt()).isEqualTo(4000);
    assertThat(json.get(0).get("stageSeconds").has("birch")).isTrue();
    assertThat(json.get(0).get("ariClustered").asDouble()).as(r.out()).isGreaterThan(0.5);
  }

  @Test
  void benchCluster_hdbscanWithTribuo_reportsRatioAndAgreement() throws Exception {
    BenchRun r = BenchRun.of("bench", "cluster", "--tribuo", "--points", "1500", "--dim", "5", "--repeats", "1", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode row = Json.mapper().readTree(r.out()).get(0);
    assertThat(row.get("ariVsTribuo").asDouble()).isGreaterThan(0.99);
    assertThat(row.get("speedup").asDouble()).isPositive();
  }

  @Test
  void benchCluster_badPoints_exitsTwo() {
    BenchRun r = BenchRun.of("bench", "cluster", "--points", "5");
    assertThat(r.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(r.err()).contains("--points");
  }
}
