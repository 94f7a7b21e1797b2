package dev.parley.pipeline.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.insights.lineage.LineageMatcher;
import dev.parley.insights.lineage.TransitionKind;
import dev.parley.pipeline.folder.CentroidFiles;
import dev.parley.pipeline.folder.RunFolder;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RunLineage} over small hand-written run folders. */
final class RunLineageTest {
  @TempDir Path dir;

  @Test
  void write_continuationBirthDeath_linesWithIdsSizesAndNulls() throws Exception {
    Path old = folder("old", "m", List.of("a", "b"), new int[] {5, 7}, new float[][] {{1, 0, 0}, {0, 1, 0}});
    Path next = folder("new", "m", List.of("x", "y"), new int[] {3, 4}, new float[][] {{0, 0, 1}, {1, 0.01f, 0}});
    Path out = dir.resolve("sub/lineage.jsonl");

    RunLineage.Result result = RunLineage.write(old, next, LineageMatcher.withDefaults(), out);

    assertThat(result.fromRun()).isEqualTo("run-old");
    assertThat(result.counts()).containsEntry(TransitionKind.CONTINUATION, 1).containsEntry(TransitionKind.BIRTH, 1)
        .containsEntry(TransitionKind.DEATH, 1).containsEntry(TransitionKind.SPLIT, 0);
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(3);
    JsonNode c = Json.parse(lines.get(0));
    assertThat(c.path("from").asText()).isEqualTo("a");
    assertThat(c.path("to").asText()).isEqualTo("y");
    assertThat(c.path("kind").asText()).isEqualTo("continuation");
    assertThat(c.path("from_size").asInt()).isEqualTo(5);
    assertThat(c.path("to_size").asInt()).isEqualTo(4);
    assertThat(lines.get(1)).isEqualTo("{\"from\":null,\"to\":\"x\",\"kind\":\"birth\",\"similarity\":0.0,\"from_size\":null,\"to_size\":3}");
    JsonNode d = Json.parse(lines.get(2));
    assertThat(d.path("kind").asText()).isEqualTo("death");
    assertThat(d.path("from").asText()).isEqualTo("b");
    assertThat(d.path("to").isNull()).isTrue();
    assertThat(d.path("to_size").isNull()).isTrue();
  }

  @Test
  void compute_differentModels_badInputNamingBoth() throws Exception {
    Path old = folder("old", "model-one", List.of("a"), new int[] {1}, new float[][] {{1, 0, 0}});
    Path next = folder("new", "model-two", List.of("a"), new int[] {1}, new float[][] {{1, 0, 0}});

    assertThatThrownBy(() -> RunLineage.compute(old, next, LineageMatcher.withDefaults()))
        .isInstanceOf(BadInputException.class).hasMessageContaining("model-one").hasMessageContaining("model-two");
  }

  private Path folder(String name, String model, List<String> ids, int[] sizes, float[][] vectors) throws Exception {
    Path d = dir.resolve(name);
    Files.createDirectories(d);
    ObjectNode clusters = Json.object();
    clusters.put("version", 1);
    clusters.put("run_id", "run-" + name);
    ArrayNode list = clusters.putArray("clusters");
    for (int i = 0; i < ids.size(); i++) {
      ObjectNode c = list.addObject();
      c.put("id", ids.get(i));
      c.putNull("parent");
      c.put("depth", 0);
      c.put("size", sizes[i]);
      c.put("label", "leaf " + ids.get(i));
    }
    Files.writeString(d.resolve(RunFolder.CLUSTERS), Json.write(clusters));
    double[] thresholds = new double[ids.size()];
    Files.writeString(d.resolve(CentroidFiles.META), Json.write(CentroidFiles.meta(ids, 3, model, thresholds)));
    try (OutputStream o = Files.newOutputStream(d.resolve(CentroidFiles.DATA))) {
      CentroidFiles.writeData(o, 3, vectors);
    }
    return d;
  }
}
