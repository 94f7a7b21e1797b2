package dev.parley.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.error.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class StrictJsonTest {
  enum Mode { FINE, COARSE }

  record Level(int minClusterSize, double share, Mode mode) {
    Level {
      if (minClusterSize < 2) {
        throw new IllegalArgumentException("minClusterSize must be >= 2, found " + minClusterSize);
      }
    }
  }

  record Params(int coresetFloor, List<Level> levels, double ejectFence, String name) {
    Params {
      levels = List.copyOf(levels);
      if (coresetFloor > 1000) {
        throw new IllegalArgumentException("coresetFloor must be <= 1000, found " + coresetFloor);
      }
    }
  }

  private static final Params PARAMS = new Params(20, List.of(new Level(5, 0.1, Mode.COARSE), new Level(3, 0.05, Mode.FINE)), 3.0, "p");

  @TempDir Path dir;

  @Test
  void toJson_thenBind_roundTripsInSnakeCase() {
    ObjectNode json = StrictJson.toJson(PARAMS);

    assertThat(json.fieldNames()).toIterable().containsExactly("coreset_floor", "levels", "eject_fence", "name");
    assertThat(json.at("/levels/0").fieldNames()).toIterable().containsExactly("min_cluster_size", "share", "mode");
    assertThat(StrictJson.bind(json, Params.class, "params.json", "$")).isEqualTo(PARAMS);
  }

  @Test
  void bind_unknownKey_namesKeyPathAndKnownKeys() {
    ObjectNode json = StrictJson.toJson(PARAMS);
    ((ObjectNode) json.at("/levels/1")).put("min_clustr_size", 3);

    assertThat(failure(json)).isEqualTo("params.json: unknown key 'min_clustr_size' at $.levels[1] (known: min_cluster_size, mode, share)");
  }

  @Test
  void bind_camelCaseKey_pointsToTheSnakeCaseSpelling() {
    ObjectNode json = StrictJson.toJson(PARAMS);
    json.remove("eject_fence");
    json.put("ejectFence", 3.0);

    assertThat(failure(json)).isEqualTo("params.json: unknown key 'ejectFence' at $ (keys are snake_case: 'eject_fence')");
  }

  @Test
  void bind_missingKey_namesKeyAndPath() {
    ObjectNode json = StrictJson.toJson(PARAMS);
    json.remove("eject_fence");
    assertThat(failure(json)).isEqualTo("params.json: missing required key 'eject_fence' at $");

    ObjectNode level = StrictJson.toJson(PARAMS);
    ((ObjectNode) level.at("/levels/0")).remove("mode");
    assertThat(failure(level)).isEqualTo("params.json: missing required key 'mode' at $.levels[0]");

    ObjectNode name = StrictJson.toJson(PARAMS);
    name.remove("name");
    assertThat(failure(name)).isEqualTo("params.json: missing required key 'name' at $");
  }

  @Test
  void bind_nullValue_isRefused() {
    ObjectNode json = StrictJson.toJson(PARAMS);
    json.putNull("levels");

    assertThat(failure(json)).isEqualTo("params.json: key 'levels' at $ must not be null");
  }

  @Test
  void bind_wrongTypes_sayWhatWasExpectedAndFound() {
    assertThat(failure(with("coreset_floor", "20"))).isEqualTo("params.json: expected an integer at $.coreset_floor, found the string \"20\"");
    assertThat(failure(with("coreset_floor", 2.5))).isEqualTo("params.json: expected an integer at $.coreset_floor, found the number 2.5");
    assertThat(failure(with("eject_fence", "3"))).isEqualTo("params.json: expected a number at $.eject_fence, found the string \"3\"");
    assertThat(failure(with("name", 5))).isEqualTo("params.json: expected a string at $.name, found the number 5");
    assertThat(failure(with("levels", 5))).isEqualTo("params.json: expected an array at $.levels, found the number 5");
  }

  @Test
  void bind_badEnum_listsTheValues() {
    ObjectNode json = StrictJson.toJson(PARAMS);
    ((ObjectNode) json.at("/levels/1")).put("mode", "fine");

    assertThat(failure(json)).isEqualTo("params.json: expected one of FINE, COARSE at $.levels[1].mode, found the string \"fine\"");
  }

  @Test
  void bind_constructorRejectsValue_reportsItAtTheComponentInSnakeCase() {
    ObjectNode json = StrictJson.toJson(PARAMS);
    ((ObjectNode) json.at("/levels/1")).put("min_cluster_size", 1);
    assertThat(failure(json)).isEqualTo("params.json: invalid value at $.levels[1].min_cluster_size: must be >= 2, found 1");

    assertThat(failure(with("coreset_floor", 5000))).isEqualTo("params.json: invalid value at $.coreset_floor: must be <= 1000, found 5000");
  }

  @Test
  void bind_pathPrefix_isKept() {
    ObjectNode json = StrictJson.toJson(PARAMS);
    json.remove("name");

    BadInputException e = assertThrows(BadInputException.class, () -> StrictJson.bind(json, Params.class, "run.json", "$.parameters.clustering"));
    assertThat(e.getMessage()).isEqualTo("run.json: missing required key 'name' at $.parameters.clustering");
  }

  @Test
  void read_malformedFile_namesFileLineAndColumn() throws Exception {
    Path file = dir.resolve("params.json");
    Files.writeString(file, "{\n  \"coreset_floor\": 20,\n  \"levels\": [\n");

    BadInputException e = assertThrows(BadInputException.class, () -> StrictJson.read(file, Params.class));
    assertThat(e.getMessage()).isEqualTo(file + ": malformed JSON at line 4, column 1: unexpected end of input");
  }

  @Test
  void read_duplicateKey_isRefused() throws Exception {
    Path file = dir.resolve("params.json");
    Files.writeString(file, "{\"coreset_floor\": 20, \"coreset_floor\": 30}");

    BadInputException e = assertThrows(BadInputException.class, () -> StrictJson.read(file, Params.class));
    assertThat(e.getMessage()).isEqualTo(file + ": malformed JSON at column 38: duplicate key 'coreset_floor'");
  }

  @Test
  void read_missingFile_saysSo() {
    Path file = dir.resolve("nope.json");

    BadInputException e = assertThrows(BadInputException.class, () -> StrictJson.read(file, Params.class));
    assertThat(e.getMessage()).isEqualTo(file + ": no such file");
  }

  @Test
  void parseYaml_malformed_namesSourceAndLine() {
    BadInputException e = assertThrows(BadInputException.class, () -> StrictJson.parseYaml("a: 1\n b: 2\n", "taxonomy.yaml"));
    assertThat(e.getMessage()).isEqualTo("taxonomy.yaml: malformed YAML at line 2, column 3: mapping values are not allowed here");
  }

  @Test
  void keyProblems_unknownMissingAndNull_allReported() {
    JsonNode node = StrictJson.parseYaml("name: x\nlimts: {}\nmodel: null\n", "agent.yaml");

    assertThat(StrictJson.keyProblems(node, "$", Set.of("name", "model"), Set.of("limits")))
        .containsExactly(
            "unknown key 'limts' at $ (known: limits, model, name)",
            "key 'model' at $ must not be null");
    assertThat(StrictJson.keyProblems(StrictJson.parseYaml("name: x\n", "agent.yaml"), "$", Set.of("name", "model"), Set.of()))
        .containsExactly("missing required key 'model' at $");
  }

  @Test
  void checkKeys_notAnObject_saysWhatItFound() {
    JsonNode node = StrictJson.parseJson("{\"limits\": [1]}", "agent.json");

    BadInputException e = assertThrows(BadInputException.class,
        () -> StrictJson.checkKeys(node.get("limits"), "agent.json", StrictJson.key("$", "limits"), Set.of(), Set.of("max")));
    assertThat(e.getMessage()).isEqualTo("agent.json: expected an object at $.limits, found an array");
  }

  @Test
  void key_oddName_isBracketed() {
    assertThat(StrictJson.key("$", "levels")).isEqualTo("$.levels");
    assertThat(StrictJson.index(StrictJson.key("$", "levels"), 2)).isEqualTo("$.levels[2]");
    assertThat(StrictJson.key("$.fields", "user name")).isEqualTo("$.fields['user name']");
  }

  private static ObjectNode with(String key, Object value) {
    ObjectNode json = StrictJson.toJson(PARAMS);
    json.set(key, Json.mapper().valueToTree(value));
    return json;
  }

  private static String failure(JsonNode json) {
    return String.valueOf(assertThrows(BadInputException.class, () -> StrictJson.bind(json, Params.class, "params.json", "$")).getMessage());
  }
}
