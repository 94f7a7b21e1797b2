package dev.parley.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.cli.CommonOptions;
import dev.parley.cli.Stores;
import dev.parley.core.json.Json;
import dev.parley.store.Database;
import dev.parley.store.TenantId;
import dev.parley.store.insights.TriageRepository;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./parley triage stats}: counts over the stored triage results. */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Stored triage results: counts by type and stage, type change rate, confidence and resolution distribution.")
public final class TriageStatsCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() {
    TriageRepository.Stats s;
    try (Database db = Stores.open(common)) {
      s = new TriageRepository(db.jdbi()).stats(TenantId.DEFAULT);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode node = Json.object();
      node.put("total", s.total());
      node.put("failed", s.failed());
      node.put("with_stage2", s.withStage2());
      node.set("stage1_types", Json.mapper().valueToTree(s.byStage1Type()));
      node.set("stage2_types", Json.mapper().valueToTree(s.byStage2Type()));
      node.set("stage1_confidence", Json.mapper().valueToTree(s.stage1Confidence()));
      node.set("stage2_confidence", Json.mapper().valueToTree(s.stage2Confidence()));
      if (Double.isNaN(s.changeRate())) {
        node.putNull("change_rate");
      } else {
        node.put("change_rate", s.changeRate());
      }
      node.set("resolution", Json.mapper().valueToTree(s.byResolution()));
      out.println(Json.write(node));
    } else {
      out.printf(Locale.ROOT, "triage results: %d (%d failed), %d with stage 2%n", s.total(), s.failed(), s.withStage2());
      table(out, "stage-1 type", s.byStage1Type(), s.total() - s.failed());
      table(out, "stage-2 type", s.byStage2Type(), s.withStage2());
      table(out, "stage-1 confidence", s.stage1Confidence(), s.total() - s.failed());
      out.printf(Locale.ROOT, "type changed in stage 2: %s%n", Double.isNaN(s.changeRate()) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * s.changeRate()));
      table(out, "resolution", s.byResolution(), s.total() - s.failed());
    }
    out.flush();
    return 0;
  }

  private static void table(PrintWriter out, String title, Map<String, Long> counts, long total) {
    out.println(title + ":");
    counts.forEach((k, v) -> out.printf(Locale.ROOT, "  %-28s %6d  %5.1f%%%n", k, v, total == 0 ? 0 : 100.0 * v / total));
  }
}
