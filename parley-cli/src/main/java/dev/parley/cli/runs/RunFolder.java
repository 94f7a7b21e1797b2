package dev.parley.cli.runs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.insights.pipeline.ClusterRun;
import dev.parley.insights.pipeline.RunAssignment;
import dev.parley.insights.pipeline.RunCentroids;
import dev.parley.insights.pipeline.RunCluster;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes and reads a cluster run folder (DESIGN §4):
 * <ul>
 *   <li>{@code assignments.jsonl}: {@code {"id","leaf","path":[top,...,leaf]}} per input, in input order;
 *       {@code "leaf":"noise"} and an empty path for noise;</li>
 *   <li>{@code clusters.json}: {@code {"version":1,"run_id","items","noise","clusters":[...]}}, the tree as a
 *       list, parents before children: {@code id, parent (null at the top), depth, size, children, label,
 *       description, keywords, examples, label_source, users, conversations, redacted, merged};</li>
 *   <li>{@code centroids.f32}: leaf centroids, little-endian float32, row-major, rows in
 *       {@code centroids.json} {@code ids} order; {@code centroids.json}: {@code version, ids, dimension,
 *       model, count, dtype, byte_order, normalised};</li>
 *   <li>{@code run.json}: parameters, seed, input hash, timings, versions (built by the caller);</li>
 *   <li>{@code report.html}: the self-contained report.</li>
 * </ul>
 * Every file is written to a temporary name and moved into place, so a reader never sees half a file.
 */
public final class RunFolder {
  public static final int VERSION = 1;
  public static final String ASSIGNMENTS = "assignments.jsonl";
  public static final String CLUSTERS = "clusters.json";
  public static final String CENTROIDS = "centroids.f32";
  public static final String CENTROIDS_META = "centroids.json";
  public static final String RUN = "run.json";
  public static final String REPORT = "report.html";

  private RunFolder() {}

  public static void write(Path dir, String runId, ClusterRun run, ObjectNode runJson, String reportHtml) {
    requireNonNull(dir, "dir is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(run, "run is null");
    requireNonNull(runJson, "runJson is null");
    requireNonNull(reportHtml, "reportHtml is null");
    try {
      Files.createDirectories(dir);
      writeAtomically(dir.resolve(ASSIGNMENTS), out -> {
        try (BufferedWriter w = new BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
          for (RunAssignment a : run.assignments()) {
            ObjectNode node = Json.object();
            node.put("id", a.id());
            node.put("leaf", a.leaf());
            ArrayNode path = node.putArray("path");
            a.path().forEach(path::add);
            w.write(Json.write(node));
            w.write('\n');
          }
        }
      });
      writeAtomically(dir.resolve(CLUSTERS), out -> out.write(pretty(clustersJson(runId, run))));
      writeAtomically(dir.resolve(CENTROIDS), out -> writeCentroids(out, run.centroids()));
      writeAtomically(dir.resolve(CENTROIDS_META), out -> out.write(pretty(centroidsJson(run.centroids()))));
      writeAtomically(dir.resolve(RUN), out -> out.write(pretty(runJson)));
      writeAtomically(dir.resolve(REPORT), out -> out.write(reportHtml.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run folder " + dir, e);
    }
  }

  static ObjectNode clustersJson(String runId, ClusterRun run) {
    ObjectNode root = Json.object();
    root.put("version", VERSION);
    root.put("run_id", runId);
    root.put("items", run.assignments().size());
    root.put("noise", run.noiseCount());
    ArrayNode clusters = root.putArray("clusters");
    for (RunCluster c : run.clusters()) {
      ObjectNode node = clusters.addObject();
      node.put("id", c.id());
      if (c.parent().isPresent()) {
        node.put("parent", c.parent().get());
      } else {
        node.putNull("parent");
      }
      node.put("depth", c.depth());
      node.put("size", c.size());
      ArrayNode children = node.putArray("children");
      c.children().forEach(children::add);
      node.put("label", c.label());
      node.put("description", c.description());
      ArrayNode keywords = node.putArray("keywords");
      c.keywords().forEach(keywords::add);
      ArrayNode examples = node.putArray("examples");
      c.examples().forEach(examples::add);
      node.put("label_source", c.labelSource());
      node.put("users", c.users());
      node.put("conversations", c.conversations());
      node.put("redacted", c.redacted());
      node.put("merged", c.merged());
    }
    return root;
  }

  static ObjectNode centroidsJson(RunCentroids centroids) {
    ObjectNode node = Json.object();
    node.put("version", VERSION);
    ArrayNode ids = node.putArray("ids");
    centroids.ids().forEach(ids::add);
    node.put("dimension", centroids.dimension());
    node.put("model", centroids.model());
    node.put("count", centroids.ids().size());
    node.put("dtype", "float32");
    node.put("byte_order", "little-endian");
    node.put("normalised", true);
    ArrayNode thresholds = node.putArray("thresholds");
    for (double t : centroids.thresholds()) {
      thresholds.add(Math.round(t * 1e6) / 1e6);
    }
    return node;
  }

  private static void writeCentroids(OutputStream out, RunCentroids centroids) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(Math.max(4, centroids.dimension() * 4)).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] row : centroids.vectors()) {
      buffer.clear();
      for (float v : row) {
        buffer.putFloat(v);
      }
      out.write(buffer.array(), 0, row.length * 4);
    }
  }

  /** Leaf centroids of a finished run, for online assignment. */
  public static RunCentroids readCentroids(Path dir) {
    Path meta = dir.resolve(CENTROIDS_META);
    Path data = dir.resolve(CENTROIDS);
    if (!Files.isRegularFile(meta) || !Files.isRegularFile(data)) {
      throw new BadInputException("not a run folder: " + dir + " has no " + CENTROIDS_META + " and " + CENTROIDS);
    }
    try {
      JsonNode node = Json.mapper().readTree(meta.toFile());
      int version = node.path("version").asInt(-1);
      if (version != VERSION) {
        throw new BadInputException(meta + ": unsupported version, expected " + VERSION + ", found " + node.path("version"));
      }
      List<String> ids = new ArrayList<>();
      node.path("ids").forEach(id -> ids.add(id.asText()));
      int dimension = node.path("dimension").asInt(-1);
      if (dimension < 1) {
        throw new BadInputException(meta + ": 'dimension' must be >= 1, found " + node.path("dimension"));
      }
      byte[] bytes = Files.readAllBytes(data);
      long expected = (long) ids.size() * dimension * 4;
      if (bytes.length != expected) {
        throw new BadInputException(data + ": expected " + expected + " bytes (" + ids.size() + " x " + dimension + " float32), found " + bytes.length);
      }
      ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      float[][] vectors = new float[ids.size()][dimension];
      for (float[] row : vectors) {
        for (int d = 0; d < dimension; d++) {
          row[d] = buffer.getFloat();
        }
      }
      double[] thresholds = new double[ids.size()];
      JsonNode t = node.path("thresholds");
      for (int i = 0; i < thresholds.length; i++) {
        // A run folder without thresholds admits every point to its nearest leaf.
        thresholds[i] = t.size() == ids.size() ? t.get(i).asDouble() : -1;
      }
      return new RunCentroids(ids, dimension, node.path("model").asText(), vectors, thresholds);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + meta, e);
    }
  }

  public static byte[] pretty(JsonNode node) {
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Something that writes a file's content. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes to {@code file.tmp} then renames, so the file is either the old one or the whole new one. */
  public static void writeAtomically(Path file, Content content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
      content.writeTo(out);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
