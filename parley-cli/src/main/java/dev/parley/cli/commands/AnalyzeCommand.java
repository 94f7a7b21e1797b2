package dev.parley.cli.commands;

import dev.parley.cli.CommonOptions;
import dev.parley.cli.Pipelines;
import dev.parley.cli.RunOptions;
import dev.parley.cli.insights.Env;
import dev.parley.cli.runs.Progress;
import dev.parley.cli.runs.RunSummary;
import dev.parley.pipeline.AnalyzePipeline;
import dev.parley.pipeline.PipelineComponents;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./parley analyze IN [--out DIR]}: the whole understanding pipeline, resumable per stage. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
        "The main job: import -> triage -> segment -> summarize -> embed -> cluster -> label -> report.",
        "Writes DIR/report.html and the run folder (assignments.jsonl, clusters.json, centroids, run.json);",
        "each stage keeps its output in DIR/stages/, so a re-run reuses every stage whose input and settings",
        "did not change. Works offline; labels are better with --llm anthropic|openai."},
    footer = {"", "Default DIR: ./parley-out/<name of IN without extension>, so re-running the same command resumes."})
public final class AnalyzeCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Mixin RunOptions run;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IN", description = "Conversations: a .jsonl file or a folder of .jsonl files.")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  Path in;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default ./parley-out/<IN name>).")
  @Nullable Path out;

  @Option(names = "--json", description = "Print a JSON summary on stdout.")
  boolean json;

  @Option(names = "--force", description = "Run every stage again, ignoring earlier results in DIR/stages.")
  boolean force;

  @Option(names = "--no-store", description = "Do not open the store (no import, no run row; embeddings cached in memory).")
  boolean noStore;

  @Override
  public Integer call() {
    Path dir = Optional.ofNullable(out).orElseGet(() -> defaultOut(in));
    var config = run.applyTo(Pipelines.config(common, !noStore, Env.current())).build();
    try (PipelineComponents components = PipelineComponents.open(config)) {
      var err = spec.commandLine().getErr();
      AnalyzePipeline.Result result = new AnalyzePipeline(components, new Progress(err, AnalyzePipeline.STAGES.size())).run(in, dir, force);
      RunSummary.print(spec.commandLine().getOut(), json, result.runId(), dir, result.finished(), result.timings(), result.counts());
    }
    return 0;
  }

  static Path defaultOut(Path in) {
    String name = in.toAbsolutePath().normalize().getFileName().toString();
    int dot = name.lastIndexOf('.');
    return Path.of("parley-out", dot > 0 ? name.substring(0, dot) : name);
  }
}
