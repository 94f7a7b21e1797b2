package dev.parley.server;

import static io.javalin.apibuilder.ApiBuilder.before;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.put;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.Orchestrator;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.core.chat.ToolSpec;
import dev.parley.core.json.Json;
import dev.parley.store.ApiKeys;
import dev.parley.store.TenantId;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API (DESIGN §5) on Javalin with virtual threads: sessions and messages (JSON or SSE),
 * events, admin flags and decision gate, the rollout guard's checks, /health and /metrics (Prometheus; on its own port and behind a token when configured).
 * Handlers are thin controllers; requests are checked by {@link RequestChecks} against {@link ApiLimits};
 * errors map in {@link ErrorMapping} (Jetty's own in {@link JsonErrorHandler}); auth is a before-handler;
 * every request is timed by {@link HttpMetrics}.
 */
public final class ParleyServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ParleyServer.class);
  /** How often the database is probed for {@code parley.db.up}, between the probes {@code /health} makes. */
  static final Duration PROBE_INTERVAL = Duration.ofSeconds(15);

  private final Javalin app;
  private final Optional<Javalin> management;
  private final ScheduledExecutorService jobs;

  private ParleyServer(Javalin app, Optional<Javalin> management, ScheduledExecutorService jobs) {
    this.app = app;
    this.management = management;
    this.jobs = jobs;
  }

  /**
   * Starts the server. The orchestrator must have been built with {@code registry}, so that /metrics shows
   * its meters.
   */
  public static ParleyServer start(ServerConfig config, Orchestrator orchestrator, Jdbi jdbi, PrometheusMeterRegistry registry) {
    return start(config, orchestrator, jdbi, registry, tenantAuth -> {});
  }

  /**
   * Routes other parts of Parley add (the insights API of DESIGN §5): called inside the router with the
   * tenant-auth before-handler, to be installed as {@code before("/v1/things*", tenantAuth)}; handlers read
   * the caller's tenant with {@link #tenantOf}. Errors they throw map as everywhere else.
   */
  @FunctionalInterface
  public interface RouteExtension {
    void addRoutes(Handler tenantAuth);
  }

  /** The authenticated tenant of a request that passed the tenant-auth before-handler. */
  public static TenantId tenantOf(Context ctx) {
    return Auth.tenantOf(ctx);
  }

  public static ParleyServer start(ServerConfig config, Orchestrator orchestrator, Jdbi jdbi, PrometheusMeterRegistry registry,
      RouteExtension extension) {
    requireNonNull(config, "config is null");
    requireNonNull(extension, "extension is null");
    requireNonNull(orchestrator, "orchestrator is null");
    requireNonNull(jdbi, "jdbi is null");
    requireNonNull(registry, "registry is null");
    Auth auth = new Auth(new ApiKeys(jdbi), config.adminToken());
    SessionController sessions = new SessionController(orchestrator);
    AdminController admin = new AdminController(orchestrator.flags(), orchestrator.decisionGate());
    HttpMetrics http = new HttpMetrics(registry);
    DatabaseHealth database = new DatabaseHealth(jdbi, registry);
    Handler metrics = metricsHandler(config, registry);
    Javalin app = Javalin.create(c -> {
      c.useVirtualThreads = true;
      c.jetty.threadPool = threadPool();
      c.showJavalinBanner = false;
      c.http.maxRequestSize = config.maxBodyBytes();
      c.http.prefer405over404 = true;
      c.jsonMapper(new JavalinJackson(Json.mapper(), true));
      c.requestLogger.http(http::record);
      c.events.handlerAdded(http::endpointAdded);
      jsonErrors(c, http);
      if (!config.corsOrigins().isEmpty()) {
        c.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
          config.corsOrigins().forEach(rule::allowHost);
          rule.exposeHeader("Idempotent-Replayed");
        }));
      }
      c.router.apiBuilder(() -> {
        before(ParleyServer::requireLength);
        before(RequestChecks::requireCleanQuery);
        path("/v1/sessions", () -> {
          before(auth::tenant); // "/v1/sessions*": the collection and everything under it
          post(sessions::create);
          path("{id}", () -> {
            get(sessions::get);
            get("messages", sessions::messages);
            post("messages", sessions::post);
            get("events", sessions::events);
          });
        });
        path("/v1/admin", () -> {
          before("/*", auth::admin);
          get("flags", admin::list);
          put("flags/{name}", admin::put);
          get("gate", admin::gate);
        });
        get("/health", ctx -> health(ctx, database, auth, orchestrator));
        if (config.metricsPort().isEmpty()) {
          get("/metrics", metrics);
        }
        extension.addRoutes(auth::tenant);
      });
    });
    ErrorMapping.install(app, database);
    Optional<Javalin> management = Optional.empty();
    try {
      app.start(config.host(), config.port());
      if (config.metricsPort().isPresent()) {
        management = Optional.of(startManagement(config, metrics, database, http));
      }
    } catch (RuntimeException e) {
      app.stop();
      throw e;
    }
    ScheduledExecutorService jobs = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("parley-jobs").daemon().factory());
    long every = config.recoveryInterval().toMillis();
    jobs.scheduleWithFixedDelay(() -> {
      try {
        int recovered = orchestrator.turns().recoverInterrupted();
        if (recovered > 0) {
          LOG.info("marked {} turns of stopped processes as interrupted", recovered);
        }
      } catch (RuntimeException e) {
        database.observe(e);
        LOG.warn("recovering interrupted turns failed: {}", e.toString());
      }
    }, 0, every, TimeUnit.MILLISECONDS);
    jobs.scheduleWithFixedDelay(database::probe, 0, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    long guardEvery = config.flagGuardInterval().toMillis();
    jobs.scheduleWithFixedDelay(() -> {
      try {
        orchestrator.rolloutGuard().check(); // logs and records its rollbacks itself
      } catch (RuntimeException e) {
        database.observe(e);
        LOG.warn("rollout guard: checking the guarded flags failed: {}", e.toString());
      }
    }, guardEvery, guardEvery, TimeUnit.MILLISECONDS);
    LOG.info("Parley API listening on {}:{} ({} agents){}", config.host(), app.port(), orchestrator.catalog().size(),
        management.map(m -> "; /metrics on port " + m.port()).orElse(""));
    return new ParleyServer(app, management, jobs);
  }

  /** Jetty's own errors (before routing, outside handlers) in the API's shape, and counted. */
  private static void jsonErrors(JavalinConfig c, HttpMetrics http) {
    JsonErrorHandler errors = new JsonErrorHandler(http::refused);
    c.jetty.modifyServer(server -> server.setErrorHandler(errors));
    c.jetty.modifyServletContextHandler(context -> context.setErrorHandler(errors));
    c.jetty.modifyHttpConfiguration(h -> h.setRequestHeaderSize(ApiLimits.MAX_REQUEST_HEADER_BYTES));
  }

  /** The Prometheus scrape, behind the metrics token when there is one (compared in constant time). */
  private static Handler metricsHandler(ServerConfig config, PrometheusMeterRegistry registry) {
    Optional<Handler> token = config.metricsToken().map(t -> Auth.requireToken(t, "metrics"));
    return ctx -> {
      if (token.isPresent()) {
        token.get().handle(ctx);
      }
      ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
    };
  }

  /**
   * {@code /metrics} alone on its own port: the API's port can then be exposed without the metrics, or the
   * metrics scraped from a network the API is not on. A few platform threads: one scrape at a time is the norm.
   */
  private static Javalin startManagement(ServerConfig config, Handler metrics, DatabaseHealth database, HttpMetrics http) {
    Javalin management = Javalin.create(c -> {
      QueuedThreadPool pool = new QueuedThreadPool(8, 2);
      pool.setName("parley-metrics");
      c.jetty.threadPool = pool;
      c.showJavalinBanner = false;
      c.http.prefer405over404 = true;
      c.jsonMapper(new JavalinJackson(Json.mapper(), true));
      jsonErrors(c, http);
      c.router.apiBuilder(() -> get("/metrics", metrics));
    });
    ErrorMapping.install(management, database);
    return management.start(config.host(), config.metricsPort().getAsInt());
  }

  /**
   * {@code /health}: {@code {"status":"ok"}} for anyone (load balancers, probes), 503 when the database does
   * not answer. What the server runs (agents, their models and tools) only for a caller with a tenant API key
   * or the admin token: it tells an attacker which prompts and tools to aim at.
   */
  private static void health(Context ctx, DatabaseHealth database, Auth auth, Orchestrator orchestrator) {
    if (!database.probe()) {
      ObjectNode body = ApiError.body(ErrorMapping.STORE_UNAVAILABLE, "the store does not answer");
      ctx.header("Retry-After", Long.toString(ErrorMapping.STORE_RETRY_AFTER_SECONDS));
      ctx.status(503).json(body.put("status", "unavailable"));
      return;
    }
    ObjectNode body = Json.object().put("status", "ok");
    if (auth.authenticated(ctx)) {
      ArrayNode agents = body.putArray("agents");
      for (AgentDefinition agent : orchestrator.catalog().all()) {
        ObjectNode a = agents.addObject().put("name", agent.name()).put("model", agent.model());
        agent.summaryModel().ifPresent(m -> a.put("summary_model", m));
        ArrayNode tools = a.putArray("tools");
        agent.allToolSpecs().stream().map(ToolSpec::name).distinct().forEach(tools::add);
      }
    }
    ctx.json(body);
  }

  /**
   * Javalin enforces {@code maxRequestSize} only against the Content-Length header, so a chunked body
   * (no Content-Length) would be read into memory without bound: such bodies are refused with 411.
   */
  static void requireLength(Context ctx) {
    if (ctx.req().getContentLengthLong() < 0 && ctx.header("Transfer-Encoding") != null) {
      throw new ApiError(411, "length_required", "request bodies must carry a Content-Length header (chunked bodies are not accepted)");
    }
  }

  /**
   * Jetty's acceptor and selector loops on a few platform threads, every request handler on its own virtual
   * thread. (Javalin's all-virtual pool also runs the selectors on virtual threads; under 200 concurrent
   * connections on 2 cores that dropped fresh connections without a response, measured with
   * {@code bench orchestrator}: 19-79 of 600 turns failed; with this pool, none.)
   */
  private static QueuedThreadPool threadPool() {
    QueuedThreadPool pool = new QueuedThreadPool(64, 8);
    pool.setName("parley-http");
    pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("parley-request-", 0).factory()));
    return pool;
  }

  public int port() {
    return app.port();
  }

  /** The port of {@code /metrics} when it has its own ({@link ServerConfig#metricsPort()}). */
  public OptionalInt metricsPort() {
    return management.map(m -> OptionalInt.of(m.port())).orElse(OptionalInt.empty());
  }

  @Override
  public void close() {
    jobs.shutdownNow();
    management.ifPresent(Javalin::stop);
    app.stop();
  }
}
