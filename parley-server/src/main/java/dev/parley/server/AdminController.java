package dev.parley.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.flags.Flag;
import dev.parley.agent.flags.Flags;
import dev.parley.core.json.Json;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** {@code /v1/admin/flags}: read and change feature flags at run time (admin token). */
final class AdminController {
  static final Set<String> FIELDS = Set.of("enabled", "rollout");

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

  /**
   * PUT /v1/admin/flags/{name} {"enabled"?: bool, "rollout"?: 0-100}; what is left out keeps its current
   * value. Types are strict: {@code "enabled": "yes"} is a 400, never a flag silently turned off.
   */
  void put(Context ctx) {
    String name = RequestChecks.requireClean(ctx.pathParam("name"), "name");
    ObjectNode body = RequestChecks.object(ctx.body(), FIELDS);
    Optional<Boolean> enabled = RequestChecks.bool(body, "enabled");
    OptionalInt rollout = RequestChecks.integer(body, "rollout", 0, 100);
    if (enabled.isEmpty() && rollout.isEmpty()) {
      throw ApiError.badRequest("send 'enabled' (true or false) and/or 'rollout' (an integer in [0, 100])");
    }
    Optional<Flag> current = flags.list().stream().filter(f -> f.name().equals(name)).findFirst();
    ctx.json(json(flags.set(name, enabled.orElseGet(() -> current.map(Flag::enabled).orElse(true)),
        rollout.orElseGet(() -> current.map(Flag::rollout).orElse(100)))));
  }

  static ObjectNode json(Flag f) {
    return Json.object().put("name", f.name()).put("enabled", f.enabled()).put("rollout", f.rollout())
        .put("description", f.description()).put("updated_at", f.updatedAt().toString());
  }
}
