package dev.parley.bench.cli;

import static java.util.Objects.requireNonNull;

import dev.parley.agent.Orchestrator;
import dev.parley.agent.definition.AgentCatalog;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.sim.ModelScript;
import dev.parley.agent.sim.Script;
import dev.parley.agent.sim.ScriptReader;
import dev.parley.agent.sim.SimulationReport;
import dev.parley.agent.sim.Simulations;
import dev.parley.cli.CommonOptions;
import dev.parley.cli.Stores;
import dev.parley.cli.commands.AgentOptions;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.fakes.FakeAnthropicServer;
import dev.parley.llm.chat.ChatModels;
import dev.parley.llm.chat.ResilienceConfig;
import dev.parley.store.Database;
import dev.parley.store.TenantId;
import dev.parley.store.Tenants;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./parley simulate}: scripted conversations (model and user both scripted; the model is served by a
 * local fake Anthropic server over real HTTP) or an LLM playing a persona against the real agent model.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
        "Runs simulated users against an agent and reports phase adherence, blocked tool calls, completion, tokens, cost",
        "and latency. --script FILE replays scripted conversations (JSON Lines; see examples/simulations);",
        "--persona FILE --conversations N lets an LLM (--llm) play the persona. Exit code 1 when a tool call ran out of",
        "phase or with invalid input, or a script's expectation failed. Sessions are stored under tenant 'simulation'."})
public final class SimulateCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--agent", paramLabel = "DIR", required = true, description = "The agent folder.")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  Path agentDir;

  @ArgGroup(exclusive = true, multiplicity = "1")
  @SuppressWarnings("NullAway.Init") // multiplicity 1: picocli sets it before call()
  Mode mode;

  /** Exactly one of the two is set (an exclusive group of multiplicity 1). */
  static final class Mode {
    @Option(names = "--script", paramLabel = "FILE", description = "Scripted conversations, one JSON object per line.")
    @Nullable Path script;

    @Option(names = "--persona", paramLabel = "FILE", description = "Text describing the simulated user.")
    @Nullable Path persona;
  }

  @Option(names = "--conversations", paramLabel = "N", defaultValue = "5", description = "Persona conversations (default ${DEFAULT-VALUE}).")
  int conversations;

  @Option(names = "--max-turns", paramLabel = "N", defaultValue = "20", description = "Turns per persona conversation (default ${DEFAULT-VALUE}).")
  int maxTurns;

  @Option(names = "--user-model", paramLabel = "NAME", description = "Model that plays the persona (default: the provider's default model).")
  @Nullable String userModel;

  @Option(names = "--json", description = "Print the report as one JSON object.")
  boolean json;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the JSON report to FILE.")
  @Nullable Path out;

  @Override
  public Integer call() throws IOException {
    if (conversations < 1 || maxTurns < 1) {
      throw new BadInputException("--conversations and --max-turns must be >= 1");
    }
    AgentDefinition agent = AgentOptions.agent(agentDir);
    SimulationReport report;
    try (Database db = Stores.open(common)) {
      TenantId tenant = new Tenants(db.jdbi()).ensure("simulation");
      if (mode.script != null) {
        List<Script> scripts = ScriptReader.read(mode.script);
        try (FakeAnthropicServer fake = FakeAnthropicServer.start();
            Orchestrator orchestrator = Orchestrator.builder(db.jdbi(), AgentCatalog.of(agent),
                ChatModels.fromSpec("anthropic", fake.env("simulation"), ResilienceConfig.defaults().withMaxAttempts(1))).build();
            Progress progress = Progress.of("simulate", scripts.size())) {
          report = Simulations.scripted(orchestrator, ModelScript.of(fake::play, fake::reset), agent, tenant, scripts, progress);
        }
      } else {
        Path personaFile = requireNonNull(mode.persona, "mode.persona is null"); // not --script, so --persona
        String persona = Files.readString(personaFile, StandardCharsets.UTF_8);
        Map<String, String> env = System.getenv();
        String provider = AgentOptions.provider(common, spec, env);
        if (provider.equals("none")) {
          throw new BadInputException("--persona needs a model provider: --llm anthropic|openai with its API key set");
        }
        ChatModel chat = AgentOptions.model(provider, env);
        try (Orchestrator orchestrator = Orchestrator.builder(db.jdbi(), AgentCatalog.of(agent), chat).build();
            Progress progress = Progress.of("simulate", conversations)) {
          report = Simulations.persona(orchestrator, chat, userModel == null ? chat.defaultModel() : userModel, agent, tenant, persona,
              conversations, maxTurns, progress);
        }
      }
    }
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      w.println(Json.write(report.toJson()));
    } else {
      w.print(report.toText());
    }
    w.flush();
    if (out != null) {
      Files.writeString(out, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report.toJson()) + "\n", StandardCharsets.UTF_8);
    }
    return report.executedViolations() == 0 && report.expectationFailures().isEmpty() ? 0 : 1;
  }

  /** A progress bar on stderr when it is a terminal ({@code -Dparley.tty=true}, set by ./parley). */
  static final class Progress implements IntConsumer, AutoCloseable {
    private final @Nullable ProgressBar bar; // null when stderr is not a terminal

    private Progress(@Nullable ProgressBar bar) {
      this.bar = bar;
    }

    static Progress of(String task, int total) {
      if (!"true".equals(System.getProperty("parley.tty"))) {
        return new Progress(null);
      }
      return new Progress(new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUpdateIntervalMillis(250)
          .setConsumer(new ConsoleProgressBarConsumer(System.err)).clearDisplayOnFinish().build());
    }

    @Override
    public void accept(int done) {
      if (bar != null) {
        bar.stepTo(done);
      }
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
      }
    }
  }
}
