package dev.parley.pipeline.stage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import dev.parley.insights.label.Labeling;
import dev.parley.insights.label.LabelingStats;
import dev.parley.insights.label.LlmLabeler;
import dev.parley.insights.label.NodeLabel;
import dev.parley.insights.pipeline.ClusterRun;
import dev.parley.insights.pipeline.RunAssembler;
import dev.parley.insights.pipeline.Trends;
import dev.parley.insights.privacy.PrivacyOutcome;
import dev.parley.insights.report.HtmlReport;
import dev.parley.insights.report.ReportModel;
import dev.parley.pipeline.cluster.ClusterEngine;
import dev.parley.pipeline.config.ClusterSettings;
import dev.parley.pipeline.embed.Embedding;
import dev.parley.pipeline.folder.RunFolder;
import dev.parley.pipeline.folder.RunManifest;
import dev.parley.pipeline.item.ClusterItem;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The last stage of every run, never skipped (each run gets its own id): assembles the run from the tree,
 * labels and privacy outcome, renders the report, writes the run folder (DESIGN §4) and hands the run to
 * the store when there is one.
 */
public final class ReportStage {
  private final ClusterSettings settings;
  private final Optional<LlmLabeler> llm;

  public ReportStage(ClusterSettings settings, Optional<LlmLabeler> llm) {
    this.settings = requireNonNull(settings, "settings is null");
    this.llm = requireNonNull(llm, "llm is null");
  }

  /**
   * What a finished run is written from.
   *
   * @param kind {@code cluster} or {@code analyze}
   * @param input the input's description for run.json ({@code path}, {@code hash}, counts)
   * @param engineParameters the clustering parameters ({@link ClusterEngine#parameters()})
   * @param extra further run.json sections (e.g. analyze's stage summary), copied in as they are
   * @param facts further report summary lines, shown after the standard ones
   * @param tenant the tenant the run belongs to
   */
  public record Finish(
      Path dir, String runId, String kind, Instant createdAt, String title, List<ClusterItem> items, float[][] vectors, String model,
      ObjectNode input, String inputHash, ObjectNode engineParameters, PrivacyOutcome privacy, Labeling labeling,
      Timings timings, ObjectNode extra, List<ReportModel.Fact> facts, String tenant) {}

  /** The written run. */
  public record Finished(ClusterRun run, RunManifest manifest, ObjectNode runJson, Path report) {}

  public Finished finish(Finish f) {
    List<String> ids = f.items().stream().map(ClusterItem::id).toList();
    List<String> texts = f.items().stream().map(ClusterItem::text).toList();
    ClusterRun run = f.timings().time("assemble", () -> RunAssembler.assemble(ids, texts, f.vectors(), f.privacy(), f.labeling(), f.model()));
    RunManifest manifest = manifest(f, run);
    String html = f.timings().time("report", () -> HtmlReport.render(new ReportModel(
        f.title(), f.runId(), f.createdAt(), run.assignments().size(), run.noiseCount(), run.clusters(),
        Trends.compute(run.assignments(), f.items().stream().map(ClusterItem::at).toList(), 30),
        facts(f, run), f.timings().forReport())));
    // Timings in run.json include the report itself; the page shows those known when it was rendered.
    manifest = manifest.withTimings(f.timings().asOrderedMap());
    ObjectNode runJson = manifest.toJson();
    RunFolder.write(f.dir(), f.runId(), run, runJson, html);
    return new Finished(run, manifest, runJson, f.dir().resolve(RunFolder.REPORT));
  }

  private RunManifest manifest(Finish f, ClusterRun run) {
    ObjectNode parameters = Json.object();
    parameters.set("clustering", f.engineParameters());
    ObjectNode own = settings.toJson();
    own.remove("seed");
    parameters.setAll(own);
    ObjectNode embedding = parameters.putObject("embedding");
    embedding.put("model", f.model());
    embedding.put("dimension", run.centroids().dimension());
    ObjectNode llmNode = parameters.putObject("llm");
    llmNode.put("provider", llm.map(LlmLabeler::provider).orElse("none"));
    llm.ifPresent(l -> llmNode.put("batch_size", l.params().batchSize()).put("max_concurrency", l.params().maxConcurrency()));
    ObjectNode summary = Json.object();
    summary.put("items", run.assignments().size());
    summary.put("clusters", run.clusters().size());
    summary.put("top_level", run.clusters().stream().filter(c -> c.parent().isEmpty()).count());
    summary.put("leaves", run.leafCount());
    summary.put("noise", run.noiseCount());
    summary.put("noise_share", round(run.noiseShare()));
    summary.put("max_depth", run.clusters().stream().mapToInt(c -> c.depth()).max().orElse(-1) + 1);
    summary.put("redacted", run.clusters().stream().filter(c -> c.redacted()).count());
    summary.put("merged_by_privacy", f.privacy().mergedNodes());
    LabelingStats stats = f.labeling().stats();
    ObjectNode labels = summary.putObject("labelling");
    labels.put("nodes_sampled", stats.nodes());
    labels.put("fps_coverage_mean", round(stats.meanFpsCoverage()));
    labels.put("random_coverage_mean", round(stats.meanRandomCoverage()));
    labels.put("fps_low_coverage_mean", round(stats.meanFpsLowCoverage()));
    labels.put("random_low_coverage_mean", round(stats.meanRandomLowCoverage()));
    labels.put("fps_at_least_random", stats.fpsWins());
    labels.put("llm_calls", stats.llmCalls());
    labels.put("llm_retries", stats.llmRetries());
    labels.put("llm_fallbacks", stats.llmFallbacks());
    labels.put("input_tokens", stats.inputTokens());
    labels.put("output_tokens", stats.outputTokens());
    ObjectNode sources = labels.putObject("sources");
    for (NodeLabel label : f.labeling().labels()) {
      String key = label.source().wireName();
      sources.put(key, sources.path(key).asInt(0) + 1);
    }
    ObjectNode versions = Json.object();
    String version = ReportStage.class.getPackage().getImplementationVersion();
    versions.put("parley", version == null ? "dev" : version);
    versions.put("java", Runtime.version().toString());
    versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    versions.put("run_folder", RunFolder.VERSION);
    return new RunManifest(RunFolder.VERSION, f.runId(), f.kind(), f.tenant(), f.createdAt(), f.input(), f.inputHash(), settings.seed(),
        parameters, f.timings().asOrderedMap(), summary, f.extra(), versions);
  }

  private List<ReportModel.Fact> facts(Finish f, ClusterRun run) {
    List<ReportModel.Fact> facts = new ArrayList<>();
    facts.add(new ReportModel.Fact("Input", f.input().path("path").asText("")));
    facts.add(new ReportModel.Fact("Input hash", f.inputHash().substring(0, Math.min(16, f.inputHash().length()))));
    facts.addAll(f.facts());
    facts.add(new ReportModel.Fact("Embedding model", f.model() + " (" + run.centroids().dimension() + "-D)"));
    facts.add(new ReportModel.Fact("Labels", llm.map(l -> "LLM (" + l.provider() + "), map-reduce; offline fallback").orElse("offline: c-TF-IDF keywords + most central text")));
    LabelingStats stats = f.labeling().stats();
    facts.add(new ReportModel.Fact("Sample coverage (FPS vs random)",
        String.format(Locale.ROOT, "mean %.3f vs %.3f, 10th percentile %.3f vs %.3f (FPS at least as good on %d of %d clusters)",
            stats.meanFpsCoverage(), stats.meanRandomCoverage(), stats.meanFpsLowCoverage(), stats.meanRandomLowCoverage(), stats.fpsWins(), stats.nodes())));
    facts.add(new ReportModel.Fact("Privacy rule", String.format(Locale.ROOT, ">= %d users and >= %d conversations per shown cluster; %d merged, %d withheld",
        settings.privacy().minUsers(), settings.privacy().minConversations(), f.privacy().mergedNodes(), f.privacy().redacted().size())));
    facts.add(new ReportModel.Fact("Seed", Long.toString(settings.seed())));
    return facts;
  }

  public static double round(double v) {
    return Double.isNaN(v) ? 0 : Math.round(v * 10_000) / 10_000.0;
  }
}
