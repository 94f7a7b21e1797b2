package dev.parley.cli.commands;

import dev.parley.agent.Orchestrator;
import dev.parley.agent.definition.AgentCatalog;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.metrics.PriceTable;
import dev.parley.agent.turn.EngineConfig;
import dev.parley.cli.CommonOptions;
import dev.parley.cli.Pipelines;
import dev.parley.cli.Stores;
import dev.parley.cli.insights.Env;
import dev.parley.core.chat.ChatModel;
import dev.parley.pipeline.PipelineComponents;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import dev.parley.server.insights.InsightsApi;
import dev.parley.store.Database;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./parley serve}: the HTTP API (DESIGN §5) until stopped (Ctrl-C / SIGTERM). */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
        "Runs the HTTP API: agent sessions and messages (JSON or SSE), events, /health and /metrics.",
        "The model provider is --llm (default: the one whose API key is set: ANTHROPIC_API_KEY, then OPENAI_API_KEY);",
        "ANTHROPIC_BASE_URL / OPENAI_BASE_URL point it at any compatible server. Create API keys with ./parley keys create.",
        "The admin API (/v1/admin/flags, /v1/admin/gate) is on when PARLEY_ADMIN_TOKEN is set.",
        "Binds 127.0.0.1 unless --host says otherwise. /metrics is open on the API's port unless --metrics-port moves it",
        "or PARLEY_METRICS_TOKEN (or --metrics-token) puts it behind a bearer token."})
public final class ServeCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--port", paramLabel = "P", defaultValue = "8080", description = "TCP port (default ${DEFAULT-VALUE}; 0 = any free port).")
  int port;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = ServerConfig.DEFAULT_HOST,
      description = "Interface to bind (default ${DEFAULT-VALUE}: this machine only; 0.0.0.0 = every interface).")
  String host = ServerConfig.DEFAULT_HOST;

  @Option(names = "--metrics-port", paramLabel = "P",
      description = "Serve /metrics on this port (same interface) instead of the API's port (default: the API's port).")
  @Nullable Integer metricsPort;

  @Option(names = "--metrics-token", paramLabel = "TOKEN",
      description = "Bearer token /metrics requires (at least 16 characters; default: PARLEY_METRICS_TOKEN, else none). "
          + "Prefer the variable: a command line is visible to every user of the machine.")
  @Nullable String metricsToken;

  @Option(names = "--agents", paramLabel = "DIR", description = "Folder of agent folders (default examples/agents).")
  @Nullable Path agents;

  @Option(names = "--model", paramLabel = "NAME", description = "Use this model for every agent instead of each agent.yaml's model.")
  @Nullable String model;

  @Option(names = "--summary-model", paramLabel = "NAME", description = "Model of the rolling summaries (default: each agent's summary_model).")
  @Nullable String summaryModel;

  @Option(names = "--prices", paramLabel = "FILE", description = "Price table (YAML, USD per million tokens) for cost per conversation.")
  @Nullable Path prices;

  @Option(names = "--cors", paramLabel = "ORIGIN", split = ",", description = "Allow browser calls from these origins (default: CORS off).")
  List<String> cors = new ArrayList<>();

  @Option(names = "--max-body-bytes", paramLabel = "N", defaultValue = "262144", description = "Largest request body (default ${DEFAULT-VALUE}).")
  long maxBodyBytes;

  @Option(names = "--flag-guard-interval", paramLabel = "SECONDS", defaultValue = "30",
      description = "How often the rollout guard checks the flags that have a guard (./parley flags set NAME --guard-...; default ${DEFAULT-VALUE}).")
  int flagGuardIntervalSeconds;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> env = System.getenv();
    AgentCatalog catalog = AgentOptions.catalog(agents == null ? AgentOptions.defaultAgentsDir() : agents);
    String provider = AgentOptions.provider(common, spec, env);
    ChatModel chat = AgentOptions.model(provider, env);
    ServerConfig config = ServerConfig.defaults(port).withHost(host).withMaxBodyBytes(maxBodyBytes).withCorsOrigins(cors)
        .withAdminToken(Optional.ofNullable(env.get("PARLEY_ADMIN_TOKEN")).filter(t -> !t.isBlank()))
        .withMetricsPort(metricsPort == null ? OptionalInt.empty() : OptionalInt.of(metricsPort))
        .withMetricsToken(Optional.ofNullable(metricsToken).or(() -> Optional.ofNullable(env.get("PARLEY_METRICS_TOKEN"))).filter(t -> !t.isBlank()))
        .withFlagGuardInterval(Duration.ofSeconds(flagGuardIntervalSeconds));
    EngineConfig engine = EngineConfig.defaults();
    if (model != null) {
      engine = engine.withModelOverride(model);
    }
    if (summaryModel != null) {
      engine = engine.withSummaryModel(summaryModel);
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Database db = Stores.open(common);
    Orchestrator orchestrator = Orchestrator.builder(db.jdbi(), catalog, chat)
        .registry(registry)
        .prices(prices == null ? PriceTable.defaults() : PriceTable.load(prices))
        .config(engine)
        .build();
    ParleyServer server;
    try {
      server = ParleyServer.start(config, orchestrator, db.jdbi(), registry, new InsightsApi(PipelineComponents.over(db, Pipelines.config(common, true, Env.current()).build())));
    } catch (RuntimeException e) {
      orchestrator.close();
      db.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      orchestrator.close();
      db.close();
      stopped.countDown();
    }, "parley-shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    out.printf("Parley API listening on http://%s:%d (provider %s, agents: %s, store: %s)%n", host, server.port(), chat.provider(),
        catalog.all().stream().map(AgentDefinition::name).collect(Collectors.joining(", ")), db.description());
    server.metricsPort().ifPresent(p -> out.printf("Metrics on http://%s:%d/metrics%n", host, p));
    out.flush();
    stopped.await();
    return 0;
  }
}
