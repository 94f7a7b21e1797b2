package dev.parley.pipeline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.conversation.Conversation;
import dev.parley.core.json.Json;
import dev.parley.insights.label.Labeling;
import dev.parley.insights.privacy.PrivacyOutcome;
import dev.parley.insights.report.ReportModel;
import dev.parley.insights.segment.SegmentationModelJson;
import dev.parley.insights.triage.Taxonomy;
import dev.parley.insights.triage.TaxonomyParser;
import dev.parley.pipeline.cluster.ClusterEngine;
import dev.parley.pipeline.cluster.HierarchyEngine;
import dev.parley.pipeline.config.ClusterSettings;
import dev.parley.pipeline.folder.RunIds;
import dev.parley.pipeline.item.ClusterItem;
import dev.parley.pipeline.item.ConversationIndex;
import dev.parley.pipeline.item.Inputs;
import dev.parley.pipeline.item.Segmentation;
import dev.parley.pipeline.stage.ClusterStage;
import dev.parley.pipeline.stage.EmbedStage;
import dev.parley.pipeline.stage.ImportStage;
import dev.parley.pipeline.stage.LabelStage;
import dev.parley.pipeline.stage.ReportStage;
import dev.parley.pipeline.stage.SegmentStage;
import dev.parley.pipeline.stage.StageListener;
import dev.parley.pipeline.stage.StageRunner;
import dev.parley.pipeline.stage.SummarizeStage;
import dev.parley.pipeline.stage.Timings;
import dev.parley.pipeline.stage.TriageStage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The main job, {@code ./parley analyze IN --out DIR}: import, triage, segment, summarize, embed, cluster,
 * label, report, one named stage each. Every stage but the report writes its artefact under
 * {@code DIR/stages/} and is skipped on a re-run whose inputs and settings are unchanged ({@link StageRunner});
 * embeddings are also cached in the store, so even a fresh folder embeds nothing twice. Everything the run
 * produces is stored under the run's tenant.
 */
public final class AnalyzePipeline {
  public static final List<String> STAGES = List.of("import", "triage", "segment", "summarize", "embed", "cluster", "label", "report");

  private final PipelineComponents components;
  private final StageListener listener;

  public AnalyzePipeline(PipelineComponents components, StageListener listener) {
    this.components = requireNonNull(components, "components is null");
    this.listener = requireNonNull(listener, "listener is null");
  }

  /** What a finished job reports. */
  public record Result(String runId, ReportStage.Finished finished, Timings timings, List<Map.Entry<String, Long>> counts) {}

  /**
   * @param in a conversations file or folder (DESIGN §4)
   * @param out the run folder; its {@code stages/} holds what a re-run reuses
   * @param force run every stage again
   */
  public Result run(Path in, Path out, boolean force) {
    requireNonNull(in, "in is null");
    requireNonNull(out, "out is null");
    PipelineConfig config = components.config();
    ClusterSettings settings = config.clusterSettings();
    Timings timings = new Timings();
    StageRunner stages = new StageRunner(out.resolve("stages"), listener, timings, force);
    String inputHash = Inputs.hash(in);
    var embeddings = components.embeddings();
    var chat = components.chat();
    String llmName = config.llm();

    StageRunner.Done<List<Conversation>> imported = stages.run(new ImportStage(in, config.tenant(), components.database()), inputHash);
    List<Conversation> conversations = imported.value();

    Taxonomy taxonomy = TaxonomyParser.defaultTaxonomy();
    TriageStage triageStage = new TriageStage(conversations, taxonomy, chat, llmName, embeddings, config.seed());
    List<ObjectNode> triage = stages.run(triageStage, imported.key()).value();

    StageRunner.Done<List<Segmentation>> segments = stages.run(
        new SegmentStage(conversations, embeddings, SegmentationModelJson.bundled()), imported.key());
    StageRunner.Done<List<Segmentation>> summaries = stages.run(
        new SummarizeStage(conversations, segments.value(), chat, llmName, embeddings), segments.key());

    List<ClusterItem> items = items(conversations, summaries.value());
    StageRunner.Done<float[][]> embedded = stages.run(new EmbedStage(items, embeddings, listener), summaries.key());
    float[][] vectors = embedded.value();

    HierarchyEngine engine = components.clusterEngine();
    StageRunner.Done<ClusterEngine.Result> clustered = stages.run(new ClusterStage(vectors, engine, config.seed()), embedded.key());

    PrivacyOutcome privacy = LabelStage.privacy(clustered.value().tree(), items, vectors, settings);
    var labeler = components.labeler();
    Labeling labeling = stages.run(new LabelStage(privacy, items, vectors, settings, labeler), clustered.key()).value();

    // The report stage always runs: it is cheap, and each run gets its own id and store row.
    Instant now = Instant.now();
    String runId = RunIds.next("analyze", now, inputHash, settings.toJson());
    long start = System.nanoTime();
    int messages = conversations.stream().mapToInt(c -> c.messages().size()).sum();
    ObjectNode input = Json.object();
    input.put("path", in.toString());
    input.put("format", "conversations-jsonl");
    input.put("conversations", conversations.size());
    input.put("messages", messages);
    input.put("segments", items.size());
    ObjectNode extra = Json.object();
    ObjectNode analyze = extra.putObject("analyze");
    analyze.set("triage_types", Json.mapper().valueToTree(TriageStage.typeCounts(triage)));
    analyze.put("triage_backend", triageStage.backendName());
    analyze.put("segmenter", SegmentStage.METHOD);
    extra.set("clustering", clustered.value().details());
    analyze.put("summaries", config.usesLlm() ? "llm (extractive fallback)" : "extractive");
    analyze.put("stages_dir", out.resolve("stages").toString());
    List<ReportModel.Fact> facts = List.of(
        new ReportModel.Fact("Conversations", String.format("%,d (%,d messages)", conversations.size(), messages)),
        new ReportModel.Fact("Segments clustered", String.format("%,d (%s summaries)", items.size(), config.usesLlm() ? "LLM" : "extractive")),
        new ReportModel.Fact("Conversation types (triage)", triageLine(TriageStage.typeCounts(triage))));
    ReportStage report = new ReportStage(settings, labeler);
    ReportStage.Finished finished = report.finish(new ReportStage.Finish(
        out, runId, "analyze", now, "What users do: " + in.getFileName(), items, vectors, embeddings.id(), input, inputHash,
        engine.parameters(), privacy, labeling, timings, extra, facts, config.tenant()));
    components.runStore().ifPresent(store -> store.save(runId, "analyze", now, finished.run(), finished.runJson(), out));
    timings.record("write", (System.nanoTime() - start) / 1_000_000 - timings.millis("assemble") - timings.millis("report"));
    stages.note("last_run", Json.object().put("id", runId).put("finished_at", Instant.now().toString()));
    List<Map.Entry<String, Long>> counts = List.of(
        Map.entry("conversations", (long) conversations.size()),
        Map.entry("segments", (long) items.size()));
    return new Result(runId, finished, timings, counts);
  }

  /** One item per segment: its summary, its conversation's user, the time of its first message. */
  static List<ClusterItem> items(List<Conversation> conversations, List<Segmentation> summaries) {
    ConversationIndex byId = new ConversationIndex(conversations);
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

  private static String triageLine(Map<String, Integer> counts) {
    StringBuilder sb = new StringBuilder();
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(5)
        .forEach(e -> sb.append(sb.isEmpty() ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue()));
    return sb.toString();
  }
}
