package dev.parley.pipeline.assign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.pipeline.folder.CentroidFiles;
import dev.parley.pipeline.folder.RunFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a run folder (DESIGN §4) as an {@link AssignableRun}: for the command line, which may have no store. */
public final class RunFolderRuns {
  private RunFolderRuns() {}

  /** @throws BadInputException when {@code dir} is not a run folder */
  public static AssignableRun read(Path dir) {
    if (!CentroidFiles.present(dir) || !Files.isRegularFile(dir.resolve(RunFolder.CLUSTERS))) {
      throw new BadInputException("not a run folder: " + dir + " needs " + RunFolder.CLUSTERS + ", " + CentroidFiles.META + " and " + CentroidFiles.DATA);
    }
    CentroidFiles.Contents c = CentroidFiles.read(dir);
    JsonNode root;
    try {
      root = Json.mapper().readTree(dir.resolve(RunFolder.CLUSTERS).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve(RunFolder.CLUSTERS), e);
    }
    List<String> ids = new ArrayList<>();
    Map<String, String> parent = new HashMap<>();
    Map<String, String> labels = new HashMap<>();
    Map<String, Integer> sizes = new HashMap<>();
    for (JsonNode cluster : root.path("clusters")) {
      String id = cluster.path("id").asText();
      ids.add(id);
      if (!cluster.path("parent").isNull() && !cluster.path("parent").isMissingNode()) {
        parent.put(id, cluster.path("parent").asText());
      }
      labels.put(id, cluster.path("label").asText(""));
      if (cluster.path("size").canConvertToInt()) {
        sizes.put(id, cluster.path("size").asInt());
      }
    }
    String runId = root.path("run_id").asText(dir.getFileName().toString());
    return new AssignableRun(runId, c.toRunCentroids(), c.hasThresholds(), RunTree.paths(ids, parent), labels, sizes);
  }
}
