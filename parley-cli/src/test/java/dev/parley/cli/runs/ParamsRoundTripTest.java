package dev.parley.cli.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.cli.commands.CliRun;
import dev.parley.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./parley cluster --params}: a finished run's run.json, or the {@code parameters.clustering}
 * block cut out of it, passed back as {@code --params} gives the same run; a params file in any other
 * spelling is refused with one line naming the file and the key.
 */
final class ParamsRoundTripTest {
  @TempDir Path dir;

  @Test
  void cluster_paramsFromRunJson_sameAssignmentsAndParameters() throws Exception {
    Path in = TestCorpora.textItems(dir, 15);
    Path first = dir.resolve("first");
    Path again = dir.resolve("again");
    Path fromBlock = dir.resolve("from-block");

    CliRun run1 = TestCorpora.run("cluster", "--in", in.toString(), "--out", first.toString(), "--no-store");
    assertThat(run1.exit()).as(run1.err()).isZero();
    CliRun run2 = TestCorpora.run("cluster", "--in", in.toString(), "--out", again.toString(), "--no-store",
        "--params", first.resolve("run.json").toString());
    assertThat(run2.exit()).as(run2.err()).isZero();
    Path block = dir.resolve("params.json");
    Files.writeString(block, Json.write(runJson(first).at("/parameters/clustering")));
    CliRun run3 = TestCorpora.run("cluster", "--in", in.toString(), "--out", fromBlock.toString(), "--no-store",
        "--params", block.toString());
    assertThat(run3.exit()).as(run3.err()).isZero();

    String assignments = Files.readString(first.resolve("assignments.jsonl"));
    assertThat(assignments).isNotBlank();
    assertThat(Files.readString(again.resolve("assignments.jsonl"))).isEqualTo(assignments);
    assertThat(Files.readString(fromBlock.resolve("assignments.jsonl"))).isEqualTo(assignments);
    JsonNode parameters = runJson(first).path("parameters");
    assertThat(parameters.path("clustering").path("eject_fence").isNumber()).as("run.json parameters: %s", parameters).isTrue();
    assertThat(runJson(again).path("parameters")).isEqualTo(parameters);
    assertThat(runJson(fromBlock).path("parameters")).isEqualTo(parameters);
  }

  @Test
  void cluster_camelCaseParams_exit2OneLineNamingFileAndKey() throws Exception {
    Path in = TestCorpora.textItems(dir, 2);
    Path params = dir.resolve("params.json");
    Files.writeString(params, "{\"coresetFloor\": 20000}\n");

    CliRun run = TestCorpora.run("cluster", "--in", in.toString(), "--out", dir.resolve("run").toString(), "--no-store",
        "--params", params.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("parley: " + params + ": unknown key 'coresetFloor' at $ (keys are snake_case: 'coreset_floor')");
  }

  @Test
  void cluster_paramsOfAnotherEngine_exit2() throws Exception {
    Path in = TestCorpora.textItems(dir, 2);
    Path params = dir.resolve("run.json");
    Files.writeString(params, "{\"parameters\": {\"clustering\": {\"engine\": \"kmeans\", \"k\": 4}}}\n");

    CliRun run = TestCorpora.run("cluster", "--in", in.toString(), "--out", dir.resolve("run").toString(), "--no-store",
        "--params", params.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("parley: " + params + ": unsupported engine 'kmeans' at $.parameters.clustering.engine"
        + " (--params takes the parameters of 'hierarchical-birch-umap-hdbscan')");
  }

  private static JsonNode runJson(Path runDir) throws IOException {
    return Json.parse(Files.readString(runDir.resolve("run.json")));
  }
}
