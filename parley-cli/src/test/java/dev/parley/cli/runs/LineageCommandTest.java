package dev.parley.cli.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.cli.commands.CliRun;
import dev.parley.core.json.Json;
import dev.parley.pipeline.folder.CentroidFiles;
import dev.parley.pipeline.folder.RunFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./parley lineage} between runs made by {@code ./parley cluster} (real embedding model, no store). */
final class LineageCommandTest {
  private static final List<String> FIELDS = List.of("from", "to", "kind", "similarity", "from_size", "to_size");

  @TempDir Path dir;

  @Test
  void lineage_runWithItselfAndItsRerun_allContinuationsAtOne() throws Exception {
    Path in = TestCorpora.textItems(dir, 20);
    Path first = cluster(in, "first");
    Path second = cluster(in, "second");
    Map<String, Integer> sizes = leafSizes(first);

    for (Path to : List.of(first, second)) {
      Path out = dir.resolve("lineage-" + to.getFileName() + ".jsonl");
      CliRun result = TestCorpora.run("lineage", "--from", first.toString(), "--to", to.toString(), "--out", out.toString(), "--json");

      assertThat(result.exit()).as(result.err()).isZero();
      List<JsonNode> lines = read(out);
      assertThat(lines).hasSize(sizes.size());
      for (JsonNode line : lines) {
        assertThat(line.fieldNames()).toIterable().containsExactlyElementsOf(FIELDS);
        assertThat(line.path("kind").asText()).isEqualTo("continuation");
        assertThat(line.path("to").asText()).isEqualTo(line.path("from").asText());
        assertThat(line.path("similarity").asDouble()).isEqualTo(1.0);
        assertThat(line.path("from_size").asInt()).isEqualTo(sizes.get(line.path("from").asText()));
        assertThat(line.path("to_size").asInt()).isEqualTo(line.path("from_size").asInt());
      }
      assertThat(lines.stream().map(l -> l.path("from").asText()).toList()).isSorted();
      JsonNode summary = Json.parse(result.out());
      assertThat(summary.path("continuation").asInt()).isEqualTo(sizes.size());
      assertThat(summary.path("death").asInt()).isZero();
    }
  }

  @Test
  void lineage_secondRunDropsATopic_deathOfItsLeaf() throws Exception {
    Path in = TestCorpora.textItems(dir, 20);
    Path first = cluster(in, "first");
    // A leaf of the first run that holds one topic alone (the clusterer may join close topics into one leaf).
    Map<String, Set<String>> topicsOfLeaf = new HashMap<>();
    for (String l : Files.readAllLines(first.resolve(RunFolder.ASSIGNMENTS))) {
      JsonNode a = Json.parse(l);
      topicsOfLeaf.computeIfAbsent(a.path("leaf").asText(), k -> new HashSet<>()).add(a.path("id").asText().split("-")[0]);
    }
    String lone = topicsOfLeaf.entrySet().stream().filter(e -> !e.getKey().equals("noise") && e.getValue().size() == 1)
        .map(Map.Entry::getKey).sorted().findFirst().orElseThrow();
    String dropped = topicsOfLeaf.getOrDefault(lone, Set.of()).iterator().next() + "-";
    Path fewer = dir.resolve("fewer.jsonl");
    Files.write(fewer, Files.readAllLines(in).stream().filter(l -> !Json.parse(l).path("id").asText().startsWith(dropped)).toList());
    Path second = cluster(fewer, "second");
    Path out = dir.resolve("lineage.jsonl");

    CliRun result = TestCorpora.run("lineage", "--from", first.toString(), "--to", second.toString(), "--out", out.toString());

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).contains("death 1");
    List<JsonNode> deaths = read(out).stream().filter(l -> l.path("kind").asText().equals("death")).toList();
    assertThat(deaths).singleElement().satisfies(d -> {
      assertThat(d.path("from").asText()).isEqualTo(lone);
      assertThat(d.path("to").isNull()).isTrue();
      assertThat(d.path("to_size").isNull()).isTrue();
      assertThat(d.path("from_size").asInt()).isEqualTo(20);
    });
  }

  @Test
  void lineage_differentEmbeddingModels_exit2NamingBoth() throws Exception {
    Path in = TestCorpora.textItems(dir, 10);
    Path first = cluster(in, "first");
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    try (var files = Files.list(first)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, other.resolve(f.getFileName()));
      }
    }
    ObjectNode meta = (ObjectNode) Json.parse(Files.readString(other.resolve(RunFolder.CENTROIDS_META)));
    meta.put("model", "some-other-model");
    Files.writeString(other.resolve(RunFolder.CENTROIDS_META), Json.write(meta));

    CliRun result = TestCorpora.run("lineage", "--from", first.toString(), "--to", other.toString(), "--out", dir.resolve("o.jsonl").toString());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("some-other-model").contains(first.toString()).contains(other.toString());
  }

  private Path cluster(Path in, String name) {
    Path out = dir.resolve(name);
    CliRun result = TestCorpora.run("cluster", "--in", in.toString(), "--out", out.toString(), "--no-store");
    assertThat(result.exit()).as(result.err()).isZero();
    return out;
  }

  private static List<JsonNode> read(Path file) throws Exception {
    return Files.readAllLines(file).stream().map(Json::parse).toList();
  }

  /** Leaf id to size: the clusters that have a centroid. */
  private static Map<String, Integer> leafSizes(Path run) throws Exception {
    Set<String> leaves = new HashSet<>(CentroidFiles.read(run).ids());
    Map<String, Integer> sizes = new HashMap<>();
    for (JsonNode c : Json.parse(Files.readString(run.resolve(RunFolder.CLUSTERS))).path("clusters")) {
      if (leaves.contains(c.path("id").asText())) {
        sizes.put(c.path("id").asText(), c.path("size").asInt());
      }
    }
    return sizes;
  }
}
