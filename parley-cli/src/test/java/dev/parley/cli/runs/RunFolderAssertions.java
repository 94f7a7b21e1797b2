package dev.parley.cli.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.json.Json;
import dev.parley.pipeline.folder.RunFolder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Parses every file of a run folder back and checks the DESIGN §4 contract and its invariants. */
public final class RunFolderAssertions {
  private RunFolderAssertions() {}

  /** The cluster of {@code id}; fails, naming {@code what} was looked up, when clusters.json has none. */
  private static JsonNode cluster(Map<String, JsonNode> byId, String id, String what) {
    JsonNode c = byId.get(id);
    if (c == null) {
      throw new AssertionError(what + ": no cluster " + id + " in clusters.json");
    }
    return c;
  }

  public static void assertValidRunFolder(Path dir, List<String> inputIds) throws IOException {
    // assignments.jsonl: one line per input, in input order, every path top..leaf.
    List<JsonNode> assignments = Files.readAllLines(dir.resolve(RunFolder.ASSIGNMENTS)).stream().map(Json::parse).toList();
    assertThat(assignments).extracting(a -> a.path("id").asText()).containsExactlyElementsOf(inputIds);

    // clusters.json: a consistent tree.
    JsonNode clusters = Json.mapper().readTree(dir.resolve(RunFolder.CLUSTERS).toFile());
    assertThat(clusters.path("version").asInt()).isEqualTo(1);
    Map<String, JsonNode> byId = new HashMap<>();
    for (JsonNode c : clusters.path("clusters")) {
      for (String field : List.of("id", "parent", "depth", "size", "label", "description", "keywords", "examples")) {
        assertThat(c.has(field)).as("cluster field %s", field).isTrue();
      }
      assertThat(byId.put(c.path("id").asText(), c)).as("unique id %s", c.path("id")).isNull();
    }
    long noise = 0;
    Map<String, Integer> leafCounts = new HashMap<>();
    for (JsonNode a : assignments) {
      String leaf = a.path("leaf").asText();
      List<String> path = Json.mapper().convertValue(a.path("path"), List.class);
      if (leaf.equals("noise")) {
        noise++;
        assertThat(path).isEmpty();
        continue;
      }
      assertThat(path).isNotEmpty();
      assertThat(path.get(path.size() - 1)).isEqualTo(leaf);
      assertThat(cluster(byId, path.get(0), "top of a path").path("parent").isNull()).isTrue();
      for (int i = 1; i < path.size(); i++) {
        assertThat(cluster(byId, path.get(i), "cluster on a path").path("parent").asText()).isEqualTo(path.get(i - 1));
      }
      for (String id : path) {
        leafCounts.merge(id, 1, Integer::sum);
      }
      assertThat(cluster(byId, leaf, "leaf of an assignment").path("children")).isEmpty();
    }
    assertThat(clusters.path("noise").asLong()).isEqualTo(noise);
    Set<String> leaves = new HashSet<>();
    for (JsonNode c : byId.values()) {
      String id = c.path("id").asText();
      assertThat(leafCounts.getOrDefault(id, 0)).as("size of %s", id).isEqualTo(c.path("size").asInt());
      if (!c.path("parent").isNull()) {
        JsonNode parent = cluster(byId, c.path("parent").asText(), "parent of " + id);
        assertThat(c.path("depth").asInt()).isEqualTo(parent.path("depth").asInt() + 1);
      }
      if (c.path("children").isEmpty()) {
        leaves.add(id);
      } else {
        int sum = 0;
        for (JsonNode child : c.path("children")) {
          sum += cluster(byId, child.asText(), "child of " + id).path("size").asInt();
        }
        assertThat(sum).isEqualTo(c.path("size").asInt());
      }
    }

    // centroids: one L2-normalised little-endian float32 row per leaf.
    JsonNode meta = Json.mapper().readTree(dir.resolve(RunFolder.CENTROIDS_META).toFile());
    int dimension = meta.path("dimension").asInt();
    List<String> ids = Json.mapper().convertValue(meta.path("ids"), List.class);
    assertThat(new HashSet<>(ids)).isEqualTo(leaves);
    byte[] bytes = Files.readAllBytes(dir.resolve(RunFolder.CENTROIDS));
    assertThat(bytes.length).isEqualTo(ids.size() * dimension * 4);
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int r = 0; r < ids.size(); r++) {
      double norm = 0;
      for (int d = 0; d < dimension; d++) {
        float v = buffer.getFloat();
        norm += v * v;
      }
      assertThat(Math.sqrt(norm)).as("norm of centroid %s", ids.get(r)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
    }

    // run.json: parameters, seed, input hash, timings, versions.
    JsonNode run = Json.mapper().readTree(dir.resolve(RunFolder.RUN).toFile());
    assertThat(run.path("input_hash").asText()).matches("[0-9a-f]{64}");
    assertThat(run.has("seed")).isTrue();
    assertThat(run.path("parameters").has("clustering")).isTrue();
    assertThat(run.path("parameters").path("sampling").has("max_samples")).isTrue();
    assertThat(run.path("parameters").path("privacy").has("min_users")).isTrue();
    assertThat(run.path("timings_ms").size()).isGreaterThanOrEqualTo(3);
    assertThat(run.path("versions").has("java")).isTrue();
    assertThat(run.path("summary").path("items").asInt()).isEqualTo(inputIds.size());

    // report.html: self-contained.
    String html = Files.readString(dir.resolve(RunFolder.REPORT));
    assertThat(html).startsWith("<!DOCTYPE html>");
    assertThat(html).doesNotContainPattern(Pattern.compile("(?i)https?://"));
    assertThat(html).doesNotContainPattern(Pattern.compile("(?i)<(link|img|iframe)\\b|<script[^>]+src="));
  }
}
