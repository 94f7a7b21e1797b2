package dev.parley.pipeline.folder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.insights.hierarchy.ClusterTree;
import dev.parley.insights.label.LabelSource;
import dev.parley.insights.label.Labeling;
import dev.parley.insights.label.LabelingStats;
import dev.parley.insights.label.NodeLabel;
import dev.parley.pipeline.cluster.ClusterEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Codecs of the intermediate artefacts of {@code analyze}: vectors, cluster trees, labels. */
public final class Artefacts {
  private Artefacts() {}

  /**
   * Vectors as little-endian float32 ({@code file}, the row format of {@code centroids.f32}) plus {@code file.json}
   * with ids, dimension and model.
   */
  public static void writeVectors(Path file, List<String> ids, float[][] vectors, String model) throws IOException {
    int dimension = vectors.length == 0 ? 0 : vectors[0].length;
    RunFolder.writeAtomically(file, out -> CentroidFiles.writeData(out, dimension, vectors));
    ObjectNode meta = Json.object();
    meta.put("version", 1);
    meta.put("model", model);
    meta.put("dimension", dimension);
    ArrayNode idArray = meta.putArray("ids");
    ids.forEach(idArray::add);
    RunFolder.writeAtomically(meta(file), out -> out.write(Json.write(meta).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  public record Vectors(List<String> ids, float[][] vectors, String model) {}

  public static Vectors readVectors(Path file) throws IOException {
    JsonNode meta = Json.mapper().readTree(meta(file).toFile());
    List<String> ids = new ArrayList<>();
    meta.path("ids").forEach(n -> ids.add(n.asText()));
    int dimension = meta.path("dimension").asInt();
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length != (long) ids.size() * dimension * 4) {
      throw new BadInputException(file + ": expected " + ((long) ids.size() * dimension * 4) + " bytes, found " + bytes.length);
    }
    return new Vectors(ids, CentroidFiles.readData(bytes, ids.size(), dimension), meta.path("model").asText());
  }

  private static Path meta(Path file) {
    return file.resolveSibling(file.getFileName() + ".json");
  }

  /** A clustering's tree and details ({@link ClusterEngine.Result}) as one JSON document. */
  public static void writeTree(Path file, ClusterEngine.Result result) throws IOException {
    ClusterTree tree = result.tree();
    ObjectNode root = Json.object();
    root.put("version", 1);
    root.set("details", result.details());
    root.put("dimension", tree.dimension());
    ArrayNode pointLeaf = root.putArray("point_leaf");
    for (int leaf : tree.pointLeaf()) {
      pointLeaf.add(leaf);
    }
    ArrayNode nodes = root.putArray("nodes");
    for (ClusterTree.Node node : tree.nodes()) {
      ObjectNode n = nodes.addObject();
      n.put("index", node.index());
      n.put("parent", node.parent());
      n.put("depth", node.depth());
      ArrayNode children = n.putArray("children");
      node.children().forEach(children::add);
      ArrayNode centroid = n.putArray("centroid");
      for (float v : node.centroid()) {
        centroid.add(v);
      }
      ArrayNode members = n.putArray("members");
      for (int p : node.memberPoints()) {
        members.add(p);
      }
    }
    RunFolder.writeAtomically(file, out -> Json.mapper().writeValue(out, root));
  }

  public static ClusterEngine.Result readTree(Path file) throws IOException {
    JsonNode root = Json.mapper().readTree(file.toFile());
    int[] pointLeaf = ints(root.path("point_leaf"));
    List<ClusterTree.Node> nodes = new ArrayList<>();
    for (JsonNode n : root.path("nodes")) {
      List<Integer> children = new ArrayList<>();
      n.path("children").forEach(c -> children.add(c.asInt()));
      JsonNode c = n.path("centroid");
      float[] centroid = new float[c.size()];
      for (int i = 0; i < centroid.length; i++) {
        centroid[i] = (float) c.get(i).asDouble();
      }
      int[] members = ints(n.path("members"));
      nodes.add(new ClusterTree.Node(n.path("index").asInt(), n.path("parent").asInt(), n.path("depth").asInt(), members.length, children, centroid, members));
    }
    JsonNode details = root.path("details");
    return new ClusterEngine.Result(new ClusterTree(nodes, pointLeaf, root.path("dimension").asInt()),
        details.isObject() ? (ObjectNode) details : Json.object());
  }

  private static int[] ints(JsonNode array) {
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asInt();
    }
    return values;
  }

  public static void writeLabeling(Path file, Labeling labeling) throws IOException {
    ObjectNode root = Json.object();
    root.put("version", 1);
    root.set("stats", Json.mapper().valueToTree(labeling.stats()));
    ArrayNode labels = root.putArray("labels");
    for (NodeLabel l : labeling.labels()) {
      ObjectNode n = labels.addObject();
      n.put("node", l.node());
      n.put("label", l.label());
      n.put("description", l.description());
      ArrayNode keywords = n.putArray("keywords");
      l.keywords().forEach(keywords::add);
      ArrayNode examples = n.putArray("examples");
      l.examples().forEach(examples::add);
      n.put("source", l.source().name());
      n.put("sample_size", l.sampleSize());
      n.put("fps_coverage", l.fpsCoverage());
      n.put("random_coverage", l.randomCoverage());
    }
    RunFolder.writeAtomically(file, out -> Json.mapper().writeValue(out, root));
  }

  public static Labeling readLabeling(Path file) throws IOException {
    JsonNode root = Json.mapper().readTree(file.toFile());
    List<NodeLabel> labels = new ArrayList<>();
    for (JsonNode n : root.path("labels")) {
      List<String> keywords = new ArrayList<>();
      n.path("keywords").forEach(k -> keywords.add(k.asText()));
      List<Integer> examples = new ArrayList<>();
      n.path("examples").forEach(e -> examples.add(e.asInt()));
      labels.add(new NodeLabel(n.path("node").asInt(), n.path("label").asText(), n.path("description").asText(), keywords, examples,
          LabelSource.valueOf(n.path("source").asText()), n.path("sample_size").asInt(), n.path("fps_coverage").asDouble(),
          n.path("random_coverage").asDouble()));
    }
    LabelingStats stats = Json.mapper().treeToValue(root.path("stats"), LabelingStats.class);
    return new Labeling(labels, stats);
  }
}
