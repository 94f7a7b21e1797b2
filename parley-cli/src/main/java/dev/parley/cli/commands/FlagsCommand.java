package dev.parley.cli.commands;

import dev.parley.agent.flags.Flag;
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
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./parley flags list|set}: the orchestrator's feature flags, read by running servers within seconds. */
@Command(
    name = "flags",
    mixinStandardHelpOptions = true,
    description = "Lists or changes feature flags (modular_prompts, context_window, prompt_caching); servers pick changes up within 2 s.",
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
        out.println(Json.write(Json.object().put("name", f.name()).put("enabled", f.enabled()).put("rollout", f.rollout())
            .put("description", f.description())));
      } else {
        out.printf("%-16s %-4s rollout %3d %%  %s%n", f.name(), f.enabled() ? "on" : "off", f.rollout(), f.description());
      }
    }
    out.flush();
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
          "Examples: flags set context_window --rollout 25; flags set modular_prompts --off"})
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

    @Option(names = "--json", description = "Print the stored flag as JSON.")
    boolean json;

    @Override
    public Integer call() {
      if (on && off) {
        throw new BadInputException("--on and --off exclude each other");
      }
      if (!on && !off && rollout == null) {
        throw new BadInputException("say what to set: --rollout P, --on or --off");
      }
      if (rollout != null && (rollout < 0 || rollout > 100)) {
        throw new BadInputException("--rollout must be in [0, 100], was " + rollout);
      }
      try (Database db = Stores.open(common)) {
        Flags flags = flags(db);
        Optional<Flag> current = flags.list().stream().filter(f -> f.name().equals(name)).findFirst();
        boolean enabled = !off;
        int percent = rollout != null ? rollout : off ? current.map(Flag::rollout).orElse(0) : 100;
        Flag stored = flags.set(name, enabled, percent);
        print(spec.commandLine().getOut(), List.of(stored), json);
      }
      return 0;
    }
  }
}
