package dev.parley.pipeline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import dev.parley.insights.label.Labeling;
import dev.parley.insights.privacy.PrivacyOutcome;
import dev.parley.pipeline.cluster.ClusterEngine;
import dev.parley.pipeline.cluster.HierarchyEngine;
import dev.parley.pipeline.config.ClusterSettings;
import dev.parley.pipeline.folder.RunIds;
import dev.parley.pipeline.item.ClusterItem;
import dev.parley.pipeline.item.Inputs;
import dev.parley.pipeline.stage.EmbedStage;
import dev.parley.pipeline.stage.LabelStage;
import dev.parley.pipeline.stage.ReportStage;
import dev.parley.pipeline.stage.StageListener;
import dev.parley.pipeline.stage.Timings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code ./parley cluster --in IN --out DIR}: the embed, cluster, label and report stages of {@link AnalyzePipeline}
 * over ready texts (text items, conversations or segment summaries), in one go: nothing here is worth resuming.
 */
public final class ClusterJob {
  private final PipelineComponents components;
  private final StageListener listener;

  public ClusterJob(PipelineComponents components, StageListener listener) {
    this.components = requireNonNull(components, "components is null");
    this.listener = requireNonNull(listener, "listener is null");
  }

  /** What a finished job reports. */
  public record Result(String runId, ReportStage.Finished finished, Timings timings) {}

  /** @param title the report's title; empty for "Cluster map of IN" */
  public Result run(Path in, Path out, Optional<String> title) {
    requireNonNull(in, "in is null");
    requireNonNull(out, "out is null");
    requireNonNull(title, "title is null");
    PipelineConfig config = components.config();
    ClusterSettings settings = config.clusterSettings();
    Timings timings = new Timings();

    listener.start("read");
    String inputHash = Inputs.hash(in);
    List<ClusterItem> items = timings.time("read", () -> Inputs.clusterItems(in));
    listener.done("read", items.size() + " items", timings.millis("read"));

    listener.start("embed");
    var model = components.embeddings();
    float[][] vectors = timings.time("embed", () -> new EmbedStage(items, model, listener).embed());
    listener.done("embed", model.id() + ", " + model.stats().cacheHits() + " cached, " + model.stats().embedded() + " embedded", timings.millis("embed"));

    HierarchyEngine engine = components.clusterEngine();
    listener.start("cluster");
    ClusterEngine.Result clustered = timings.time("cluster", () -> engine.cluster(vectors, config.seed()));
    listener.done("cluster", clustered.tree().leaves().size() + " leaves, noise "
        + String.format(Locale.ROOT, "%.1f%%", clustered.tree().noiseShare() * 100), timings.millis("cluster"));

    listener.start("label");
    var labeler = components.labeler();
    PrivacyOutcome privacy = timings.time("privacy", () -> LabelStage.privacy(clustered.tree(), items, vectors, settings));
    Labeling labeling = timings.time("label", () -> new LabelStage(privacy, items, vectors, settings, labeler).label());
    listener.done("label", labeling.labels().size() + " clusters labelled", timings.millis("label"));

    listener.start("write");
    Instant now = Instant.now();
    String runId = RunIds.next("cluster", now, inputHash, settings.toJson());
    ObjectNode input = Json.object();
    input.put("path", in.toString());
    input.put("format", "jsonl");
    input.put("items", items.size());
    ObjectNode extra = Json.object();
    extra.set("clustering", clustered.details());
    ReportStage.Finished finished = new ReportStage(settings, labeler).finish(new ReportStage.Finish(
        out, runId, "cluster", now, title.orElse("Cluster map of " + in.getFileName()), items, vectors, model.id(),
        input, inputHash, engine.parameters(), privacy, labeling, timings, extra, List.of(), config.tenant()));
    components.runStore().ifPresent(store -> timings.time("store", () -> {
      store.save(runId, "cluster", now, finished.run(), finished.runJson(), out);
      return null;
    }));
    listener.done("write", out.toString(), timings.millis("report") + timings.millis("assemble"));
    return new Result(runId, finished, timings);
  }
}
