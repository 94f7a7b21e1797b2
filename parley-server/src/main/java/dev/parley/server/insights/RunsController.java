package dev.parley.server.insights;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import dev.parley.insights.pipeline.RunCluster;
import dev.parley.insights.pipeline.RunClusterJson;
import dev.parley.pipeline.assign.RunTree;
import dev.parley.server.ApiError;
import dev.parley.server.ParleyServer;
import dev.parley.server.RequestChecks;
import dev.parley.store.TenantId;
import dev.parley.store.runs.ClusterRunRepository;
import dev.parley.store.runs.StoredCluster;
import dev.parley.store.runs.StoredRun;
import io.javalin.http.Context;
import java.util.List;

/**
 * {@code GET /v1/runs}, {@code GET /v1/runs/{id}} and {@code GET /v1/clusters?run=ID}: the caller's tenant's
 * stored cluster runs (DESIGN §4 {@code run.json}, {@code clusters.json}). Another tenant's run is a 404,
 * the same answer as a run that does not exist. The run folder's path on the server is not shown.
 */
final class RunsController {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1_000;

  private final ClusterRunRepository runs;

  RunsController(ClusterRunRepository runs) {
    this.runs = requireNonNull(runs, "runs is null");
  }

  static ApiError runNotFound(String id) {
    return new ApiError(404, "not_found", "run '" + id + "' not found");
  }

  /** GET /v1/runs?limit=N: most recent first. */
  void list(Context ctx) {
    TenantId tenant = ParleyServer.tenantOf(ctx);
    int limit = limit(ctx);
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("runs");
    runs.list(tenant, limit).forEach(r -> list.add(summary(r)));
    ctx.json(out);
  }

  /** GET /v1/runs/{id}: the summary plus every parameter and the stage timings. */
  void get(Context ctx) {
    TenantId tenant = ParleyServer.tenantOf(ctx);
    String id = RequestChecks.requireClean(ctx.pathParam("id"), "id");
    StoredRun run = runs.find(tenant, id).orElseThrow(() -> runNotFound(id));
    ObjectNode out = summary(run);
    out.set("parameters", run.parameters());
    out.set("timings_ms", run.timings());
    ctx.json(out);
  }

  /** GET /v1/clusters?run=ID: the tree as a list, parents before children, siblings largest first. */
  void clusters(Context ctx) {
    TenantId tenant = ParleyServer.tenantOf(ctx);
    String id = requiredQuery(ctx, "run");
    StoredRun run = runs.find(tenant, id).orElseThrow(() -> runNotFound(id));
    RunTree tree = RunTree.of(runs.clusters(tenant, id));
    ObjectNode out = Json.object();
    out.put("run", run.id());
    out.put("items", run.items());
    out.put("noise", run.noise());
    ArrayNode list = out.putArray("clusters");
    for (StoredCluster c : tree.clusters()) {
      // The same shape as the run folder's clusters.json, less its "merged" (the store does not keep it).
      RunClusterJson.put(list.addObject(), new RunCluster(c.id(), c.parentId(), c.depth(), c.size(),
          tree.children().getOrDefault(c.id(), List.of()), c.label(), c.description(), c.keywords(), c.examples(), c.labelSource(),
          c.users(), c.conversations(), c.redacted(), false));
    }
    ctx.json(out);
  }

  /** One run in a listing: identity, when, the parameters that tell runs apart, and sizes. */
  static ObjectNode summary(StoredRun run) {
    ObjectNode node = Json.object();
    node.put("id", run.id());
    node.put("kind", run.kind());
    node.put("created", run.createdAt().toString());
    node.put("input_hash", run.inputHash());
    ObjectNode parameters = node.putObject("parameters");
    parameters.put("seed", run.seed());
    parameters.put("embedding_model", run.embeddingModel());
    parameters.put("dimension", run.dimension());
    JsonNode p = run.parameters();
    copyText(p.path("clustering").path("engine"), parameters, "engine");
    copyText(p.path("llm").path("provider"), parameters, "llm");
    JsonNode privacy = p.path("privacy");
    if (privacy.isObject()) {
      parameters.set("privacy", privacy);
    }
    ObjectNode sizes = node.putObject("sizes");
    sizes.put("items", run.items());
    sizes.put("noise", run.noise());
    sizes.put("clusters", run.clusters());
    sizes.put("leaves", run.leaves());
    return node;
  }

  private static void copyText(JsonNode value, ObjectNode to, String field) {
    if (value.isTextual()) {
      to.put(field, value.asText());
    }
  }

  static String requiredQuery(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      throw ApiError.badRequest("query parameter '" + name + "' is required");
    }
    return value;
  }

  private static int limit(Context ctx) {
    String raw = ctx.queryParam("limit");
    if (raw == null) {
      return DEFAULT_LIMIT;
    }
    int limit;
    try {
      limit = Integer.parseInt(raw.strip());
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("limit must be an integer in [1, " + MAX_LIMIT + "], was '" + raw + "'");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiError.badRequest("limit must be in [1, " + MAX_LIMIT + "], was " + limit);
    }
    return limit;
  }
}
