package dev.parley.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.cli.Main;
import dev.parley.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval clustering}, in-process on tiny inputs ({@code bench cluster}'s tests moved to parley-bench). */
final class ClusterEvalBenchCommandsTest {
  @TempDir Path dir;

  private static CliRun run(String... args) {
    return CliRun.withWriters(args);
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
