package dev.parley.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.cli.CommonOptions;
import dev.parley.cli.Pipelines;
import dev.parley.cli.TenantOption;
import dev.parley.cli.insights.Env;
import dev.parley.core.json.Json;
import dev.parley.pipeline.PipelineComponents;
import dev.parley.pipeline.assign.AssignableRun;
import dev.parley.pipeline.assign.OnlineAssigner;
import dev.parley.pipeline.assign.RunFolderRuns;
import dev.parley.pipeline.assign.RunUnavailableException;
import dev.parley.pipeline.folder.JsonlFiles;
import dev.parley.pipeline.item.ClusterItem;
import dev.parley.pipeline.item.Inputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
        "OUT lines: {\"id\",\"leaf\",\"path\":[top,...,leaf],\"label\",\"similarity\"}."})
public final class AssignCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Mixin TenantOption tenant;

  @Spec CommandSpec spec;

  @Option(names = "--run", required = true, paramLabel = "RUN",
      description = "A run folder written by cluster or analyze, or the id of one of the tenant's stored runs.")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  String run;

  @Option(names = "--in", required = true, paramLabel = "IN", description = "Text items, conversations or segment summaries (JSONL).")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  Path in;

  @Option(names = "--out", required = true, paramLabel = "OUT", description = "Assignments to write (JSONL).")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  Path out;

  @Option(names = "--json", description = "Print a JSON summary on stdout.")
  boolean json;

  @Option(names = "--no-store", description = "Do not open the store: embeddings cached in memory only; RUN must be a folder.")
  boolean noStore;

  @Override
  public Integer call() throws IOException {
    var config = Pipelines.config(common, !noStore, Env.current()).tenant(tenant.tenant()).build();
    try (PipelineComponents components = PipelineComponents.open(config)) {
      AssignableRun assignable = load(components);
      List<ClusterItem> items = Inputs.clusterItems(in);
      OnlineAssigner assigner = new OnlineAssigner(assignable, components.embeddingModels().model(assignable.centroids().model()));
      List<OnlineAssigner.Assignment> assignments = assigner.assign(items.stream().map(i -> new OnlineAssigner.Input(i.id(), i.text())).toList());
      if (out.toAbsolutePath().getParent() != null) {
        Files.createDirectories(out.toAbsolutePath().getParent());
      }
      JsonlFiles.write(out, assignments.stream().map(a -> Json.write(a.toJson())).toList());
      long noise = assignments.stream().filter(OnlineAssigner.Assignment::isNoise).count();
      Set<String> leaves = new HashSet<>();
      assignments.forEach(a -> a.leaf().ifPresent(leaves::add));
      var o = spec.commandLine().getOut();
      if (json) {
        ObjectNode summary = Json.object();
        summary.put("items", items.size());
        summary.put("noise", noise);
        summary.put("leaves_used", leaves.size());
        summary.put("out", out.toString());
        o.println(Json.write(summary));
      } else {
        o.printf(Locale.ROOT, "assigned %,d items to %d leaves of %s, noise %.1f%%; wrote %s%n",
            items.size(), leaves.size(), run, items.isEmpty() ? 0.0 : 100.0 * noise / items.size(), out);
      }
      o.flush();
    }
    return 0;
  }

  /** A folder when {@code --run} names one, else a stored run of the tenant. */
  private AssignableRun load(PipelineComponents components) {
    Path dir = Path.of(run);
    if (Files.isDirectory(dir)) {
      return RunFolderRuns.read(dir);
    }
    var runs = components.assignableRuns(1).orElseThrow(() -> new RunUnavailableException(RunUnavailableException.Reason.NOT_FOUND,
        "no run folder " + run + " (with --no-store, --run must be a folder)"));
    return runs.load(components.tenantId().orElseThrow(), run);
  }
}
