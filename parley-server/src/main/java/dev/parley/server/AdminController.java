package dev.parley.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.flags.Flag;
import dev.parley.agent.flags.Flags;
import dev.parley.core.json.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Optional;

/** {@code /v1/admin/flags}: read and change feature flags at run time (admin token). */
final class AdminController {
  private final Flags flags;

  AdminController(Flags flags) {
    this.flags = requireNonNull(flags, "flags is null");
  }

  void list(Context ctx) {
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("flags");
    flags.list().forEach(f -> list.add(json(f)));
    ctx.json(out);
  }

  /** PUT /v1/admin/flags/{name} {"enabled"?: bool, "rollout"?: 0-100}. */
  void put(Context ctx) {
    String name = ctx.pathParam("name");
    JsonNode body;
    try {
      body = Json.mapper().readTree(ctx.body());
    } catch (IOException e) {
      throw ApiError.badRequest("body is not valid JSON");
    }
    if (body == null || !body.isObject()) {
      throw ApiError.badRequest("body must be a JSON object");
    }
    Optional<Flag> current = flags.list().stream().filter(f -> f.name().equals(name)).findFirst();
    boolean enabled = body.has("enabled") ? body.get("enabled").asBoolean() : current.map(Flag::enabled).orElse(true);
    if (body.has("rollout") && !body.get("rollout").canConvertToInt()) {
      throw ApiError.badRequest("rollout must be an integer in [0, 100]");
    }
    int rollout = body.has("rollout") ? body.get("rollout").asInt() : current.map(Flag::rollout).orElse(100);
    ctx.json(json(flags.set(name, enabled, rollout)));
  }

  static ObjectNode json(Flag f) {
    return Json.object().put("name", f.name()).put("enabled", f.enabled()).put("rollout", f.rollout())
        .put("description", f.description()).put("updated_at", f.updatedAt().toString());
  }
}
