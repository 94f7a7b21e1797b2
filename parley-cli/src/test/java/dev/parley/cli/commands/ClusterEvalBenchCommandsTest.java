package dev.parley.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.cli.Main;
import dev.parley.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench cluster} and {@code eval clustering}, in-process on tiny inputs. */
final class ClusterEvalBenchCommandsTest {
  @TempDir Path dir;

  private static CliRun run(String... args) {
    return CliRun.withWriters(args);
  }

  @Test
  void benchCluster_smallSynthetic_printsStagesAndAri() throws Exception {
    // 40 clusters of ~2.4 % each: under the 5 % leaf budget, so no k-means sharding
    CliRun r = run("bench", "cluster", "--points", "4000", "--dim", "16", "--clusters", "40", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode json = Json.mapper().readTree(r.out());
    assertThat(json.get(0).get("n").asInt()).isEqualTo(4000);
    assertThat(json.get(0).get("stageSeconds").has("birch")).isTrue();
    assertThat(json.get(0).get("ariClustered").asDouble()).as(r.out()).isGreaterThan(0.5);
  }

  @Test
  void benchCluster_hdbscanWithTribuo_reportsRatioAndAgreement() throws Exception {
    CliRun r = run("bench", "cluster", "--tribuo", "--points", "1500", "--dim", "5", "--repeats", "1", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode row = Json.mapper().readTree(r.out()).get(0);
    assertThat(row.get("ariVsTribuo").asDouble()).isGreaterThan(0.99);
    assertThat(row.get("speedup").asDouble()).isPositive();
  }

  @Test
  void benchCluster_badPoints_exitsTwo() {
    CliRun r = run("bench", "cluster", "--points", "5");
    assertThat(r.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(r.err()).contains("--points");
  }

  @Test
  void evalClustering_labelledFile_scoresLeavesAndKmeans() throws Exception {
    StringBuilder jsonl = new StringBuilder();
    String[][] topics = {
        {"card", "my card has not arrived yet", "where is my new card", "card still not delivered", "when will my card come"},
        {"refund", "I want my money back", "please refund my purchase", "how do I get a refund", "refund for a wrong charge"},
        {"pin", "I forgot my PIN", "how do I change my PIN code", "reset my pin please", "my pin is blocked"}};
    int id = 0;
    for (int rep = 0; rep < 4; rep++) {
      for (String[] t : topics) {
        for (int i = 1; i < t.length; i++) {
          jsonl.append("{\"id\":\"").append(id++).append("\",\"text\":\"").append(t[i]).append(rep > 0 ? " " + rep : "")
              .append("\",\"label\":\"").append(t[0]).append("\"}\n");
        }
      }
    }
    Path file = dir.resolve("items.jsonl");
    Files.writeString(file, jsonl);
    CliRun r = run("eval", "clustering", "--dataset", file.toString(), "--no-store", "--json", "--home", dir.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode json = Json.mapper().readTree(r.out());
    assertThat(json.get("texts").asInt()).isEqualTo(48);
    assertThat(json.get("labels").asInt()).isEqualTo(3);
    assertThat(json.get("kmeans").get("nmi").asDouble()).isBetween(0.0, 1.0);
    assertThat(json.get("leaf_with_noise").get("points").asInt()).isEqualTo(48);
  }

  @Test
  void evalClustering_unknownDataset_exitsTwo() {
    CliRun r = run("eval", "clustering", "--dataset", "no-such-set", "--no-store");
    assertThat(r.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(r.err()).contains("--dataset");
  }
}
