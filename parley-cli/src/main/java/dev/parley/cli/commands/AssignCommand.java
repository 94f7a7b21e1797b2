package dev.parley.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.cli.CommonOptions;
import dev.parley.cli.runs.ClusterItem;
import dev.parley.cli.runs.Embedding;
import dev.parley.cli.runs.Inputs;
import dev.parley.cli.runs.RunFolder;
import dev.parley.core.error.BadInputException;
import dev.parley.core.embedding.InMemoryEmbeddingCache;
import dev.parley.core.json.Json;
import dev.parley.insights.pipeline.CentroidAssigner;
import dev.parley.insights.pipeline.RunAssignment;
import dev.parley.insights.pipeline.RunCentroids;
import dev.parley.core.embedding.CachingEmbeddingModel;
import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.llm.embed.EmbeddingModels;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./parley assign --run DIR --in IN --out OUT}: online assignment against a finished run's leaf centroids. */
@Command(
    name = "assign",
    mixinStandardHelpOptions = true,
    description = {
        "Assigns new items to the leaves of a finished run (nearest leaf centroid, cosine), or to noise when",
        "the similarity is below the leaf's admission threshold. Embeds with the run's own model.",
        "OUT lines: {\"id\",\"leaf\",\"path\":[top,...,leaf],\"similarity\"}."})
public final class AssignCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--run", required = true, paramLabel = "DIR", description = "A run folder written by cluster or analyze.")
  Path run;

  @Option(names = "--in", required = true, paramLabel = "IN", description = "Text items, conversations or segment summaries (JSONL).")
  Path in;

  @Option(names = "--out", required = true, paramLabel = "OUT", description = "Assignments to write (JSONL).")
  Path out;

  @Option(names = "--json", description = "Print a JSON summary on stdout.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    RunCentroids centroids = RunFolder.readCentroids(run);
    Map<String, List<String>> paths = paths(run.resolve(RunFolder.CLUSTERS));
    List<ClusterItem> items = Inputs.clusterItems(in);
    EmbeddingModel model = new CachingEmbeddingModel(EmbeddingModels.fromSpec(centroids.model()), new InMemoryEmbeddingCache());
    if (model.dimension() != centroids.dimension()) {
      throw new BadInputException("the run's model " + centroids.model() + " gives " + model.dimension()
          + "-D vectors but its centroids are " + centroids.dimension() + "-D");
    }
    float[][] vectors = Embedding.embedAll(model, items.stream().map(ClusterItem::text).toList(), spec.commandLine().getErr());
    CentroidAssigner assigner = new CentroidAssigner(centroids);
    long noise = 0;
    Map<String, Long> perLeaf = new HashMap<>();
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (int i = 0; i < items.size(); i++) {
        CentroidAssigner.Assignment a = assigner.assign(vectors[i]);
        ObjectNode node = Json.object();
        node.put("id", items.get(i).id());
        ArrayNode path;
        if (a.admitted()) {
          String leaf = centroids.ids().get(a.leaf());
          node.put("leaf", leaf);
          path = node.putArray("path");
          paths.getOrDefault(leaf, List.of(leaf)).forEach(path::add);
          perLeaf.merge(leaf, 1L, Long::sum);
        } else {
          node.put("leaf", RunAssignment.NOISE);
          node.putArray("path");
          noise++;
        }
        node.put("similarity", Double.isNaN(a.similarity()) ? 0 : Math.round(a.similarity() * 1e4) / 1e4);
        w.write(Json.write(node));
        w.write('\n');
      }
    }
    var o = spec.commandLine().getOut();
    if (json) {
      ObjectNode summary = Json.object();
      summary.put("items", items.size());
      summary.put("noise", noise);
      summary.put("leaves_used", perLeaf.size());
      summary.put("out", out.toString());
      o.println(Json.write(summary));
    } else {
      o.printf(Locale.ROOT, "assigned %,d items to %d leaves of %s, noise %.1f%%; wrote %s%n",
          items.size(), perLeaf.size(), run, items.isEmpty() ? 0.0 : 100.0 * noise / items.size(), out);
    }
    o.flush();
    return 0;
  }

  /** Leaf id to its path [top, ..., leaf], from clusters.json's parent links. */
  static Map<String, List<String>> paths(Path clustersJson) throws IOException {
    JsonNode root = Json.mapper().readTree(clustersJson.toFile());
    Map<String, String> parent = new HashMap<>();
    for (JsonNode c : root.path("clusters")) {
      parent.put(c.path("id").asText(), c.path("parent").isNull() ? null : c.path("parent").asText());
    }
    Map<String, List<String>> paths = new HashMap<>();
    for (String id : parent.keySet()) {
      List<String> path = new ArrayList<>();
      for (String k = id; k != null; k = parent.get(k)) {
        path.add(0, k);
      }
      paths.put(id, path);
    }
    return paths;
  }
}
