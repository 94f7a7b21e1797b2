package dev.parley.pipeline.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.core.json.StrictJson;
import dev.parley.insights.hierarchy.HierarchyParams;
import dev.parley.pipeline.cluster.HierarchyEngine;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code --params FILE} of the clustering commands, in one spelling: run.json's. The file is either
 * what run.json records under {@code parameters.clustering} (snake_case keys, every one required, an
 * optional {@code "engine"} that must name the hierarchical engine), or a whole run.json, whose
 * {@code parameters.clustering} is taken, so a finished run's parameters can be passed back as they are.
 * Unknown, missing and mistyped keys fail with the file and the JSON path ({@link StrictJson}).
 */
public final class HierarchyParamsFile {
  private static final String ENGINE = "engine";

  private HierarchyParamsFile() {}

  /** The parameters in {@code file}, or the defaults when no file is given. */
  public static HierarchyParams readOrDefaults(Optional<Path> file) {
    return file.map(HierarchyParamsFile::read).orElseGet(HierarchyParams::defaults);
  }

  public static HierarchyParams read(Path file) {
    requireNonNull(file, "file is null");
    return fromJson(StrictJson.readJson(file), file.toString());
  }

  /** The parameters in {@code root}: a parameters object or a whole run.json, read from {@code source}. */
  public static HierarchyParams fromJson(JsonNode root, String source) {
    requireNonNull(root, "root is null");
    requireNonNull(source, "source is null");
    if (!root.isObject()) {
      throw new BadInputException(source + ": expected an object at $, found " + StrictJson.kind(root));
    }
    JsonNode node = root;
    String path = "$";
    if (root.has("parameters")) {
      path = "$.parameters";
      JsonNode parameters = root.get("parameters");
      if (!parameters.isObject()) {
        throw new BadInputException(source + ": expected an object at " + path + ", found " + StrictJson.kind(parameters));
      }
      if (!parameters.has("clustering")) {
        throw new BadInputException(source + ": missing required key 'clustering' at " + path);
      }
      node = parameters.get("clustering");
      path = StrictJson.key(path, "clustering");
    }
    if (node.isObject() && node.has(ENGINE)) {
      JsonNode engine = node.get(ENGINE);
      if (!engine.isTextual() || !engine.asText().equals(HierarchyEngine.NAME)) {
        String found = engine.isTextual() ? "'" + engine.asText() + "'" : StrictJson.kind(engine);
        throw new BadInputException(source + ": unsupported engine " + found + " at " + StrictJson.key(path, ENGINE)
            + " (--params takes the parameters of '" + HierarchyEngine.NAME + "')");
      }
      ObjectNode copy = ((ObjectNode) node).deepCopy();
      copy.remove(ENGINE);
      node = copy;
    }
    return StrictJson.bind(node, HierarchyParams.class, source, path);
  }

  /** {@code params} as run.json records them under {@code parameters.clustering}, and as {@link #fromJson} reads them back. */
  public static ObjectNode toJson(HierarchyParams params) {
    requireNonNull(params, "params is null");
    ObjectNode node = Json.object();
    node.put(ENGINE, HierarchyEngine.NAME);
    node.setAll(StrictJson.toJson(params));
    return node;
  }
}
