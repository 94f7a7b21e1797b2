package dev.parley.cli.commands;

import dev.parley.agent.metrics.DecisionGate.Arm;
import dev.parley.agent.metrics.DecisionGate.ArmFigures;
import dev.parley.agent.metrics.DecisionGate.Figures;
import dev.parley.agent.metrics.DecisionGate;
import dev.parley.cli.CommonOptions;
import dev.parley.cli.Stores;
import dev.parley.core.json.Json;
import dev.parley.store.Database;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./parley gate}: the seed's Phase-3 decision gate (keep or roll back the context window), computed by {@link DecisionGate}. */
@Command(
    name = "gate",
    mixinStandardHelpOptions = true,
    description = {
        "Prints the decision gate's figures from the store (every tenant): turns per completed session (avg, p95, max), tokens and cost",
        "per completed conversation with the flag on vs off (sessions split by the flag value their turns recorded), and how often users",
        "repeat what the context window folded away (token Jaccard >= 0.5 with a folded user message). The same JSON as GET /v1/admin/gate."})
public final class GateCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--agent", paramLabel = "NAME", description = "Only this agent's sessions (default: every agent).")
  @Nullable String agent;

  @Option(names = "--flag", paramLabel = "NAME", defaultValue = "context_window",
      description = "The flag whose buckets split the sessions (default ${DEFAULT-VALUE}).")
  String flag = "context_window";

  @Option(names = "--since", paramLabel = "ISO", description = "Only sessions created at or after this instant or date (2025-06-01T00:00:00Z, 2025-06-01).")
  @Nullable String since;

  @Option(names = "--json", description = "Print the figures as one JSON object (every figure with its sample size).")
  boolean json;

  @Override
  public Integer call() {
    DecisionGate.Query query = DecisionGate.Query.parse(Optional.ofNullable(agent), Optional.of(flag), Optional.ofNullable(since));
    DecisionGate.Report report;
    try (Database db = Stores.open(common)) {
      report = new DecisionGate(db.jdbi()).compute(query);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(report.toJson()));
    } else {
      table(out, report);
    }
    out.flush();
    return 0;
  }

  private static final List<Arm> COLUMNS = List.of(Arm.ALL, Arm.ON, Arm.OFF);

  /** The figures as a small table: one column per arm (mixed and unrecorded sessions only counted). */
  static void table(PrintWriter out, DecisionGate.Report r) {
    DecisionGate.Query q = r.query();
    out.printf("Decision gate: flag %s, agent %s, sessions since %s%n", q.flag().key(), q.agent().orElse("(all)"),
        q.since().map(Object::toString).orElse("(all time)"));
    out.printf("%-28s %12s %12s %12s %10s%n", "", "all", "on", "off", "on/off");
    row(out, r, "sessions", a -> OptionalDouble.of((double) a.sessions()), "%.0f", Optional.empty());
    row(out, r, "completed", a -> OptionalDouble.of((double) a.completed()), "%.0f", Optional.empty());
    figure(out, r, "turns / completed session", ArmFigures::turns, "%.2f", "%.0f");
    figure(out, r, "tokens / conversation", ArmFigures::tokens, "%.0f", "%.0f");
    figure(out, r, "cost / conversation (USD)", ArmFigures::cost, "%.6f", "%.6f");
    out.printf("mixed sessions (rollout changed mid-session): %d; without recorded flags: %d%n", r.arm(Arm.MIXED).sessions(),
        r.arm(Arm.UNRECORDED).sessions());
    DecisionGate.Repeats rep = r.repeats();
    out.printf("repeats of folded information: %d of %d user messages (%s) in %d sessions with folding (token Jaccard >= 0.5)%n",
        rep.repeats(), rep.judged(), rep.share().isPresent() ? String.format(Locale.ROOT, "%.1f %%", 100 * rep.share().getAsDouble()) : "n/a",
        rep.sessions());
  }

  private static void figure(PrintWriter out, DecisionGate.Report r, String label, Function<ArmFigures, Figures> figure, String avgFormat,
      String valueFormat) {
    row(out, r, label + " avg", a -> figure.apply(a).avg(), avgFormat, Optional.of(figure));
    row(out, r, label + " p95", a -> figure.apply(a).p95(), valueFormat, Optional.empty());
    row(out, r, label + " max", a -> figure.apply(a).max(), valueFormat, Optional.empty());
  }

  private static void row(PrintWriter out, DecisionGate.Report r, String label, Function<ArmFigures, OptionalDouble> value, String format,
      Optional<Function<ArmFigures, Figures>> ratioOf) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-28s", label));
    for (Arm arm : COLUMNS) {
      OptionalDouble v = value.apply(r.arm(arm));
      line.append(String.format(Locale.ROOT, " %12s", v.isPresent() ? String.format(Locale.ROOT, format, v.getAsDouble()) : "-"));
    }
    OptionalDouble ratio = ratioOf.map(r::ratio).orElse(OptionalDouble.empty());
    line.append(String.format(Locale.ROOT, " %10s", ratio.isPresent() ? String.format(Locale.ROOT, "%.3f", ratio.getAsDouble()) : ""));
    out.println(line.toString().stripTrailing());
  }
}
