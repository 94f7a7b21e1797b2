package dev.parley.pipeline.folder;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.insights.pipeline.RunCentroids;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The leaf-centroid files of a run folder (DESIGN §4), the one reader and writer of the format:
 * {@code centroids.json} ({@code version, ids, dimension, model, count, dtype, byte_order, normalised,
 * thresholds}) and {@code centroids.f32} (little-endian float32, row-major, rows in {@code ids} order).
 */
public final class CentroidFiles {
  public static final int VERSION = 1;
  public static final String DATA = "centroids.f32";
  public static final String META = "centroids.json";

  private CentroidFiles() {}

  /**
   * What a folder's centroid files hold.
   *
   * @param hasThresholds whether the folder had per-leaf admission thresholds; without them every
   *     threshold is -1, so every point is admitted to its nearest leaf (cosine is never below -1)
   */
  public record Contents(List<String> ids, int dimension, String model, float[][] vectors, double[] thresholds,
      boolean hasThresholds) {
    public Contents {
      ids = List.copyOf(requireNonNull(ids, "ids is null"));
      requireNonNull(model, "model is null");
      requireNonNull(vectors, "vectors is null");
      requireNonNull(thresholds, "thresholds is null");
    }

    public RunCentroids toRunCentroids() {
      return new RunCentroids(ids, dimension, model, vectors, thresholds);
    }
  }

  /** Whether {@code dir} has both centroid files. */
  public static boolean present(Path dir) {
    return Files.isRegularFile(dir.resolve(META)) && Files.isRegularFile(dir.resolve(DATA));
  }

  /**
   * Reads the centroid files of {@code dir}.
   *
   * @throws BadInputException when a file is missing or does not follow the format
   * @throws UncheckedIOException when a file cannot be read or parsed
   */
  public static Contents read(Path dir) {
    requireNonNull(dir, "dir is null");
    Path meta = dir.resolve(META);
    Path data = dir.resolve(DATA);
    if (!present(dir)) {
      throw new BadInputException(dir + " has no " + META + " and " + DATA);
    }
    try {
      JsonNode node = Json.mapper().readTree(meta.toFile());
      if (node == null || node.path("version").asInt(-1) != VERSION) {
        throw new BadInputException(meta + ": unsupported version, expected " + VERSION + ", found "
            + (node == null ? "nothing" : node.path("version")));
      }
      List<String> ids = new ArrayList<>();
      node.path("ids").forEach(id -> ids.add(id.asText()));
      int dimension = node.path("dimension").asInt(-1);
      if (dimension < 1) {
        throw new BadInputException(meta + ": 'dimension' must be >= 1, found " + node.path("dimension"));
      }
      byte[] bytes = Files.readAllBytes(data);
      long expected = (long) ids.size() * dimension * Float.BYTES;
      if (bytes.length != expected) {
        throw new BadInputException(data + ": expected " + expected + " bytes (" + ids.size() + " x " + dimension
            + " float32), found " + bytes.length);
      }
      float[][] vectors = readData(bytes, ids.size(), dimension);
      JsonNode t = node.path("thresholds");
      boolean hasThresholds = t.isArray() && t.size() == ids.size();
      double[] thresholds = new double[ids.size()];
      for (int i = 0; i < thresholds.length; i++) {
        thresholds[i] = hasThresholds ? t.get(i).asDouble() : -1;
      }
      return new Contents(ids, dimension, node.path("model").asText(), vectors, thresholds, hasThresholds);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + meta, e);
    }
  }

  /** The {@code centroids.json} document; thresholds are rounded to 6 decimals. */
  public static ObjectNode meta(List<String> ids, int dimension, String model, double[] thresholds) {
    ObjectNode node = Json.object();
    node.put("version", VERSION);
    ArrayNode idsNode = node.putArray("ids");
    ids.forEach(idsNode::add);
    node.put("dimension", dimension);
    node.put("model", model);
    node.put("count", ids.size());
    node.put("dtype", "float32");
    node.put("byte_order", "little-endian");
    node.put("normalised", true);
    ArrayNode thresholdsNode = node.putArray("thresholds");
    for (double t : thresholds) {
      thresholdsNode.add(Math.round(t * 1e6) / 1e6);
    }
    return node;
  }

  /** Rows of {@code dimension} little-endian float32 values, as {@link #writeData} writes them; the caller checks the length. */
  public static float[][] readData(byte[] bytes, int rows, int dimension) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    float[][] vectors = new float[rows][dimension];
    for (float[] row : vectors) {
      for (int d = 0; d < dimension; d++) {
        row[d] = buffer.getFloat();
      }
    }
    return vectors;
  }

  /** Writes the {@code centroids.f32} content: each row as little-endian float32, rows in order. */
  public static void writeData(OutputStream out, int dimension, float[][] vectors) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(Math.max(Float.BYTES, dimension * Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] row : vectors) {
      buffer.clear();
      for (float v : row) {
        buffer.putFloat(v);
      }
      out.write(buffer.array(), 0, row.length * Float.BYTES);
    }
  }
}
