package dev.parley.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.cli.CommonOptions;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.insights.lineage.LineageMatcher;
import dev.parley.insights.lineage.TransitionKind;
import dev.parley.pipeline.lineage.RunLineage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./parley lineage --from DIR --to DIR --out OUT}: what became of each leaf of an old run in a new one.
 * The threshold defaults are {@link LineageMatcher#DEFAULT_CONTINUATION} and {@link LineageMatcher#DEFAULT_SECONDARY},
 * chosen by reasoning, not fitted; they are to be calibrated later.
 */
@Command(
    name = "lineage",
    mixinStandardHelpOptions = true,
    description = {
        "Lineage between two run folders of the same embedding model: leaves matched 1:1 on their centroids",
        "(Hungarian), then split (one old to several new) and merge (several old to one new) scans; the rest",
        "are births and deaths. Reads the folders only (no store, no model).",
        "OUT lines: {\"from\",\"to\",\"kind\",\"similarity\",\"from_size\",\"to_size\"}, kind continuation, split,",
        "merge, birth (from null) or death (to null)."})
public final class LineageCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "DIR", description = "The old run folder.")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  Path from;

  @Option(names = "--to", required = true, paramLabel = "DIR", description = "The new run folder.")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  Path to;

  @Option(names = "--out", required = true, paramLabel = "OUT", description = "Lineage lines to write (JSONL).")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  Path out;

  @Option(names = "--continuation", paramLabel = "COS", defaultValue = "0.85",
      description = "Cosine a 1:1 matched pair needs to be a continuation (default ${DEFAULT-VALUE}; reasoned, not yet calibrated).")
  double continuation = LineageMatcher.DEFAULT_CONTINUATION;

  @Option(names = "--secondary", paramLabel = "COS", defaultValue = "0.80",
      description = "Cosine of the split and merge scans, at most --continuation (default ${DEFAULT-VALUE}; reasoned, not yet calibrated).")
  double secondary = LineageMatcher.DEFAULT_SECONDARY;

  @Option(names = "--json", description = "Print a JSON summary on stdout.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    LineageMatcher matcher;
    try {
      matcher = new LineageMatcher(continuation, secondary);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--continuation / --secondary: " + e.getMessage(), e);
    }
    RunLineage.Result result = RunLineage.write(from, to, matcher, out);
    Map<TransitionKind, Integer> counts = result.counts();
    var o = spec.commandLine().getOut();
    if (json) {
      ObjectNode summary = Json.object();
      summary.put("from_run", result.fromRun());
      summary.put("to_run", result.toRun());
      counts.forEach((k, n) -> summary.put(k.wireName(), n));
      summary.put("out", out.toString());
      o.println(Json.write(summary));
    } else {
      String parts = counts.entrySet().stream().map(e -> e.getKey().wireName() + " " + e.getValue()).collect(Collectors.joining(", "));
      o.printf(Locale.ROOT, "lineage %s -> %s: %s; wrote %s%n", result.fromRun(), result.toRun(), parts, out);
    }
    o.flush();
    return 0;
  }
}
