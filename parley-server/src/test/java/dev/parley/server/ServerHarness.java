package dev.parley.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.agent.Orchestrator;
import dev.parley.agent.definition.AgentLoader;
import dev.parley.agent.tool.ToolHandlers;
import dev.parley.core.json.Json;
import dev.parley.fakes.FakeAnthropicServer;
import dev.parley.llm.chat.ChatModels;
import dev.parley.llm.chat.ResilienceConfig;
import dev.parley.store.ApiKeys;
import dev.parley.store.Database;
import dev.parley.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Jdbi;

/** A started server on a random port over a fresh database and a fake Anthropic server, plus an HTTP client. */
final class ServerHarness implements AutoCloseable {
  final Database db;
  final FakeAnthropicServer fake = FakeAnthropicServer.start();
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final Orchestrator orchestrator;
  final ParleyServer server;
  final HttpClient http = HttpClient.newHttpClient();
  final String key;

  ServerHarness(UnaryOperator<ServerConfig> config) {
    this(config, auth -> {});
  }

  ServerHarness(UnaryOperator<ServerConfig> config, ParleyServer.RouteExtension extension) {
    this(config, db -> extension, Database::jdbi);
  }

  /**
   * A server over {@code db} (closed with the harness: a dedicated embedded store, say) running the agents of
   * {@code agents}, whose model calls are bounded and retried by {@code resilience}.
   */
  static ServerHarness with(Database db, Path agents, ResilienceConfig resilience) {
    return new ServerHarness(db, agents, resilience, c -> c, d -> auth -> {}, Database::jdbi);
  }

  /** The default model calls of a harness: one attempt, so that a provider error reaches the client at once. */
  static ResilienceConfig singleAttempt() {
    return ResilienceConfig.defaults().withMaxAttempts(1);
  }

  /** With routes built over the harness's own database (the insights API). */
  static ServerHarness withRoutes(Function<Database, ParleyServer.RouteExtension> routes) {
    return new ServerHarness(c -> c, routes, Database::jdbi);
  }

  /** A server whose own database access (API keys, /health) goes through {@code serverJdbi}; the orchestrator keeps the real one. */
  static ServerHarness withServerJdbi(Jdbi serverJdbi) {
    return new ServerHarness(c -> c, db -> auth -> {}, db -> serverJdbi);
  }

  private ServerHarness(UnaryOperator<ServerConfig> config, Function<Database, ParleyServer.RouteExtension> routes, Function<Database, Jdbi> serverJdbi) {
    this(TestDatabase.fresh(), agentsDir(), singleAttempt(), config, routes, serverJdbi);
  }

  private ServerHarness(Database db, Path agents, ResilienceConfig resilience, UnaryOperator<ServerConfig> config,
      Function<Database, ParleyServer.RouteExtension> routes, Function<Database, Jdbi> serverJdbi) {
    this.db = db;
    ParleyServer.RouteExtension extension = routes.apply(db);
    var catalog = new AgentLoader(ToolHandlers.none()::contains).loadAll(agents);
    var model = ChatModels.fromSpec("anthropic", fake.env("test-key"), resilience);
    orchestrator = Orchestrator.builder(db.jdbi(), catalog, model).registry(registry).build();
    server = ParleyServer.start(config.apply(ServerConfig.defaults(0).withHost("127.0.0.1")), orchestrator, serverJdbi.apply(db), registry, extension);
    key = new ApiKeys(db.jdbi()).create("acme").key();
  }

  ServerHarness() {
    this(c -> c);
  }

  static Path agentsDir() {
    return repoRoot().resolve("examples/agents");
  }

  /** The repository's root: the nearest directory above the working directory with {@code examples/agents/coachmira}. */
  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("examples/agents/coachmira"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("examples/agents not found");
    }
    return dir;
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  record Reply(int status, JsonNode json, String text, Map<String, String> headers) {}

  /**
   * Sends {@code request} as raw bytes (what HttpClient refuses to send: oversized or malformed headers,
   * chunked bodies) and returns the whole response as text; the request should say {@code Connection: close}.
   */
  String raw(String request) {
    return raw(server.port(), request);
  }

  static String raw(int port, String request) {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The scrape of /metrics (on the API's port: the harness's default configuration). */
  String scrape() {
    Reply r = send("GET", "/metrics", Optional.empty(), Map.of());
    if (r.status() != 200) {
      throw new AssertionError("GET /metrics: " + r.status() + " " + r.text());
    }
    return r.text();
  }

  Reply send(String method, String path, Optional<String> body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
        .method(method, body.map(HttpRequest.BodyPublishers::ofString).orElse(HttpRequest.BodyPublishers.noBody()));
    if (body.isPresent()) {
      b.header("Content-Type", "application/json");
    }
    headers.forEach(b::header);
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = Json.mapper().nullNode();
      String ct = r.headers().firstValue("Content-Type").orElse("");
      if (ct.contains("json") && !r.body().isEmpty()) {
        json = Json.parse(r.body());
      }
      Map<String, String> h = new LinkedHashMap<>();
      r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
      return new Reply(r.statusCode(), json, r.body(), h);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Reply get(String path) {
    return send("GET", path, Optional.empty(), Map.of("Authorization", "Bearer " + key));
  }

  Reply post(String path, String body) {
    return send("POST", path, Optional.of(body), Map.of("Authorization", "Bearer " + key));
  }

  Reply post(String path, String body, Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.putIfAbsent("Authorization", "Bearer " + key);
    return send("POST", path, Optional.of(body), all);
  }

  String newSession() {
    Reply r = post("/v1/sessions", "{\"agent\":\"coachmira\",\"user\":\"u-1\",\"metadata\":{\"user_name\":\"Dana\"}}");
    if (r.status() != 201) {
      throw new AssertionError("create session: " + r.status() + " " + r.text());
    }
    return r.json().path("id").asText();
  }

  @Override
  public void close() {
    server.close();
    orchestrator.close();
    fake.close();
    db.close();
  }
}
