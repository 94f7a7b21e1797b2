package dev.parley.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.insights.hierarchy.HierarchyParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class HierarchyParamsFileTest {
  @TempDir Path dir;

  @Test
  void toJson_thenRead_sameParameters() throws Exception {
    HierarchyParams params = HierarchyParams.defaults().withEjectFence(2.5).withAttachQuantile(0.1);
    Path file = write("params.json", HierarchyParamsFile.toJson(params));

    assertThat(HierarchyParamsFile.toJson(params).path("engine").asText()).isEqualTo("hierarchical-birch-umap-hdbscan");
    assertThat(HierarchyParamsFile.toJson(params).has("eject_fence")).isTrue();
    assertThat(HierarchyParamsFile.read(file)).isEqualTo(params);
  }

  @Test
  void read_wholeRunJson_takesParametersClustering() throws Exception {
    HierarchyParams params = HierarchyParams.defaults().withBudgetFloor(77);
    ObjectNode run = Json.object();
    run.put("run_id", "r1");
    run.putObject("parameters").put("seed", 42).set("clustering", HierarchyParamsFile.toJson(params));
    run.putObject("timings").put("cluster", 1.0);

    assertThat(HierarchyParamsFile.read(write("run.json", run))).isEqualTo(params);
  }

  @Test
  void read_withoutFile_defaults() {
    assertThat(HierarchyParamsFile.readOrDefaults(Optional.empty())).isEqualTo(HierarchyParams.defaults());
  }

  @Test
  void read_typo_unknownKeyWithPath() throws Exception {
    ObjectNode json = HierarchyParamsFile.toJson(HierarchyParams.defaults());
    ((ObjectNode) json.at("/levels/1")).put("min_clustr_size", 3);
    Path file = write("params.json", json);

    assertThat(failure(file)).startsWith(file + ": unknown key 'min_clustr_size' at $.levels[1] (known: budget_share, min_cluster_floor, ");
  }

  @Test
  void read_missingEjectFence_isRefused() throws Exception {
    ObjectNode json = HierarchyParamsFile.toJson(HierarchyParams.defaults());
    json.remove("eject_fence");
    Path file = write("params.json", json);

    assertThat(failure(file)).isEqualTo(file + ": missing required key 'eject_fence' at $");
  }

  @Test
  void read_oldCamelCaseFile_pointsToSnakeCase() throws Exception {
    Path file = dir.resolve("params.json");
    Files.writeString(file, Json.write(Json.mapper().valueToTree(HierarchyParams.defaults())));

    assertThat(failure(file)).isEqualTo(file + ": unknown key 'coresetFloor' at $ (keys are snake_case: 'coreset_floor')");
  }

  @Test
  void read_otherEngine_isRefused() throws Exception {
    ObjectNode run = Json.object();
    run.putObject("parameters").putObject("clustering").put("engine", "kmeans").put("k", 5);
    Path file = write("run.json", run);

    assertThat(failure(file)).isEqualTo(file + ": unsupported engine 'kmeans' at $.parameters.clustering.engine"
        + " (--params takes the parameters of 'hierarchical-birch-umap-hdbscan')");
  }

  @Test
  void read_runJsonWithoutClustering_isRefused() throws Exception {
    ObjectNode run = Json.object();
    run.putObject("parameters").put("seed", 1);
    Path file = write("run.json", run);

    assertThat(failure(file)).isEqualTo(file + ": missing required key 'clustering' at $.parameters");
  }

  @Test
  void read_outOfRangeValue_namesTheKey() throws Exception {
    ObjectNode json = HierarchyParamsFile.toJson(HierarchyParams.defaults());
    ((ObjectNode) json.at("/levels/0")).put("umap_components", 40);
    Path file = write("params.json", json);

    assertThat(failure(file)).isEqualTo(file + ": invalid value at $.levels[0].umap_components: must be in [1, 32], found 40");
  }

  private Path write(String name, ObjectNode json) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
    return file;
  }

  private static String failure(Path file) {
    return String.valueOf(assertThrows(BadInputException.class, () -> HierarchyParamsFile.read(file)).getMessage());
  }
}
