package dev.parley.cli.runs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.conversation.Conversation;
import dev.parley.core.conversation.ConversationCodec;
import dev.parley.core.conversation.JsonLines;
import dev.parley.core.conversation.Message;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.insights.hierarchy.ClusterTree;
import dev.parley.insights.label.Labeling;
import dev.parley.insights.privacy.PrivacyOutcome;
import dev.parley.insights.report.ReportModel;
import dev.parley.insights.segment.SegmentationModel;
import dev.parley.insights.segment.SegmentationModelJson;
import dev.parley.insights.segment.TopicSegmenter;
import dev.parley.insights.summary.ExtractiveSummarizer;
import dev.parley.insights.summary.LlmSummarizer;
import dev.parley.insights.summary.Summary;
import dev.parley.insights.summary.SummaryRequest;
import dev.parley.insights.text.LlmCache;
import dev.parley.core.conversation.Speaker;
import java.util.stream.Collectors;
import dev.parley.insights.triage.LlmTriageBackend;
import dev.parley.insights.triage.OfflineTriageBackend;
import dev.parley.insights.triage.Taxonomy;
import dev.parley.insights.triage.TriageBackend;
import dev.parley.insights.triage.TriageEngine;
import dev.parley.insights.triage.TriageJson;
import dev.parley.insights.triage.TypeClassifierTrainer;
import dev.parley.insights.triage.TaxonomyParser;
import dev.parley.store.importer.ConversationImporter;
import dev.parley.store.runs.ClusterRunRepository;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The main job, {@code ./parley analyze IN --out DIR}: import, triage, segment, summarize, embed,
 * cluster, label, report. Each stage writes its artefact under {@code DIR/stages/} and is skipped on a
 * re-run whose inputs and parameters are unchanged (see {@link StageRunner}); embeddings are also cached
 * in the store, so even a re-run with a fresh folder embeds nothing twice.
 */
public final class AnalyzeJob {
  public static final List<String> STAGES = List.of("import", "triage", "segment", "summarize", "embed", "cluster", "label", "report");

  private final Path in;
  private final Path out;
  private final ClusterSettings settings;
  private final RunServices services;
  private final ClusterEngine engine;
  private final PrintWriter err;
  private final boolean force;

  public AnalyzeJob(Path in, Path out, ClusterSettings settings, RunServices services, ClusterEngine engine, PrintWriter err, boolean force) {
    this.in = requireNonNull(in, "in is null");
    this.out = requireNonNull(out, "out is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.services = requireNonNull(services, "services is null");
    this.engine = requireNonNull(engine, "engine is null");
    this.err = requireNonNull(err, "err is null");
    this.force = force;
  }

  /** What a finished job reports. */
  public record Result(String runId, ClusterPipeline.Finished finished, Timings timings, List<Map.Entry<String, Long>> counts, ObjectNode manifest) {}

  public Result run() {
    Timings timings = new Timings();
    StageRunner stages = new StageRunner(out.resolve("stages"), new Progress(err, STAGES.size()), timings, force);
    String inputHash = Inputs.hash(in);
    String modelId = services.embeddingModelId();
    ConversationCodec codec = new ConversationCodec();

    String importKey = StageRunner.key("import", inputHash, Json.object().put("store", services.database().isPresent()));
    List<Conversation> conversations = stages.run("import", importKey, "conversations.jsonl", new StageRunner.Stage<>() {
      @Override
      public List<Conversation> compute(Path artefact) throws IOException {
        List<Conversation> all = new ArrayList<>();
        for (Path file : JsonLines.inputFiles(in)) {
          all.addAll(JsonLines.readConversations(file));
        }
        if (all.isEmpty()) {
          throw new BadInputException("no conversations in " + in);
        }
        requireUniqueIds(all);
        services.database().ifPresent(db -> new ConversationImporter(db.jdbi()).importPath(in, "default"));
        writeLines(artefact, all.stream().map(codec::toLine).toList());
        return all;
      }

      @Override
      public List<Conversation> read(Path artefact) {
        return JsonLines.readConversations(artefact);
      }

      @Override
      public String describe(List<Conversation> result) {
        return result.size() + " conversations, " + result.stream().mapToInt(c -> c.messages().size()).sum() + " messages";
      }
    });

    Taxonomy taxonomy = TaxonomyParser.defaultTaxonomy();
    String triageBackend = services.llmName().equals("none") ? "offline-zero-shot" : "llm:" + services.llmName();
    String triageKey = StageRunner.key("triage", importKey, Json.object().put("model", modelId).put("taxonomy", taxonomy.name()).put("backend", triageBackend));
    List<ObjectNode> triage = stages.run("triage", triageKey, "triage.jsonl", new StageRunner.Stage<>() {
      @Override
      public List<ObjectNode> compute(Path artefact) throws IOException {
        TriageBackend backend = services.chat().<TriageBackend>map(chat -> new LlmTriageBackend(chat, "", LlmCache.inMemory()))
            .orElseGet(() -> new OfflineTriageBackend(
                new TypeClassifierTrainer(TypeClassifierTrainer.Options.defaults(settings.seed())).zeroShot(taxonomy, services.embeddings()),
                services.embeddings()));
        List<ObjectNode> result = new TriageEngine(backend, taxonomy).triage(conversations).stream().map(TriageJson::toJson).toList();
        writeLines(artefact, result.stream().map(Json::write).toList());
        return result;
      }

      @Override
      public List<ObjectNode> read(Path artefact) {
        return JsonLines.readAll(artefact, line -> (ObjectNode) Json.parse(line));
      }

      @Override
      public String describe(List<ObjectNode> result) {
        return result.size() + " conversations classified";
      }
    });

    SegmentationModel segmentationModel = SegmentationModelJson.bundled();
    String segmenterName = "calibrated-gate";
    String segmentKey = StageRunner.key("segment", importKey, Json.object().put("model", modelId).put("method", segmenterName)
        .put("calibration", SegmentationModelJson.write(segmentationModel)));
    List<Segmentation> segments = stages.run("segment", segmentKey, "segments.jsonl", segmentationStage(
        () -> topicSegments(new TopicSegmenter(services.embeddings(), segmentationModel), conversations), "segments"));

    String summarizeKey = StageRunner.key("summarize", segmentKey, Json.object().put("llm", services.llmName()).put("offline", "extractive-lexrank"));
    List<Segmentation> summaries = stages.run("summarize", summarizeKey, "summaries.jsonl",
        segmentationStage(() -> summarize(conversations, segments), "summaries"));

    List<ClusterItem> items = items(conversations, summaries);
    String embedKey = StageRunner.key("embed", summarizeKey, Json.object().put("model", modelId));
    float[][] vectors = stages.run("embed", embedKey, "embeddings.f32", new StageRunner.Stage<>() {
      @Override
      public float[][] compute(Path artefact) throws IOException {
        var model = services.embeddings();
        long hitsBefore = model.stats().cacheHits();
        float[][] result = Embedding.embedAll(model, items.stream().map(ClusterItem::text).toList(), err);
        err.printf("      %d of %d from the embedding cache%n", model.stats().cacheHits() - hitsBefore, result.length);
        Artefacts.writeVectors(artefact, items.stream().map(ClusterItem::id).toList(), result, modelId);
        return result;
      }

      @Override
      public float[][] read(Path artefact) throws IOException {
        return Artefacts.readVectors(artefact).vectors();
      }

      @Override
      public String describe(float[][] result) {
        return result.length + " summary vectors (" + modelId + ")";
      }
    });

    ObjectNode engineParameters = engine.parameters();
    String clusterKey = StageRunner.key("cluster", embedKey, engineParameters.deepCopy().put("seed", settings.seed()));
    ClusterTree tree = stages.run("cluster", clusterKey, "tree.json", new StageRunner.Stage<>() {
      @Override
      public ClusterTree compute(Path artefact) throws IOException {
        ClusterTree result = engine.cluster(vectors, settings.seed());
        Artefacts.writeTree(artefact, result);
        return result;
      }

      @Override
      public ClusterTree read(Path artefact) throws IOException {
        return Artefacts.readTree(artefact);
      }

      @Override
      public String describe(ClusterTree result) {
        return result.roots().size() + " top-level, " + result.leaves().size() + " leaves, noise " + RunSummary.percent(result.noiseShare());
      }
    });

    ClusterPipeline pipeline = new ClusterPipeline(settings, services.labeler());
    PrivacyOutcome privacy = pipeline.privacy(tree, items, vectors);
    String labelKey = StageRunner.key("label", clusterKey, settings.toJson().put("llm", services.llmName()));
    Labeling labeling = stages.run("label", labelKey, "labels.json", new StageRunner.Stage<>() {
      @Override
      public Labeling compute(Path artefact) throws IOException {
        Labeling result = pipeline.label(privacy, items, vectors);
        Artefacts.writeLabeling(artefact, result);
        return result;
      }

      @Override
      public Labeling read(Path artefact) throws IOException {
        return Artefacts.readLabeling(artefact);
      }

      @Override
      public String describe(Labeling result) {
        return result.labels().size() + " clusters labelled (" + services.llmName() + ")";
      }
    });

    // The report stage always runs: it is cheap, and each run gets its own id and store row.
    Instant now = Instant.now();
    String runId = RunIds.next("analyze", now, inputHash, settings.toJson());
    long start = System.nanoTime();
    ObjectNode input = Json.object();
    input.put("path", in.toString());
    input.put("format", "conversations-jsonl");
    input.put("conversations", conversations.size());
    input.put("messages", conversations.stream().mapToInt(c -> c.messages().size()).sum());
    input.put("segments", items.size());
    ObjectNode extra = Json.object();
    ObjectNode analyze = extra.putObject("analyze");
    analyze.set("triage_types", triageCounts(triage));
    analyze.put("triage_backend", triageBackend);
    analyze.put("segmenter", segmenterName);
    if (engine instanceof HierarchyEngine h) {
      h.lastDetails().ifPresent(details -> extra.set("clustering", details));
    }
    analyze.put("summaries", services.llmName().equals("none") ? "extractive" : "llm (extractive fallback)");
    analyze.put("stages_dir", stages.stagesDir().toString());
    Timings reportTimings = timings;
    List<ReportModel.Fact> facts = List.of(
        new ReportModel.Fact("Conversations", String.format("%,d (%,d messages)", conversations.size(), input.path("messages").asLong())),
        new ReportModel.Fact("Segments clustered", String.format("%,d (%s summaries)", items.size(),
            services.llmName().equals("none") ? "extractive" : "LLM")),
        new ReportModel.Fact("Conversation types (triage)", triageLine(triage)));
    ClusterPipeline.Finished finished = pipeline.finish(new ClusterPipeline.Finish(
        out, runId, "analyze", now, "What users do: " + in.getFileName(), items, vectors, modelId, input, inputHash, engineParameters,
        privacy, labeling, reportTimings, extra, facts));
    services.database().ifPresent(db -> new RunStore(new ClusterRunRepository(db.jdbi())).save(runId, "analyze", now, finished.run(), finished.runJson(), out));
    timings.record("write", (System.nanoTime() - start) / 1_000_000 - timings.millis("assemble") - timings.millis("report"));
    stages.note("last_run", Json.object().put("id", runId).put("finished_at", Instant.now().toString()));
    List<Map.Entry<String, Long>> counts = List.of(
        Map.entry("conversations", (long) conversations.size()),
        Map.entry("segments", (long) items.size()));
    return new Result(runId, finished, timings, counts, stages.manifest());
  }

  private StageRunner.Stage<List<Segmentation>> segmentationStage(java.util.function.Supplier<List<Segmentation>> work, String noun) {
    return new StageRunner.Stage<>() {
      @Override
      public List<Segmentation> compute(Path artefact) throws IOException {
        List<Segmentation> result = work.get();
        writeLines(artefact, result.stream().map(s -> Json.write(s.toJson())).toList());
        return result;
      }

      @Override
      public List<Segmentation> read(Path artefact) {
        return JsonLines.readAll(artefact, line -> Segmentation.fromJson(Json.parse(line)));
      }

      @Override
      public String describe(List<Segmentation> result) {
        return result.stream().mapToInt(s -> s.segments().size()).sum() + " " + noun;
      }
    };
  }

  /**
   * Segment summaries: by the LLM with {@code --llm} (batched, validated, cached), offline by extractive
   * centrality; a segment the LLM could not summarise gets the extractive summary.
   */
  private List<Segmentation> summarize(List<Conversation> conversations, List<Segmentation> segmentations) {
    Map<String, Conversation> byId = new LinkedHashMap<>();
    conversations.forEach(c -> byId.put(c.id(), c));
    List<SummaryRequest> requests = new ArrayList<>();
    for (Segmentation s : segmentations) {
      Conversation c = byId.get(s.conversationId());
      for (int i = 0; i < s.segments().size(); i++) {
        Segmentation.Segment segment = s.segments().get(i);
        List<Message> messages = c.messages().subList(segment.start(), segment.end());
        List<String> userTexts = messages.stream().filter(m -> m.speaker() == Speaker.USER).map(Message::text).toList();
        String transcript = messages.stream().map(m -> m.speaker().wireName() + ": " + m.text()).collect(Collectors.joining("\n"));
        requests.add(new SummaryRequest(c.id() + "#" + i, userTexts.isEmpty() ? List.of(messages.get(0).text()) : userTexts, transcript));
      }
    }
    Map<String, String> texts = new LinkedHashMap<>();
    services.chat().ifPresent(chat -> {
      for (Summary summary : new LlmSummarizer(chat, "", LlmCache.inMemory(), 8).summarize(requests).summaries()) {
        summary.text().filter(t -> !t.isBlank()).ifPresent(t -> texts.put(summary.id(), t));
      }
    });
    List<SummaryRequest> missing = requests.stream().filter(r -> !texts.containsKey(r.id())).toList();
    if (!missing.isEmpty()) {
      for (Summary summary : new ExtractiveSummarizer(services.embeddings()).summarize(missing)) {
        texts.put(summary.id(), summary.text().filter(t -> !t.isBlank()).orElse(""));
      }
    }
    List<Segmentation> out = new ArrayList<>();
    int r = 0;
    for (Segmentation s : segmentations) {
      List<Segmentation.Segment> segments = new ArrayList<>();
      for (Segmentation.Segment segment : s.segments()) {
        SummaryRequest request = requests.get(r++);
        String text = texts.getOrDefault(request.id(), "");
        // Never cluster an empty text: the segment's own words stand in.
        segments.add(new Segmentation.Segment(segment.start(), segment.end(),
            Optional.of(text.isBlank() ? String.join(" ", request.userTexts()) : text)));
      }
      out.add(new Segmentation(s.conversationId(), segments));
    }
    return out;
  }

  /** The calibrated segmentation model shipped with Parley, when this build has it. */
  private static List<Segmentation> topicSegments(TopicSegmenter segmenter, List<Conversation> conversations) {
    List<Segmentation> out = new ArrayList<>();
    for (dev.parley.insights.segment.Segmentation s : segmenter.segment(conversations)) {
      List<Segmentation.Segment> segments = s.segments().stream()
          .map(x -> new Segmentation.Segment(x.start(), x.end(), Optional.empty())).toList();
      out.add(new Segmentation(s.conversationId(), segments));
    }
    return out;
  }

  /** One item per segment: its summary, its conversation's user, the time of its first message. */
  static List<ClusterItem> items(List<Conversation> conversations, List<Segmentation> summaries) {
    Map<String, Conversation> byId = new LinkedHashMap<>();
    conversations.forEach(c -> byId.put(c.id(), c));
    List<ClusterItem> items = new ArrayList<>();
    for (Segmentation s : summaries) {
      Conversation c = byId.get(s.conversationId());
      for (int i = 0; i < s.segments().size(); i++) {
        Segmentation.Segment segment = s.segments().get(i);
        Optional<Instant> at = c.messages().get(segment.start()).at().or(c::effectiveStart);
        items.add(new ClusterItem(c.id() + "#" + i, segment.summary().orElse(""), c.user().orElse(""), c.id(), at));
      }
    }
    return items;
  }

  private static void requireUniqueIds(List<Conversation> conversations) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Conversation c : conversations) {
      if (!seen.add(c.id())) {
        throw new BadInputException("duplicate conversation id '" + c.id() + "' in " + "input");
      }
    }
  }

  private static JsonNode triageCounts(List<ObjectNode> triage) {
    TreeMap<String, Integer> counts = new TreeMap<>();
    triage.forEach(t -> counts.merge(t.path("stage1").path("type").asText(), 1, Integer::sum));
    return Json.mapper().valueToTree(counts);
  }

  private static String triageLine(List<ObjectNode> triage) {
    TreeMap<String, Integer> counts = new TreeMap<>();
    triage.forEach(t -> counts.merge(t.path("stage1").path("type").asText(), 1, Integer::sum));
    StringBuilder sb = new StringBuilder();
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(5)
        .forEach(e -> sb.append(sb.isEmpty() ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue()));
    return sb.toString();
  }

  static void writeLines(Path file, List<String> lines) throws IOException {
    RunFolder.writeAtomically(file, outStream -> {
      try (BufferedWriter w = new BufferedWriter(new java.io.OutputStreamWriter(outStream, StandardCharsets.UTF_8), 1 << 16)) {
        for (String line : lines) {
          w.write(line);
          w.write('\n');
        }
      }
    });
  }

}
