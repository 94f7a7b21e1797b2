package dev.parley.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.core.json.Json;
import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.hdbscan.HdbscanOptions.Selection;
import dev.parley.insights.hierarchy.ClusterTree;
import dev.parley.insights.hierarchy.HierarchicalClusterer;
import dev.parley.insights.hierarchy.HierarchyParams;
import dev.parley.insights.hierarchy.LevelParams;
import dev.parley.insights.label.HierarchyLabeler;
import dev.parley.insights.label.Labeling;
import dev.parley.insights.label.LabelingInput;
import dev.parley.insights.pipeline.ClusterRun;
import dev.parley.insights.pipeline.RunAssembler;
import dev.parley.insights.pipeline.RunCentroids;
import dev.parley.insights.pipeline.RunCluster;
import dev.parley.insights.privacy.PrivacyGuard;
import dev.parley.insights.privacy.PrivacyOutcome;
import dev.parley.insights.privacy.PrivacyRule;
import dev.parley.insights.vector.VectorizationProvider;
import dev.parley.store.TenantId;
import dev.parley.store.runs.ClusterRunRepository;
import dev.parley.store.runs.StoredCluster;
import dev.parley.store.runs.StoredRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A small cluster run made with the real insights code (in-process embeddings, hierarchical clustering,
 * privacy rule, offline labels, run assembly) over short texts of four support topics, and ways to store it
 * as {@code ./parley cluster} does: rows through {@link ClusterRunRepository} and the centroid files of the
 * run folder (DESIGN §4).
 */
final class TinyRun {
  static final String[][] TOPICS = {
      {"my new card has not arrived yet", "when will my debit card be delivered", "the card delivery is late",
          "still waiting for the card in the mail", "track the delivery of my bank card", "my replacement card never arrived"},
      {"I forgot my password and cannot log in", "reset my account password please", "the password reset link does not work",
          "locked out after too many password attempts", "how do I change my login password", "password reset email never came"},
      {"book a flight to Boston next Friday", "find me a cheap flight to Denver", "I want to fly to Chicago in the morning",
          "reserve a plane ticket to Seattle", "one-way flight to Miami for two adults", "search flights from New York to Dallas"},
      {"reserve a table for four at an italian restaurant", "book dinner at a sushi place tonight", "restaurant reservation for two at 7pm",
          "find a table at a vegetarian restaurant", "make a booking at the steakhouse on Saturday", "dinner reservation for six people downtown"},
  };

  final List<String> ids = new ArrayList<>();
  final List<String> texts = new ArrayList<>();
  final List<Integer> topic = new ArrayList<>();
  final float[][] vectors;
  final ClusterRun run;
  final String model;

  TinyRun(EmbeddingModel embeddings) {
    // Each sentence twice, with a prefix, so every topic has 12 members: enough for the privacy rule (5 users, 10 conversations).
    for (int t = 0; t < TOPICS.length; t++) {
      for (String s : TOPICS[t]) {
        for (String prefix : new String[] {"", "Hi, "}) {
          ids.add("item-" + ids.size());
          texts.add(prefix + s);
          topic.add(t);
        }
      }
    }
    model = embeddings.id();
    vectors = embeddings.embed(texts);
    ClusterTree tree = new HierarchicalClusterer(VectorizationProvider.ops(), ComputePool.sequential()).fit(vectors, params(), 42).tree();
    String[] users = new String[texts.size()];
    String[] conversations = new String[texts.size()];
    for (int i = 0; i < users.length; i++) {
      users[i] = "user-" + (i % 11);
      conversations[i] = "conv-" + i;
    }
    PrivacyOutcome privacy = new PrivacyGuard(PrivacyRule.DEFAULT).apply(tree, vectors, users, conversations);
    Labeling labeling = HierarchyLabeler.offline().label(new LabelingInput(privacy.tree(), vectors, texts, privacy.redacted()), 42);
    run = RunAssembler.assemble(ids, texts, vectors, privacy, labeling, model);
  }

  /** One level, sized for 48 points (the defaults are tuned for tens of thousands). */
  private static HierarchyParams params() {
    return HierarchyParams.defaults().withLevels(List.of(
        new LevelParams(10, 5, 0.0, 200, 0.0, 6, 4, Selection.EOM, 1.0, 0.5, 0.5, 0)));
  }

  /** The leaf most members of topic {@code t} went to. */
  String leafOfTopic(int t) {
    Map<String, Integer> votes = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      if (topic.get(i) == t && !run.assignments().get(i).isNoise()) {
        votes.merge(run.assignments().get(i).leaf(), 1, Integer::sum);
      }
    }
    return votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  /**
   * Stores the run's rows as a run stored before migration V6 would be, or a damaged one: {@code withCentroids}
   * false leaves the leaves' centroid columns empty, {@code withThresholds} false their admission thresholds.
   * (A current run is stored by the pipeline's RunStore.)
   */
  void save(ClusterRunRepository repository, TenantId tenant, String runId, Instant created, Optional<Path> folder, boolean withCentroids,
      boolean withThresholds) {
    Map<String, Double> thresholds = new HashMap<>();
    for (int i = 0; i < run.centroids().ids().size(); i++) {
      thresholds.put(run.centroids().ids().get(i), run.centroids().thresholds()[i]);
    }
    Map<String, float[]> centroids = new HashMap<>();
    for (int i = 0; i < run.centroids().ids().size(); i++) {
      centroids.put(run.centroids().ids().get(i), run.centroids().vectors()[i]);
    }
    List<StoredCluster> clusters = new ArrayList<>();
    for (RunCluster c : run.clusters()) {
      clusters.add(new StoredCluster(c.id(), c.parent(), c.depth(), c.size(), c.label(), c.description(), c.keywords(), c.examples(),
          c.labelSource(), c.users(), c.conversations(), c.redacted(),
          withCentroids ? Optional.ofNullable(centroids.get(c.id())) : Optional.empty(),
          withThresholds && thresholds.containsKey(c.id()) ? OptionalDouble.of(thresholds.get(c.id())) : OptionalDouble.empty()));
    }
    ObjectNode parameters = Json.object();
    parameters.putObject("clustering").put("engine", "hierarchical-birch-umap-hdbscan");
    parameters.putObject("privacy").put("min_users", 5).put("min_conversations", 10);
    parameters.putObject("llm").put("provider", "none");
    ObjectNode timings = Json.object().put("embed", 12).put("cluster", 34);
    repository.save(tenant, new StoredRun(runId, "cluster", created, "ab".repeat(32), 42, model, run.centroids().dimension(), parameters,
        timings, run.assignments().size(), (int) run.noiseCount(), run.clusters().size(), (int) run.leafCount(),
        folder.map(p -> p.toAbsolutePath().toString()), Optional.empty()), clusters);
  }

  /** Writes {@code centroids.json} and {@code centroids.f32} (DESIGN §4) into {@code dir}. */
  void writeCentroids(Path dir) {
    RunCentroids c = run.centroids();
    ObjectNode meta = Json.object();
    meta.put("version", 1);
    ArrayNode idsNode = meta.putArray("ids");
    c.ids().forEach(idsNode::add);
    meta.put("dimension", c.dimension());
    meta.put("model", c.model());
    meta.put("count", c.ids().size());
    meta.put("dtype", "float32");
    meta.put("byte_order", "little-endian");
    meta.put("normalised", true);
    ArrayNode thresholds = meta.putArray("thresholds");
    for (double t : c.thresholds()) {
      thresholds.add(t);
    }
    ByteBuffer data = ByteBuffer.allocate(c.ids().size() * c.dimension() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] row : c.vectors()) {
      for (float v : row) {
        data.putFloat(v);
      }
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("centroids.json"), Json.write(meta));
      Files.write(dir.resolve("centroids.f32"), data.array());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
