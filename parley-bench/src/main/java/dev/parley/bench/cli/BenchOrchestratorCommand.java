package dev.parley.bench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.Orchestrator;
import dev.parley.agent.definition.AgentCatalog;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.persist.MessageRepository;
import dev.parley.agent.persist.SessionRepository;
import dev.parley.agent.prompt.TokenEstimator;
import dev.parley.agent.session.MessageKind;
import dev.parley.agent.session.Session;
import dev.parley.agent.session.StoredMessage;
import dev.parley.agent.sim.ModelScript;
import dev.parley.agent.sim.Script;
import dev.parley.agent.sim.ScriptReader;
import dev.parley.agent.sim.Simulations;
import dev.parley.agent.turn.TurnListener;
import dev.parley.agent.turn.TurnReply;
import dev.parley.agent.turn.TurnRequest;
import dev.parley.cli.CommonOptions;
import dev.parley.cli.commands.AgentOptions;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.chat.Usage;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.fakes.FakeAnthropicServer;
import dev.parley.fakes.FakeReply;
import dev.parley.llm.chat.ChatModels;
import dev.parley.llm.chat.ResilienceConfig;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import dev.parley.store.ApiKeys;
import dev.parley.store.Database;
import dev.parley.store.StoreConfig;
import dev.parley.store.TenantId;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./parley bench orchestrator}: what the orchestrator adds to a turn, and how it holds up.
 * <ol>
 *   <li>Overhead per turn (turn wall time minus model and tool time) at 10, 100 and 1,000 messages of
 *       history, context window off (baseline) and on, against a zero-latency fake model.</li>
 *   <li>200 concurrent sessions over HTTP against a fake model with 500 ms latency: errors and throughput,
 *       against the ideal (sessions / latency).</li>
 *   <li>Prompt tokens per model call with {@code modular_prompts} off (baseline, the seed's monolithic
 *       prompt) and on, replaying the CoachMira happy-path script.</li>
 *   <li>Cache-read tokens with {@code prompt_caching} on, as the fake server simulates Anthropic's cache.</li>
 * </ol>
 * Everything runs in a throwaway embedded PostgreSQL unless {@code --db} is given.
 */
@Command(
    name = "orchestrator",
    mixinStandardHelpOptions = true,
    description = {
        "Orchestrator benchmark: overhead per turn at 10/100/1000 messages of history with the context window off",
        "(baseline) and on; N concurrent sessions against a fake model with fixed latency; prompt tokens with",
        "modular prompts off (baseline) and on; cache-read tokens with prompt caching."})
public final class BenchOrchestratorCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--agents", paramLabel = "DIR", description = "Folder of agent folders (default examples/agents); uses coachmira.")
  @Nullable Path agents;

  @Option(names = "--turns", paramLabel = "N", defaultValue = "60", description = "Measured turns per history size and window setting (default ${DEFAULT-VALUE}).")
  int turns;

  @Option(names = "--sessions", paramLabel = "N", defaultValue = "200", description = "Concurrent sessions (default ${DEFAULT-VALUE}).")
  int sessions;

  @Option(names = "--session-turns", paramLabel = "N", defaultValue = "3", description = "Turns per concurrent session (default ${DEFAULT-VALUE}).")
  int sessionTurns;

  @Option(names = "--latency-ms", paramLabel = "MS", defaultValue = "500", description = "Fake model latency of the concurrency run (default ${DEFAULT-VALUE}).")
  int latencyMs;

  @Option(names = "--sizes", paramLabel = "N", split = ",", defaultValue = "10,100,1000", description = "History sizes (default ${DEFAULT-VALUE}).")
  List<Integer> sizes = new ArrayList<>();

  @Option(names = "--json", description = "Print the results as one JSON object.")
  boolean json;

  private static final String FILLER =
      "We talked about how my clients find me, what I charge, and how my week goes; this message is here to make history long. ";

  @Override
  public Integer call() throws Exception {
    if (turns < 5 || sessions < 1 || sessionTurns < 1 || latencyMs < 0) {
      throw new BadInputException("--turns must be >= 5, --sessions and --session-turns >= 1, --latency-ms >= 0");
    }
    Path dir = agents == null ? AgentOptions.defaultAgentsDir() : agents;
    AgentDefinition agent = AgentOptions.catalog(dir).find("coachmira")
        .orElseThrow(() -> new BadInputException(dir + " has no coachmira agent"));
    Path scriptFile = dir.resolveSibling("simulations/coachmira-happy.jsonl");
    List<Script> happy = ScriptReader.read(scriptFile);
    PrintWriter out = spec.commandLine().getOut();
    ObjectNode results = Json.object();
    results.put("machine", Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version());
    Path home = null;
    Optional<String> url = common.dbUrl();
    if (url.isEmpty()) {
      home = Files.createTempDirectory("parley-bench-orchestrator-");
    }
    try (Database db = Database.open(new StoreConfig(url, home == null ? common.home() : home));
        FakeAnthropicServer fake = FakeAnthropicServer.start()) {
      fake.recording(false);
      ChatModel model = ChatModels.fromSpec("anthropic", fake.env("bench"), ResilienceConfig.defaults().withMaxAttempts(1));
      results.set("overhead", overhead(db, fake, model, agent, out));
      results.set("concurrency", concurrency(db, fake, model, agent, out));
      results.set("prompt_tokens", promptTokens(db, fake, model, agent, happy, out));
    } finally {
      if (home != null) {
        deleteTree(home);
      }
    }
    if (json) {
      out.println(Json.write(results));
    }
    out.flush();
    return 0;
  }

  // ------------------------------------------------------------------ overhead per turn

  private ObjectNode overhead(Database db, FakeAnthropicServer fake, ChatModel model, AgentDefinition agent, PrintWriter out) {
    fake.reset().latency(Duration.ZERO);
    fake.respondWith(r -> FakeReply.text(r.model().contains("haiku") ? "Summary: the coach described clients, prices and weekly routine." : "Tell me more about that."));
    ObjectNode node = Json.object();
    ArrayNode rows = node.putArray("rows");
    if (!json) {
      out.println("Overhead per turn (turn wall time - model time - tool time), zero-latency fake model, " + turns + " turns each:");
      out.printf(Locale.ROOT, "  %-9s %-12s %10s %10s %10s %12s%n", "history", "window", "p50 ms", "p95 ms", "mean ms", "msgs sent");
      out.flush();
    }
    try (Orchestrator orchestrator = Orchestrator.builder(db.jdbi(), AgentCatalog.of(agent), model).build()) {
      // Warm the JIT and the pools on a throwaway session first, so the first configuration is not penalised.
      Session warm = seeded(db, orchestrator, agent, 10);
      for (int i = 0; i < 40; i++) {
        orchestrator.turns().send(TurnRequest.message(TenantId.DEFAULT, warm.id(), "Warm-up " + i + ": " + FILLER), TurnListener.NONE);
      }
      for (int size : sizes) {
        double p95Off = 0;
        for (boolean window : new boolean[] {false, true}) {
          orchestrator.flags().set("context_window", window, window ? 100 : 0);
          Session session = seeded(db, orchestrator, agent, size);
          double[] overheads = new double[turns];
          int warmup = 5;
          for (int i = 0; i < warmup + turns; i++) {
            long t0 = System.nanoTime();
            TurnReply reply = orchestrator.turns().send(TurnRequest.message(TenantId.DEFAULT, session.id(), "Turn " + i + ": " + FILLER), TurnListener.NONE);
            double wall = (System.nanoTime() - t0) / 1e6;
            JsonNode turn = reply.json().path("turn");
            if (i >= warmup) {
              overheads[i - warmup] = Math.max(0, wall - turn.path("model_ms").asDouble() - turn.path("tool_ms").asDouble());
            }
          }
          Arrays.sort(overheads);
          double p50 = percentile(overheads, 0.50);
          double p95 = percentile(overheads, 0.95);
          double mean = Arrays.stream(overheads).average().orElse(0);
          int historyNow = db.jdbi().withHandle(h -> MessageRepository.list(h, TenantId.DEFAULT, session.id(),
              window ? SessionRepository.find(h, TenantId.DEFAULT, session.id()).orElseThrow().summaryThrough() : 0).size());
          rows.addObject().put("history", size).put("window", window).put("p50_ms", p50).put("p95_ms", p95).put("mean_ms", mean)
              .put("messages_sent_at_end", historyNow);
          if (!window) {
            p95Off = p95;
          }
          if (!json) {
            out.printf(Locale.ROOT, "  %-9d %-12s %10.2f %10.2f %10.2f %12d%s%n", size, window ? "on" : "off (base)", p50, p95, mean, historyNow,
                window ? String.format(Locale.ROOT, "   p95 on/off = %.2f", p95 / Math.max(p95Off, 1e-9)) : "");
            out.flush();
          }
        }
      }
      orchestrator.flags().set("context_window", true, 100);
    }
    return node;
  }

  /** A session whose history already holds {@code size} messages (alternating user / assistant text). */
  private static Session seeded(Database db, Orchestrator orchestrator, AgentDefinition agent, int size) {
    Session session = orchestrator.sessions().create(TenantId.DEFAULT, agent.name(), Optional.of("bench"), Json.object().put("user_name", "Dana"));
    Instant now = Instant.now();
    db.jdbi().useTransaction(h -> {
      for (int i = 1; i <= size; i++) {
        MessageKind kind = i % 2 == 1 ? MessageKind.USER : MessageKind.ASSISTANT;
        List<ContentBlock> blocks = List.of(new ContentBlock.Text((kind == MessageKind.USER ? "Message " : "Answer ") + i + ". " + FILLER));
        MessageRepository.insert(h, TenantId.DEFAULT, new StoredMessage(session.id(), i, UUID.randomUUID(), Optional.empty(), kind, blocks,
            TokenEstimator.blocks(blocks), "context", now));
      }
      SessionRepository.addStats(h, TenantId.DEFAULT, session.id(), 0, size, Usage.ZERO, 0, now);
    });
    return session;
  }

  // ------------------------------------------------------------------ concurrency

  private ObjectNode concurrency(Database db, FakeAnthropicServer fake, ChatModel model, AgentDefinition agent, PrintWriter out) throws Exception {
    fake.reset().latency(Duration.ofMillis(latencyMs));
    fake.respondWith(r -> FakeReply.text("Tell me more about that."));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    String key = new ApiKeys(db.jdbi()).create("bench").key();
    ObjectNode node = Json.object();
    try (Orchestrator orchestrator = Orchestrator.builder(db.jdbi(), AgentCatalog.of(agent), model).registry(registry).build();
        ParleyServer server = ParleyServer.start(ServerConfig.defaults(0).withHost("127.0.0.1"), orchestrator, db.jdbi(), registry)) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
      String base = "http://127.0.0.1:" + server.port();
      AtomicInteger errors = new AtomicInteger();
      List<String> firstErrors = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
      long t0 = System.nanoTime();
      try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> futures = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
          futures.add(clients.submit(() -> {
            try {
              HttpResponse<String> created = post(http, base + "/v1/sessions", key, "{\"agent\":\"coachmira\"}");
              if (created.statusCode() != 201) {
                errors.incrementAndGet();
                firstErrors.add("create " + created.statusCode() + " " + created.body());
                return;
              }
              String id = Json.parse(created.body()).path("id").asText();
              for (int t = 0; t < sessionTurns; t++) {
                long s0 = System.nanoTime();
                HttpResponse<String> r = post(http, base + "/v1/sessions/" + id + "/messages", key, "{\"text\":\"Turn " + t + ": " + FILLER + "\"}");
                latencies.add((System.nanoTime() - s0) / 1e6);
                if (r.statusCode() != 200) {
                  errors.incrementAndGet();
                  firstErrors.add("turn " + r.statusCode() + " " + r.body());
                }
              }
            } catch (IOException e) {
              errors.incrementAndGet();
              firstErrors.add(e.toString());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }));
        }
        for (Future<?> f : futures) {
          f.get();
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      int total = sessions * sessionTurns;
      double throughput = total / seconds;
      double ideal = latencyMs == 0 ? Double.NaN : sessions / (latencyMs / 1000.0);
      double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      node.put("sessions", sessions).put("turns", total).put("model_latency_ms", latencyMs).put("errors", errors.get())
          .put("seconds", seconds).put("turns_per_second", throughput).put("ideal_turns_per_second", ideal)
          .put("p50_ms", percentile(sorted, 0.5)).put("p95_ms", percentile(sorted, 0.95)).put("max_concurrent_model_calls", fake.maxConcurrentRequests());
      if (!json) {
        out.printf(Locale.ROOT, "%n%d concurrent sessions x %d turns over HTTP, fake model latency %d ms:%n", sessions, sessionTurns, latencyMs);
        out.printf(Locale.ROOT, "  errors %d of %d turns; %.1f s; throughput %.1f turns/s (ideal %.1f = sessions / latency; ratio %.2f)%n",
            errors.get(), total, seconds, throughput, ideal, throughput / ideal);
        out.printf(Locale.ROOT, "  turn latency p50 %.0f ms, p95 %.0f ms; most concurrent model calls %d%n", percentile(sorted, 0.5),
            percentile(sorted, 0.95), fake.maxConcurrentRequests());
        firstErrors.stream().limit(3).forEach(e -> out.println("  error: " + e.lines().findFirst().orElse(e)));
        out.flush();
      }
    }
    return node;
  }

  private static HttpResponse<String> post(HttpClient http, String url, String key, String body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  // ------------------------------------------------------------------ prompt tokens and caching

  private ObjectNode promptTokens(Database db, FakeAnthropicServer fake, ChatModel model, AgentDefinition agent, List<Script> happy, PrintWriter out) {
    fake.reset().latency(Duration.ZERO).minCacheableTokens(1024).clearCache();
    ObjectNode node = Json.object();
    ArrayNode rows = node.putArray("rows");
    if (!json) {
      out.printf(Locale.ROOT, "%nPrompt tokens per model call, CoachMira happy path (%d turns), fake Anthropic token estimate:%n",
          happy.get(0).turns().size());
      out.printf(Locale.ROOT, "  %-16s %-8s %12s %12s %12s %12s%n", "modular_prompts", "caching", "calls", "prompt/call", "cache read", "cache write");
    }
    double baseline = 0;
    for (boolean modular : new boolean[] {false, true}) {
      for (boolean caching : new boolean[] {false, true}) {
        fake.clearCache();
        try (Orchestrator orchestrator = Orchestrator.builder(db.jdbi(), AgentCatalog.of(agent), model).build()) {
          orchestrator.flags().set("modular_prompts", modular, modular ? 100 : 0);
          orchestrator.flags().set("prompt_caching", caching, caching ? 100 : 0);
          orchestrator.flags().set("context_window", true, 100);
          int before = fake.requestCount();
          var report = Simulations.scripted(orchestrator, ModelScript.of(fake::play, fake::reset), agent, TenantId.DEFAULT, happy, n -> {});
          int calls = fake.requestCount() - before;
          long prompt = report.inputTokens() + report.cacheReadTokens() + report.cacheWriteTokens();
          double perCall = (double) prompt / Math.max(1, calls);
          if (!modular && !caching) {
            baseline = perCall;
          }
          long write = report.cacheWriteTokens();
          rows.addObject().put("modular_prompts", modular).put("prompt_caching", caching).put("model_calls", calls)
              .put("prompt_tokens_per_call", perCall).put("cache_read_tokens", report.cacheReadTokens()).put("cache_write_tokens", write)
              .put("completed", report.completed());
          if (!json) {
            out.printf(Locale.ROOT, "  %-16s %-8s %12d %12.0f %12d %12d%s%n", modular ? "on" : "off (base)", caching ? "on" : "off", calls, perCall,
                report.cacheReadTokens(), write, modular && !caching ? String.format(Locale.ROOT, "   %.0f %% fewer than the monolithic prompt", 100 * (1 - perCall / baseline)) : "");
          }
        }
      }
    }
    fake.minCacheableTokens(1024).clearCache();
    orchestratorFlagsReset(db);
    return node;
  }

  private static void orchestratorFlagsReset(Database db) {
    db.jdbi().useHandle(h -> h.createUpdate("DELETE FROM flags").execute());
  }

  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort: a temp folder left behind is harmless
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
