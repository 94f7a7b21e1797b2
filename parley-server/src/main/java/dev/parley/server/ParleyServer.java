package dev.parley.server;

import static io.javalin.apibuilder.ApiBuilder.before;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.put;
import static java.util.Objects.requireNonNull;

import dev.parley.agent.Orchestrator;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.core.json.Json;
import dev.parley.store.ApiKeys;
import dev.parley.store.TenantId;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API (DESIGN §5) on Javalin with virtual threads: sessions and messages (JSON or SSE),
 * events, admin flags, /health and /metrics (Prometheus). Handlers are thin controllers; errors map in
 * {@link ErrorMapping}; auth is a before-handler.
 */
public final class ParleyServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ParleyServer.class);

  private final Javalin app;
  private final ScheduledExecutorService jobs;

  private ParleyServer(Javalin app, ScheduledExecutorService jobs) {
    this.app = app;
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
    AdminController admin = new AdminController(orchestrator.flags());
    Javalin app = Javalin.create(c -> {
      c.useVirtualThreads = true;
      c.jetty.threadPool = threadPool();
      c.showJavalinBanner = false;
      c.http.maxRequestSize = config.maxBodyBytes();
      c.jsonMapper(new JavalinJackson(Json.mapper(), true));
      if (!config.corsOrigins().isEmpty()) {
        c.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
          config.corsOrigins().forEach(rule::allowHost);
          rule.exposeHeader("Idempotent-Replayed");
        }));
      }
      c.router.apiBuilder(() -> {
        before(ParleyServer::requireLength);
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
        });
        get("/health", ctx -> {
          jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
          var body = Json.object().put("status", "ok");
          var agents = body.putArray("agents");
          orchestrator.catalog().all().stream().map(AgentDefinition::name).forEach(agents::add);
          ctx.json(body);
        });
        get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
        extension.addRoutes(auth::tenant);
      });
    });
    ErrorMapping.install(app);
    app.start(config.host(), config.port());
    ScheduledExecutorService jobs = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("parley-jobs").daemon().factory());
    long every = config.recoveryInterval().toMillis();
    jobs.scheduleWithFixedDelay(() -> {
      try {
        int recovered = orchestrator.turns().recoverInterrupted();
        if (recovered > 0) {
          LOG.info("marked {} turns of stopped processes as interrupted", recovered);
        }
      } catch (RuntimeException e) {
        LOG.warn("recovering interrupted turns failed: {}", e.toString());
      }
    }, 0, every, TimeUnit.MILLISECONDS);
    LOG.info("Parley API listening on {}:{} ({} agents)", config.host(), app.port(), orchestrator.catalog().size());
    return new ParleyServer(app, jobs);
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

  @Override
  public void close() {
    jobs.shutdownNow();
    app.stop();
  }
}
