package dev.parley.agent;

import static java.util.Objects.requireNonNull;

import dev.parley.agent.definition.AgentCatalog;
import dev.parley.agent.flags.FlagRepository;
import dev.parley.agent.flags.Flags;
import dev.parley.agent.flags.RolloutGuard;
import dev.parley.agent.metrics.AgentMetrics;
import dev.parley.agent.metrics.DecisionGate;
import dev.parley.agent.metrics.PriceTable;
import dev.parley.agent.tool.ToolExecutor;
import dev.parley.agent.tool.ToolHandlers;
import dev.parley.agent.turn.EngineConfig;
import dev.parley.agent.turn.SessionService;
import dev.parley.agent.turn.TurnEngine;
import dev.parley.agent.window.Summarizer;
import dev.parley.core.chat.ChatModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Wires the orchestrator's parts the same way for the server, the CLI, tests and benchmarks
 * (STYLE 22): sessions, the turn engine, flags and metrics over one store and one model.
 */
public final class Orchestrator implements AutoCloseable {
  private final AgentCatalog catalog;
  private final SessionService sessions;
  private final TurnEngine turns;
  private final Flags flags;
  private final RolloutGuard rolloutGuard;
  private final DecisionGate decisionGate;
  private final AgentMetrics metrics;
  private final Optional<ExecutorService> ownedExecutor;

  private Orchestrator(Builder b) {
    this.catalog = b.catalog;
    this.metrics = new AgentMetrics(b.registry);
    this.flags = new Flags(new FlagRepository(b.jdbi), b.clock, b.config.flagTtl());
    this.rolloutGuard = new RolloutGuard(flags, metrics, b.clock);
    this.decisionGate = new DecisionGate(b.jdbi);
    // Model calls run on virtual threads so the turn can time them out; one executor per orchestrator.
    ExecutorService executor = b.callExecutor.orElseGet(
        () -> Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("parley-model-", 0).factory()));
    this.ownedExecutor = b.callExecutor.isPresent() ? Optional.empty() : Optional.of(executor);
    HttpClient http = b.http.orElseGet(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
    this.sessions = new SessionService(b.jdbi, b.catalog, b.clock);
    this.turns = new TurnEngine(b.jdbi, b.catalog, b.model, new Summarizer(b.summaryModel.orElse(b.model)), flags,
        new ToolExecutor(b.handlers, http), metrics, b.prices, b.clock, executor, b.config);
  }

  public static Builder builder(org.jdbi.v3.core.Jdbi jdbi, AgentCatalog catalog, ChatModel model) {
    return new Builder(jdbi, catalog, model);
  }

  public AgentCatalog catalog() {
    return catalog;
  }

  public SessionService sessions() {
    return sessions;
  }

  public TurnEngine turns() {
    return turns;
  }

  public Flags flags() {
    return flags;
  }

  /** Steps flags whose turns fail too often back to 0 %; the server runs it periodically. */
  public RolloutGuard rolloutGuard() {
    return rolloutGuard;
  }

  /** The seed's Phase-3 decision gate over this orchestrator's store. */
  public DecisionGate decisionGate() {
    return decisionGate;
  }

  public AgentMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    try {
      ownedExecutor.ifPresent(ExecutorService::shutdownNow);
    } finally {
      // Gives up the lease owner lock, so that another process takes this one's sessions over at once.
      turns.close();
    }
  }

  /** Optional parts default to: same model for summaries, a simple registry, the shipped price table, UTC clock. */
  public static final class Builder {
    private final org.jdbi.v3.core.Jdbi jdbi;
    private final AgentCatalog catalog;
    private final ChatModel model;
    private Optional<ChatModel> summaryModel = Optional.empty();
    private MeterRegistry registry = new SimpleMeterRegistry();
    private PriceTable prices = PriceTable.defaults();
    private Clock clock = Clock.systemUTC();
    private EngineConfig config = EngineConfig.defaults();
    private ToolHandlers handlers = ToolHandlers.none();
    private Optional<HttpClient> http = Optional.empty();
    private Optional<ExecutorService> callExecutor = Optional.empty();

    private Builder(org.jdbi.v3.core.Jdbi jdbi, AgentCatalog catalog, ChatModel model) {
      this.jdbi = requireNonNull(jdbi, "jdbi is null");
      this.catalog = requireNonNull(catalog, "catalog is null");
      this.model = requireNonNull(model, "model is null");
    }

    public Builder summaryModel(ChatModel value) {
      this.summaryModel = Optional.of(requireNonNull(value, "summaryModel is null"));
      return this;
    }

    public Builder registry(MeterRegistry value) {
      this.registry = requireNonNull(value, "registry is null");
      return this;
    }

    public Builder prices(PriceTable value) {
      this.prices = requireNonNull(value, "prices is null");
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = requireNonNull(value, "clock is null");
      return this;
    }

    public Builder config(EngineConfig value) {
      this.config = requireNonNull(value, "config is null");
      return this;
    }

    public Builder handlers(ToolHandlers value) {
      this.handlers = requireNonNull(value, "handlers is null");
      return this;
    }

    public Builder http(HttpClient value) {
      this.http = Optional.of(requireNonNull(value, "http is null"));
      return this;
    }

    public Builder callExecutor(ExecutorService value) {
      this.callExecutor = Optional.of(requireNonNull(value, "callExecutor is null"));
      return this;
    }

    public Orchestrator build() {
      return new Orchestrator(this);
    }
  }
}
