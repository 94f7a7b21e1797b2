package dev.parley.pipeline.folder;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import dev.parley.insights.pipeline.ClusterRun;
import dev.parley.insights.pipeline.RunAssignment;
import dev.parley.insights.pipeline.RunCentroids;
import dev.parley.insights.pipeline.RunCluster;
import dev.parley.insights.pipeline.RunClusterJson;
import dev.parley.pipeline.folder.CentroidFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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
  public static final String CENTROIDS = CentroidFiles.DATA;
  public static final String CENTROIDS_META = CentroidFiles.META;
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
      RunCentroids centroids = run.centroids();
      writeAtomically(dir.resolve(CENTROIDS), out -> CentroidFiles.writeData(out, centroids.dimension(), centroids.vectors()));
      writeAtomically(dir.resolve(CENTROIDS_META), out -> out.write(pretty(
          CentroidFiles.meta(centroids.ids(), centroids.dimension(), centroids.model(), centroids.thresholds()))));
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
      ObjectNode node = RunClusterJson.put(clusters.addObject(), c);
      node.put("merged", c.merged());
    }
    return root;
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
