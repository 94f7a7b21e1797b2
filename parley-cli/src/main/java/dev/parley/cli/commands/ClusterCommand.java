package dev.parley.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.cli.CommonOptions;
import dev.parley.cli.runs.ClusterItem;
import dev.parley.cli.runs.ClusterPipeline;
import dev.parley.cli.runs.ClusterSettings;
import dev.parley.cli.runs.Embedding;
import dev.parley.cli.runs.HierarchyEngine;
import dev.parley.cli.runs.Inputs;
import dev.parley.cli.runs.Progress;
import dev.parley.cli.runs.RunIds;
import dev.parley.cli.runs.RunServices;
import dev.parley.cli.runs.RunStore;
import dev.parley.cli.runs.RunSummary;
import dev.parley.cli.runs.Timings;
import dev.parley.core.json.Json;
import dev.parley.insights.hierarchy.ClusterTree;
import dev.parley.insights.label.Labeling;
import dev.parley.insights.privacy.PrivacyOutcome;
import dev.parley.insights.privacy.PrivacyRule;
import dev.parley.store.runs.ClusterRunRepository;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./parley cluster --in IN --out DIR}: hierarchical clustering of texts or segments into a run folder. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
        "Hierarchical clustering of text items, conversations or segment summaries into a run folder:",
        "assignments.jsonl, clusters.json, centroids.f32 + centroids.json, run.json and report.html.",
        "IN lines may be text items {\"id\",\"text\"}, conversations, or segmentation output with summaries."})
public final class ClusterCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--in", required = true, paramLabel = "IN", description = "JSONL file or folder of .jsonl files.")
  Path in;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run folder to write (created if missing).")
  Path out;

  @Option(names = "--json", description = "Print a JSON summary on stdout.")
  boolean json;

  @Option(names = "--min-users", defaultValue = "5", paramLabel = "N",
      description = "Privacy: a cluster shown with label and examples needs at least N distinct users (default ${DEFAULT-VALUE}).")
  int minUsers;

  @Option(names = "--min-conversations", defaultValue = "10", paramLabel = "M",
      description = "Privacy: ... and at least M conversations (default ${DEFAULT-VALUE}).")
  int minConversations;

  @Option(names = "--no-store", description = "Do not open the store: no run row, embeddings cached in memory only.")
  boolean noStore;

  @Option(names = "--title", paramLabel = "TEXT", description = "Report title (default: 'Cluster map of <input>').")
  String title;

  @Override
  public Integer call() {
    if (minUsers < 0 || minConversations < 0) {
      throw new dev.parley.core.error.BadInputException("--min-users and --min-conversations must be >= 0, were " + minUsers + " and " + minConversations);
    }
    var err = spec.commandLine().getErr();
    Progress progress = new Progress(err, 5);
    Timings timings = new Timings();
    try (RunServices services = new RunServices(common, !noStore)) {
      progress.start("read");
      String inputHash = Inputs.hash(in);
      List<ClusterItem> items = timings.time("read", () -> Inputs.clusterItems(in));
      progress.done("read", items.size() + " items", timings.millis("read"));

      progress.start("embed");
      var model = services.embeddings();
      float[][] vectors = timings.time("embed", () -> Embedding.embedAll(model, items.stream().map(ClusterItem::text).toList(), err));
      progress.done("embed", model.id() + ", " + model.stats().cacheHits() + " cached, " + model.stats().embedded() + " embedded", timings.millis("embed"));

      ClusterSettings settings = ClusterSettings.defaults(common.seed(), new PrivacyRule(minUsers, minConversations));
      ClusterPipeline pipeline = new ClusterPipeline(settings, services.labeler());
      HierarchyEngine engine = new HierarchyEngine();
      progress.start("cluster");
      ClusterTree tree = timings.time("cluster", () -> engine.cluster(vectors, common.seed()));
      progress.done("cluster", tree.leaves().size() + " leaves, noise " + RunSummary.percent(tree.noiseShare()), timings.millis("cluster"));

      progress.start("label");
      PrivacyOutcome privacy = timings.time("privacy", () -> pipeline.privacy(tree, items, vectors));
      Labeling labeling = timings.time("label", () -> pipeline.label(privacy, items, vectors));
      progress.done("label", labeling.labels().size() + " clusters labelled", timings.millis("label"));

      progress.start("write");
      Instant now = Instant.now();
      String runId = RunIds.next("cluster", now, inputHash, settings.toJson());
      ObjectNode input = Json.object();
      input.put("path", in.toString());
      input.put("format", "jsonl");
      input.put("items", items.size());
      var finished = pipeline.finish(new ClusterPipeline.Finish(
          out, runId, "cluster", now, title != null ? title : "Cluster map of " + in.getFileName(), items, vectors, model.id(),
          input, inputHash, engine.parameters(), privacy, labeling, timings, extra(engine), List.of()));
      services.database().ifPresent(db -> timings.time("store", () -> {
        new RunStore(new ClusterRunRepository(db.jdbi())).save(runId, "cluster", now, finished.run(), finished.runJson(), out);
        return null;
      }));
      progress.done("write", out.toString(), timings.millis("report") + timings.millis("assemble"));
      RunSummary.print(spec.commandLine().getOut(), json, runId, out, finished, timings, List.of());
    }
    return 0;
  }

  private static ObjectNode extra(HierarchyEngine engine) {
    ObjectNode extra = Json.object();
    engine.lastDetails().ifPresent(details -> extra.set("clustering", details));
    return extra;
  }
}
