package dev.parley.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.flags.Flag;
import dev.parley.agent.flags.FlagGuard;
import dev.parley.agent.flags.Flags;
import dev.parley.agent.flags.KnownFlag;
import dev.parley.agent.metrics.DecisionGate;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /v1/admin}: read and change feature flags and their rollout guards at run time, and the
 * decision gate (admin token).
 */
final class AdminController {
  static final Set<String> FIELDS = Set.of("enabled", "rollout", "guard");
  static final Set<String> GUARD_FIELDS = Set.of("enabled", "max_error_rate", "min_turns", "window_seconds");
  static final Set<String> GATE_PARAMS = Set.of("agent", "flag", "since");

  private final Flags flags;
  private final DecisionGate gate;

  AdminController(Flags flags, DecisionGate gate) {
    this.flags = requireNonNull(flags, "flags is null");
    this.gate = requireNonNull(gate, "gate is null");
  }

  void list(Context ctx) {
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("flags");
    flags.list().forEach(f -> list.add(json(f)));
    ctx.json(out);
  }

  /**
   * PUT /v1/admin/flags/{name} {"enabled"?: bool, "rollout"?: 0-100, "guard"?: {"enabled"?: bool,
   * "max_error_rate"?: 0-1, "min_turns"?: 1-1000000, "window_seconds"?: 1-2592000}}; what is left out keeps
   * its current value (a guard setting without "enabled" turns the guard on). Types are strict:
   * {@code "enabled": "yes"} is a 400, never a flag silently turned off.
   */
  void put(Context ctx) {
    String name = RequestChecks.requireClean(ctx.pathParam("name"), "name");
    ObjectNode body = RequestChecks.object(ctx.body(), FIELDS);
    Optional<Boolean> enabled = RequestChecks.bool(body, "enabled");
    OptionalInt rollout = RequestChecks.integer(body, "rollout", 0, 100);
    Optional<ObjectNode> guard = guardBody(body);
    if (enabled.isEmpty() && rollout.isEmpty() && guard.isEmpty()) {
      throw ApiError.badRequest("send 'enabled' (true or false), 'rollout' (an integer in [0, 100]) and/or 'guard' (an object)");
    }
    Optional<Flag> current = flags.list().stream().filter(f -> f.name().equals(name)).findFirst();
    boolean on = enabled.orElseGet(() -> current.map(Flag::enabled).orElse(true));
    int percent = rollout.orElseGet(() -> current.map(Flag::rollout).orElse(100));
    if (guard.isEmpty()) {
      ctx.json(json(flags.set(name, on, percent)));
      return;
    }
    ObjectNode g = guard.get();
    OptionalInt seconds = guardInteger(g, "window_seconds", 1, (int) Duration.ofDays(30).toSeconds());
    FlagGuard changed = current.map(Flag::guard).orElse(FlagGuard.OFF).with(guardBool(g, "enabled"), guardRate(g),
        guardInteger(g, "min_turns", 1, 1_000_000), seconds.isPresent() ? Optional.of(Duration.ofSeconds(seconds.getAsInt())) : Optional.empty());
    ctx.json(json(flags.set(name, on, percent, changed)));
  }

  /** The {@code guard} object of a PUT body, with only its own fields; its fields are read (strictly) by the caller. */
  private static Optional<ObjectNode> guardBody(ObjectNode body) {
    JsonNode node = body.get("guard");
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isObject()) {
      throw ApiError.invalidField("guard", "'guard' must be an object with " + new TreeSet<>(GUARD_FIELDS) + ", not " + shown(node));
    }
    ObjectNode guard = (ObjectNode) node;
    Set<String> unknown = new TreeSet<>();
    guard.fieldNames().forEachRemaining(k -> {
      if (!GUARD_FIELDS.contains(k)) {
        unknown.add(k);
      }
    });
    if (!unknown.isEmpty()) {
      String first = unknown.iterator().next();
      throw ApiError.unknownField("guard." + first, "unknown field 'guard." + RequestChecks.abbreviated(first) + "'; 'guard' takes "
          + new TreeSet<>(GUARD_FIELDS));
    }
    if (guard.isEmpty()) {
      throw ApiError.invalidField("guard", "'guard' is empty: send 'enabled', 'max_error_rate', 'min_turns' and/or 'window_seconds'");
    }
    return Optional.of(guard);
  }

  private static Optional<Boolean> guardBool(ObjectNode guard, String field) {
    JsonNode node = guard.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isBoolean()) {
      throw ApiError.invalidField("guard." + field, "'guard." + field + "' must be true or false, not " + shown(node));
    }
    return Optional.of(node.booleanValue());
  }

  private static OptionalInt guardInteger(ObjectNode guard, String field, int min, int max) {
    JsonNode node = guard.get(field);
    if (node == null || node.isNull()) {
      return OptionalInt.empty();
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
      throw ApiError.invalidField("guard." + field, "'guard." + field + "' must be an integer in [" + min + ", " + max + "], not " + shown(node));
    }
    return OptionalInt.of(node.intValue());
  }

  /** {@code max_error_rate}: a JSON number in [0, 1] ({@code "0.01"} and {@code true} are refused). */
  private static OptionalDouble guardRate(ObjectNode guard) {
    JsonNode node = guard.get("max_error_rate");
    if (node == null || node.isNull()) {
      return OptionalDouble.empty();
    }
    if (!node.isNumber() || !(node.doubleValue() >= 0 && node.doubleValue() <= 1)) {
      throw ApiError.invalidField("guard.max_error_rate", "'guard.max_error_rate' must be a number in [0, 1], not " + shown(node));
    }
    return OptionalDouble.of(node.doubleValue());
  }

  private static String shown(JsonNode node) {
    return node.isValueNode() ? RequestChecks.abbreviated(node.toString()) : node.isArray() ? "an array" : "an object";
  }

  /** GET /v1/admin/gate?agent=&flag=&since=: the decision gate's figures ({@link DecisionGate.Report#toJson}). */
  void gate(Context ctx) {
    for (String param : ctx.queryParamMap().keySet()) {
      if (!GATE_PARAMS.contains(param)) {
        throw ApiError.unknownField(param, "unknown query parameter '" + RequestChecks.abbreviated(param) + "'; this route takes "
            + new TreeSet<>(GATE_PARAMS));
      }
    }
    KnownFlag flag;
    try {
      flag = param(ctx, "flag").map(Flags::known).orElse(KnownFlag.CONTEXT_WINDOW);
    } catch (BadInputException e) {
      throw ApiError.invalidField("flag", String.valueOf(e.getMessage()));
    }
    DecisionGate.Query query;
    try {
      query = DecisionGate.Query.parse(param(ctx, "agent"), Optional.of(flag.key()), param(ctx, "since"));
    } catch (BadInputException e) {
      throw ApiError.invalidField("since", String.valueOf(e.getMessage()));
    }
    ctx.json(gate.compute(query).toJson());
  }

  private static Optional<String> param(Context ctx, String name) {
    return Optional.ofNullable(ctx.queryParam(name)).filter(v -> !v.isBlank());
  }

  static ObjectNode json(Flag f) {
    ObjectNode json = Json.object().put("name", f.name()).put("enabled", f.enabled()).put("rollout", f.rollout())
        .put("description", f.description()).put("updated_at", f.updatedAt().toString());
    json.set("guard", f.guard().settings());
    return json;
  }
}
