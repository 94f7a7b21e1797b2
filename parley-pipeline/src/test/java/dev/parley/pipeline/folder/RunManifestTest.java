package dev.parley.pipeline.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RunManifestTest {
  private static RunManifest manifest() {
    ObjectNode parameters = Json.object();
    parameters.putObject("clustering").put("engine", "hierarchical-birch-umap-hdbscan").put("coreset_budget", 5000);
    Map<String, Long> timings = new LinkedHashMap<>();
    timings.put("embed", 12L);
    timings.put("cluster", 3L);
    ObjectNode sections = Json.object();
    sections.putObject("analyze").put("segmenter", "calibrated-gate");
    return new RunManifest(1, "analyze-1", "analyze", "acme", Instant.parse("2026-01-02T03:04:05Z"), Json.object().put("path", "in.jsonl"),
        "ab".repeat(32), 7, parameters, timings, Json.object().put("leaves", 4), sections, Json.object().put("parley", "dev"));
  }

  @Test
  void toJson_thenRead_roundTripsInOrder(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("run.json");
    Files.writeString(file, Json.write(manifest().toJson()));

    RunManifest read = RunManifest.read(file);

    assertThat(read).isEqualTo(manifest());
    assertThat(read.clusteringParameters().path("coreset_budget").asInt()).isEqualTo(5000);
    assertThat(Json.write(read.toJson())).isEqualTo(Json.write(manifest().toJson()));
    assertThat(read.toJson().fieldNames()).toIterable().containsExactly(
        "version", "id", "kind", "tenant", "created_at", "input", "input_hash", "seed", "parameters", "timings_ms", "summary", "analyze",
        "versions");
  }

  @Test
  void read_missingField_namesFileAndField(@TempDir Path dir) throws Exception {
    ObjectNode json = manifest().toJson();
    json.remove("input_hash");
    Path file = dir.resolve("run.json");
    Files.writeString(file, Json.write(json));

    assertThatThrownBy(() -> RunManifest.read(file)).isInstanceOf(BadInputException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("'input_hash'");
  }

  @Test
  void read_olderRunWithoutTenant_belongsToTheDefaultTenant(@TempDir Path dir) throws Exception {
    ObjectNode json = manifest().toJson();
    json.remove("tenant");
    Path file = dir.resolve("run.json");
    Files.writeString(file, Json.write(json));

    assertThat(RunManifest.read(file).tenant()).isEqualTo("default");
  }
}
