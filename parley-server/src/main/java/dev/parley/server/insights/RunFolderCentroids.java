package dev.parley.server.insights;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.json.Json;
import dev.parley.insights.pipeline.RunCentroids;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the leaf centroids of a run folder (DESIGN §4): {@code centroids.json} ({@code version, ids,
 * dimension, model, thresholds}) and {@code centroids.f32} (little-endian float32, row-major, rows in
 * {@code ids} order), as {@code ./parley cluster} and {@code analyze} write them.
 *
 * <p>The command line's writer and reader live in parley-cli, which depends on this module, so the server
 * keeps its own reader of the documented format rather than a dependency cycle.
 */
final class RunFolderCentroids {
  static final int VERSION = 1;
  static final String DATA = "centroids.f32";
  static final String META = "centroids.json";

  private RunFolderCentroids() {}

  /** What reading a folder gave. */
  sealed interface Result permits Found, Unavailable {}

  /** @param thresholds whether the folder had per-leaf admission thresholds */
  record Found(RunCentroids centroids, boolean thresholds) implements Result {
    Found {
      requireNonNull(centroids, "centroids is null");
    }
  }

  /** The folder or its files are missing or malformed; {@code reason} says which (for the server log). */
  record Unavailable(String reason) implements Result {
    Unavailable {
      requireNonNull(reason, "reason is null");
    }
  }

  static Result read(Path dir) {
    requireNonNull(dir, "dir is null");
    Path meta = dir.resolve(META);
    Path data = dir.resolve(DATA);
    if (!Files.isRegularFile(meta) || !Files.isRegularFile(data)) {
      return new Unavailable(dir + " has no " + META + " and " + DATA);
    }
    try {
      JsonNode node = Json.mapper().readTree(meta.toFile());
      if (node == null || node.path("version").asInt(-1) != VERSION) {
        return new Unavailable(meta + ": unsupported version, expected " + VERSION + ", found "
            + (node == null ? "nothing" : node.path("version")));
      }
      List<String> ids = new ArrayList<>();
      node.path("ids").forEach(id -> ids.add(id.asText()));
      int dimension = node.path("dimension").asInt(-1);
      if (dimension < 1) {
        return new Unavailable(meta + ": 'dimension' must be >= 1, found " + node.path("dimension"));
      }
      byte[] bytes = Files.readAllBytes(data);
      long expected = (long) ids.size() * dimension * Float.BYTES;
      if (bytes.length != expected) {
        return new Unavailable(data + ": expected " + expected + " bytes (" + ids.size() + " x " + dimension
            + " float32), found " + bytes.length);
      }
      ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      float[][] vectors = new float[ids.size()][dimension];
      for (float[] row : vectors) {
        for (int d = 0; d < dimension; d++) {
          row[d] = buffer.getFloat();
        }
      }
      JsonNode t = node.path("thresholds");
      boolean hasThresholds = t.isArray() && t.size() == ids.size();
      double[] thresholds = new double[ids.size()];
      for (int i = 0; i < thresholds.length; i++) {
        // Without thresholds every point is admitted to its nearest leaf (cosine is never below -1).
        thresholds[i] = hasThresholds ? t.get(i).asDouble() : -1;
      }
      return new Found(new RunCentroids(ids, dimension, node.path("model").asText(), vectors, thresholds), hasThresholds);
    } catch (IOException | RuntimeException e) {
      return new Unavailable("cannot read " + meta + ": " + e);
    }
  }
}
