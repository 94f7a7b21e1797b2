package dev.parley.cli.runs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import dev.parley.pipeline.stage.ReportStage;
import dev.parley.pipeline.stage.Timings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The short summary a run prints at the end: human lines, or one JSON object with {@code --json}. */
public final class RunSummary {
  private RunSummary() {}

  /**
   * @param counts leading figures (e.g. conversations, segments), in order
   */
  public static void print(PrintWriter out, boolean json, String runId, Path dir, ReportStage.Finished finished,
      Timings timings, List<Map.Entry<String, Long>> counts) {
    var run = finished.run();
    long top = run.clusters().stream().filter(c -> c.parent().isEmpty()).count();
    if (json) {
      ObjectNode node = Json.object();
      node.put("run_id", runId);
      node.put("out", dir.toString());
      node.put("report", finished.report().toString());
      counts.forEach(e -> node.put(e.getKey(), e.getValue()));
      node.put("items", run.assignments().size());
      node.put("clusters", run.clusters().size());
      node.put("top_level", top);
      node.put("leaves", run.leafCount());
      node.put("noise", run.noiseCount());
      node.put("noise_share", ReportStage.round(run.noiseShare()));
      node.set("labelling", finished.runJson().path("summary").path("labelling"));
      node.set("timings_ms", timings.toJson());
      node.put("total_ms", timings.total());
      out.println(Json.write(node));
    } else {
      StringBuilder head = new StringBuilder();
      for (Map.Entry<String, Long> e : counts) {
        head.append(String.format(Locale.ROOT, "%,d %s, ", e.getValue(), e.getKey()));
      }
      out.printf(Locale.ROOT, "%s%,d items -> %d top-level / %d leaf clusters, noise %s, in %s%n",
          head, run.assignments().size(), top, run.leafCount(), percent(run.noiseShare()), Progress.seconds(timings.total()));
      StringBuilder stages = new StringBuilder("timings:");
      for (String stage : timings.stages()) {
        stages.append(' ').append(stage).append(' ').append(Progress.seconds(timings.millis(stage)));
        if (timings.wasReused(stage)) {
          stages.append(" (reused)");
        }
        stages.append(',');
      }
      out.println(stages.substring(0, stages.length() - 1));
      out.println("run " + runId + " in " + dir);
      out.println("report: " + finished.report());
    }
    out.flush();
  }

  public static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }
}
