package dev.parley.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.flags.Flag;
import dev.parley.agent.flags.FlagGuard;
import dev.parley.agent.flags.FlagRepository;
import dev.parley.agent.flags.Flags;
import dev.parley.cli.CommonOptions;
import dev.parley.cli.Stores;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.store.Database;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./parley flags list|set}: the orchestrator's feature flags, read by running servers within seconds. */
@Command(
    name = "flags",
    mixinStandardHelpOptions = true,
    description = "Lists or changes feature flags (modular_prompts, context_window, prompt_caching) and their rollout guards; servers pick changes up within 2 s.",
    subcommands = {FlagsCommand.ListFlags.class, FlagsCommand.Set.class})
public final class FlagsCommand implements Runnable {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: one of " + String.join(", ", spec.subcommands().keySet()));
  }

  static Flags flags(Database db) {
    return new Flags(new FlagRepository(db.jdbi()), Clock.systemUTC(), Duration.ZERO);
  }

  static void print(PrintWriter out, List<Flag> flags, boolean json) {
    for (Flag f : flags) {
      if (json) {
        ObjectNode line = Json.object().put("name", f.name()).put("enabled", f.enabled()).put("rollout", f.rollout())
            .put("description", f.description());
        line.set("guard", f.guard().settings());
        out.println(Json.write(line));
      } else {
        out.printf("%-16s %-4s rollout %3d %%  %s%s%n", f.name(), f.enabled() ? "on" : "off", f.rollout(), f.description(), guardText(f.guard()));
      }
    }
    out.flush();
  }

  /** {@code  [guard: > 1.00 % errors of >= 50 turns in 900 s]}, or nothing for a flag without an enabled guard. */
  static String guardText(FlagGuard g) {
    return g.enabled()
        ? String.format(Locale.ROOT, "  [guard: rollback above %.2f %% errors of >= %d turns in %d s]", 100 * g.maxErrorRate(), g.minTurns(),
            g.window().toSeconds())
        : "";
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the flags with their stored (or default) values.")
  static final class ListFlags implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Spec CommandSpec spec;

    @Option(names = "--json", description = "One JSON object per flag and line.")
    boolean json;

    @Override
    public Integer call() {
      try (Database db = Stores.open(common)) {
        print(spec.commandLine().getOut(), flags(db).list(), json);
      }
      return 0;
    }
  }

  @Command(name = "set", mixinStandardHelpOptions = true,
      description = {"Sets a flag. --rollout P turns it on for P %% of sessions (Unleash buckets: murmur3(\"<flag>:<session id>\") %% 100 + 1 <= P).",
          "A guard (off by default) steps the rollout back to 0 %% by itself when the turns that ran with the flag on fail more often than",
          "--guard-max-error-rate (checked every 30 s by ./parley serve; a flag_rolled_back event and signal are stored).",
          "Examples: flags set context_window --rollout 25; flags set modular_prompts --off;",
          "  flags set context_window --rollout 25 --guard-max-error-rate 0.01 --guard-min-turns 50 --guard-window 15m"})
  static final class Set implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "modular_prompts, context_window or prompt_caching.")
    @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
    String name;

    @Option(names = "--rollout", paramLabel = "P", description = "Percentage of sessions (0-100) the flag is on for.")
    @Nullable Integer rollout;

    @Option(names = "--on", description = "Turn the flag on (for everyone unless --rollout).")
    boolean on;

    @Option(names = "--off", description = "Turn the flag off for everyone.")
    boolean off;

    @Option(names = "--guard", negatable = true,
        description = "Turn the flag's rollout guard on (--no-guard: off, settings kept). Any --guard-* option turns it on too.")
    @Nullable Boolean guard;

    @Option(names = "--guard-max-error-rate", paramLabel = "R",
        description = "Roll back when more than this share of the flag's turns fail (0-1; default 0.01, the seed's error-rate alert of 1 percent).")
    @Nullable Double guardMaxErrorRate;

    @Option(names = "--guard-min-turns", paramLabel = "N", description = "Judge only on at least N turns with the flag on (default 50).")
    @Nullable Integer guardMinTurns;

    @Option(names = "--guard-window", paramLabel = "D", description = "Count the turns of the last D (900, 90s, 15m, 2h or PT15M; default 15m).")
    @Nullable String guardWindow;

    @Option(names = "--json", description = "Print the stored flag as JSON.")
    boolean json;

    @Override
    public Integer call() {
      if (on && off) {
        throw new BadInputException("--on and --off exclude each other");
      }
      boolean guardChange = guard != null || guardMaxErrorRate != null || guardMinTurns != null || guardWindow != null;
      if (!on && !off && rollout == null && !guardChange) {
        throw new BadInputException("say what to set: --rollout P, --on, --off or a --guard option");
      }
      if (rollout != null && (rollout < 0 || rollout > 100)) {
        throw new BadInputException("--rollout must be in [0, 100], was " + rollout);
      }
      if (guardMaxErrorRate != null && !(guardMaxErrorRate >= 0 && guardMaxErrorRate <= 1)) {
        throw new BadInputException("--guard-max-error-rate must be in [0, 1], was " + guardMaxErrorRate);
      }
      if (guardMinTurns != null && (guardMinTurns < 1 || guardMinTurns > 1_000_000)) {
        throw new BadInputException("--guard-min-turns must be in [1, 1000000], was " + guardMinTurns);
      }
      Optional<Duration> window = Optional.ofNullable(guardWindow).map(w -> FlagGuard.parseWindow(w, "--guard-window"));
      try (Database db = Stores.open(common)) {
        Flags flags = flags(db);
        Flag current = flags.get(name);
        boolean onOff = on || off || rollout != null;
        boolean enabled = onOff ? !off : current.enabled();
        int percent = rollout != null ? rollout : off ? current.rollout() : on ? 100 : current.rollout();
        Flag stored;
        if (guardChange) {
          FlagGuard changed;
          try {
            changed = current.guard().with(Optional.ofNullable(guard), guardMaxErrorRate == null ? OptionalDouble.empty() : OptionalDouble.of(guardMaxErrorRate),
                guardMinTurns == null ? OptionalInt.empty() : OptionalInt.of(guardMinTurns), window);
          } catch (IllegalArgumentException e) {
            throw new BadInputException("--guard-window: " + e.getMessage(), e);
          }
          stored = flags.set(name, enabled, percent, changed);
        } else {
          stored = flags.set(name, enabled, percent);
        }
        print(spec.commandLine().getOut(), List.of(stored), json);
      }
      return 0;
    }
  }
}
