package dev.parley.server.insights;

import static io.javalin.apibuilder.ApiBuilder.before;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;
import static java.util.Objects.requireNonNull;

import dev.parley.pipeline.PipelineComponents;
import dev.parley.server.ParleyServer;
import dev.parley.store.Database;
import dev.parley.store.runs.ClusterRunRepository;
import io.javalin.http.Handler;

/**
 * The insights routes of DESIGN §5, added to {@link ParleyServer} as its route extension; every one needs a
 * tenant API key and sees only that tenant's data:
 * <ul>
 *   <li>{@code POST /v1/conversations}: ingest conversations (one object, a JSON array, or JSON Lines);</li>
 *   <li>{@code GET /v1/runs}, {@code GET /v1/runs/{id}}: stored cluster runs;</li>
 *   <li>{@code GET /v1/clusters?run=ID}: a run's cluster tree;</li>
 *   <li>{@code POST /v1/assign}: assign texts to a run's leaves.</li>
 * </ul>
 * Runs made by {@code ./parley cluster} / {@code analyze} belong to the tenant their {@code --tenant} names.
 */
public final class InsightsApi implements ParleyServer.RouteExtension {
  /** Runs whose centroids stay loaded between requests. */
  static final int CACHED_RUNS = 8;

  private final ConversationsController conversations;
  private final RunsController runs;
  private final AssignController assign;

  /**
   * @param components the pipeline over the server's store: its runs, its embedding cache, and the embedding
   *     models runs record (remote ones configured from the components' environment)
   */
  public InsightsApi(PipelineComponents components) {
    requireNonNull(components, "components is null");
    Database db = components.database().orElseThrow(() -> new IllegalArgumentException("the insights API needs components over a store"));
    this.conversations = new ConversationsController(db.jdbi());
    this.runs = new RunsController(new ClusterRunRepository(db.jdbi()));
    this.assign = new AssignController(components.assignableRuns(CACHED_RUNS).orElseThrow(), components.embeddingModels());
  }

  @Override
  public void addRoutes(Handler tenantAuth) {
    requireNonNull(tenantAuth, "tenantAuth is null");
    path("/v1/conversations", () -> {
      before(tenantAuth);
      post(conversations::ingest);
    });
    path("/v1/runs", () -> {
      before(tenantAuth);
      get(runs::list);
      get("{id}", runs::get);
    });
    path("/v1/clusters", () -> {
      before(tenantAuth);
      get(runs::clusters);
    });
    path("/v1/assign", () -> {
      before(tenantAuth);
      post(assign::assign);
    });
  }
}
