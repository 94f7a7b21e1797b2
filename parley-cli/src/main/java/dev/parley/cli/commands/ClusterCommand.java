package dev.parley.cli.commands;

import dev.parley.cli.CommonOptions;
import dev.parley.cli.Pipelines;
import dev.parley.cli.RunOptions;
import dev.parley.cli.insights.Env;
import dev.parley.cli.runs.Progress;
import dev.parley.cli.runs.RunSummary;
import dev.parley.pipeline.ClusterJob;
import dev.parley.pipeline.PipelineComponents;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
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

  @Mixin RunOptions run;

  @Spec CommandSpec spec;

  @Option(names = "--in", required = true, paramLabel = "IN", description = "JSONL file or folder of .jsonl files.")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  Path in;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run folder to write (created if missing).")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  Path out;

  @Option(names = "--json", description = "Print a JSON summary on stdout.")
  boolean json;

  @Option(names = "--no-store", description = "Do not open the store: no run row, embeddings cached in memory only.")
  boolean noStore;

  @Option(names = "--title", paramLabel = "TEXT", description = "Report title (default: 'Cluster map of <input>').")
  @Nullable String title;

  @Override
  public Integer call() {
    var config = run.applyTo(Pipelines.config(common, !noStore, Env.current())).build();
    try (PipelineComponents components = PipelineComponents.open(config)) {
      ClusterJob.Result result = new ClusterJob(components, new Progress(spec.commandLine().getErr(), 5)).run(in, out, Optional.ofNullable(title));
      RunSummary.print(spec.commandLine().getOut(), json, result.runId(), out, result.finished(), result.timings(), List.of());
    }
    return 0;
  }
}
