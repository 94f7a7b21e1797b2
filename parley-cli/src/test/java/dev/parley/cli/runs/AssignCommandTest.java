package dev.parley.cli.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.cli.commands.CliRun;
import dev.parley.core.json.Json;
import dev.parley.pipeline.folder.RunFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./parley assign} against a run made by {@code ./parley cluster} on the same items. */
final class AssignCommandTest {
  @TempDir Path dir;

  @Test
  void assign_sameItems_landOnTheirRunLeaves() throws Exception {
    Path in = TestCorpora.textItems(dir, 20);
    Path run = dir.resolve("run");
    assertThat(TestCorpora.run("cluster", "--in", in.toString(), "--out", run.toString(), "--no-store").exit()).isZero();
    Path out = dir.resolve("assigned.jsonl");

    CliRun result = TestCorpora.run("assign", "--run", run.toString(), "--in", in.toString(), "--out", out.toString(), "--json", "--no-store");

    assertThat(result.exit()).as(result.err()).isZero();
    List<JsonNode> original = Files.readAllLines(run.resolve(RunFolder.ASSIGNMENTS)).stream().map(Json::parse).toList();
    List<JsonNode> assigned = Files.readAllLines(out).stream().map(Json::parse).toList();
    assertThat(assigned).hasSameSizeAs(original);
    int clustered = 0;
    int same = 0;
    for (int i = 0; i < original.size(); i++) {
      assertThat(assigned.get(i).path("id").asText()).isEqualTo(original.get(i).path("id").asText());
      String leaf = assigned.get(i).path("leaf").asText();
      if (!leaf.equals("noise")) {
        JsonNode path = assigned.get(i).path("path");
        assertThat(path.get(path.size() - 1).asText()).isEqualTo(leaf);
      }
      if (!original.get(i).path("leaf").asText().equals("noise")) {
        clustered++;
        if (original.get(i).path("leaf").asText().equals(leaf)) {
          same++;
        }
      }
    }
    assertThat((double) same / clustered).isGreaterThan(0.8);
  }

  @Test
  void assign_notARunFolder_exit2() throws Exception {
    Path in = TestCorpora.textItems(dir, 2);

    CliRun result = TestCorpora.run("assign", "--run", dir.toString(), "--in", in.toString(), "--out", dir.resolve("o.jsonl").toString(), "--no-store");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("not a run folder");
  }
}
