package dev.parley.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.AgentException;
import dev.parley.agent.Orchestrator;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.session.AgentEvent;
import dev.parley.agent.session.Session;
import dev.parley.agent.session.SessionJson;
import dev.parley.agent.session.StoredMessage;
import dev.parley.agent.turn.TurnListener;
import dev.parley.agent.turn.TurnReply;
import dev.parley.agent.turn.TurnRequest;
import dev.parley.core.json.Json;
import dev.parley.store.TenantId;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** {@code /v1/sessions}: DESIGN §5. Thin: check the request, call the orchestrator, write JSON. */
final class SessionController {
  static final Set<String> CREATE_FIELDS = Set.of("agent", "user", "metadata");
  static final Set<String> POST_FIELDS = Set.of("text", "retry");
  /** Visible ASCII and spaces: what a header can carry without Jetty reinterpreting bytes as ISO-8859-1. */
  private static final Pattern KEY = Pattern.compile("[\\x20-\\x7E]+");

  private final Orchestrator orchestrator;

  SessionController(Orchestrator orchestrator) {
    this.orchestrator = requireNonNull(orchestrator, "orchestrator is null");
  }

  /** POST /v1/sessions {"agent","user"?,"metadata"?} -> 201 session. */
  void create(Context ctx) {
    ObjectNode body = RequestChecks.object(ctx.body(), CREATE_FIELDS);
    String agent = RequestChecks.string(body, "agent", ApiLimits.MAX_AGENT_CHARS)
        .orElseThrow(() -> ApiError.invalidField("agent", "'agent' is required: the name of one of the server's agents"));
    if (!AgentDefinition.NAME.matcher(agent).matches()) {
      throw ApiError.invalidField("agent", "'agent' is not an agent name (" + AgentDefinition.NAME + "): '" + RequestChecks.abbreviated(agent) + "'");
    }
    Optional<String> user = RequestChecks.string(body, "user", ApiLimits.MAX_USER_CHARS);
    ObjectNode metadata = metadata(body.get("metadata"));
    TenantId tenant = Auth.tenantOf(ctx);
    Session session = orchestrator.sessions().create(tenant, agent, user, metadata);
    ctx.status(201).json(orchestrator.sessions().json(tenant, session.id()));
  }

  /**
   * {@code metadata}: an object, bounded in size and depth; the fields that become the prompt's user name
   * are one short line (they are pasted into every system prompt of the session).
   */
  static ObjectNode metadata(JsonNode node) {
    if (node == null || node.isNull()) {
      return Json.object();
    }
    if (!node.isObject()) {
      throw ApiError.invalidField("metadata", "'metadata' must be an object");
    }
    int bytes = Json.write(node).getBytes(StandardCharsets.UTF_8).length;
    if (bytes > ApiLimits.MAX_METADATA_BYTES) {
      throw ApiError.invalidField("metadata", "'metadata' must be at most " + ApiLimits.MAX_METADATA_BYTES + " bytes as JSON, is " + bytes);
    }
    checkShape(node, "metadata", 1);
    for (String name : new String[] {"user_name", "name"}) {
      JsonNode value = node.get(name);
      if (value == null || value.isNull()) {
        continue;
      }
      String field = "metadata." + name;
      if (!value.isTextual()) {
        throw ApiError.invalidField(field, "'" + field + "' must be a string");
      }
      String text = value.textValue();
      if (text.length() > ApiLimits.MAX_USER_NAME_CHARS) {
        throw ApiError.invalidField(field, "'" + field + "' must have at most " + ApiLimits.MAX_USER_NAME_CHARS + " characters, has " + text.length());
      }
      if (text.codePoints().anyMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
        throw ApiError.invalidField(field, "'" + field + "' must be one line without control characters");
      }
    }
    return (ObjectNode) node;
  }

  private static void checkShape(JsonNode node, String path, int depth) {
    if (!node.isContainerNode()) {
      return;
    }
    if (depth > ApiLimits.MAX_METADATA_DEPTH) {
      throw ApiError.invalidField("metadata", "'metadata' may nest at most " + ApiLimits.MAX_METADATA_DEPTH + " levels deep; '" + path + "' is level " + depth);
    }
    if (node.isObject()) {
      for (var e : node.properties()) {
        if (e.getKey().length() > ApiLimits.MAX_METADATA_KEY_CHARS) {
          throw ApiError.invalidField("metadata", "field names in 'metadata' must have at most " + ApiLimits.MAX_METADATA_KEY_CHARS
              + " characters; one in '" + path + "' has " + e.getKey().length());
        }
        checkShape(e.getValue(), path + "." + e.getKey(), depth + 1);
      }
    } else {
      int i = 0;
      for (JsonNode element : node) {
        checkShape(element, path + "[" + i++ + "]", depth + 1);
      }
    }
  }

  void get(Context ctx) {
    ctx.json(orchestrator.sessions().json(Auth.tenantOf(ctx), id(ctx)));
  }

  void messages(Context ctx) {
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("messages");
    for (StoredMessage m : orchestrator.sessions().messages(Auth.tenantOf(ctx), id(ctx))) {
      list.add(SessionJson.message(m));
    }
    ctx.json(out);
  }

  /** GET /v1/sessions/{id}/events?after=ID&limit=N. */
  void events(Context ctx) {
    long after = RequestChecks.queryLong(ctx, "after", 0, Long.MAX_VALUE, 0);
    int limit = (int) RequestChecks.queryLong(ctx, "limit", 1, ApiLimits.MAX_EVENTS_LIMIT, ApiLimits.DEFAULT_EVENTS_LIMIT);
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("events");
    for (AgentEvent e : orchestrator.sessions().events(Auth.tenantOf(ctx), id(ctx), after, limit)) {
      list.add(SessionJson.event(e));
    }
    ctx.json(out);
  }

  /**
   * POST /v1/sessions/{id}/messages {"text"} or {"retry": true}, with an optional Idempotency-Key;
   * streams as SSE when the client accepts text/event-stream.
   */
  void post(Context ctx) {
    ObjectNode body = RequestChecks.object(ctx.body(), POST_FIELDS);
    boolean retry = RequestChecks.bool(body, "retry").orElse(false);
    Optional<String> text = RequestChecks.string(body, "text", ApiLimits.MAX_TEXT_CHARS);
    if (retry && text.isPresent()) {
      throw ApiError.badRequest("send either 'text' or 'retry': true, not both (a retry re-runs the stored message)");
    }
    if (!retry && text.isEmpty()) {
      throw ApiError.invalidField("text", "'text' is required (or 'retry': true to re-run the last failed turn)");
    }
    Optional<String> key = idempotencyKey(ctx);
    TenantId tenant = Auth.tenantOf(ctx);
    UUID id = id(ctx);
    TurnRequest request = new TurnRequest(tenant, id, text, key, retry);
    String accept = ctx.header("Accept");
    if (accept != null && accept.contains("text/event-stream")) {
      // Checked before the 200 goes out: a client asking for a session it cannot see gets a 404, not a stream.
      if (orchestrator.sessions().find(tenant, id).isEmpty()) {
        throw new AgentException(AgentException.Kind.NOT_FOUND, "session " + id + " not found");
      }
      stream(ctx, request);
      return;
    }
    TurnReply reply = orchestrator.turns().send(request, TurnListener.NONE);
    if (reply.replayed()) {
      ctx.header("Idempotent-Replayed", "true");
    }
    ctx.json(reply.json());
  }

  static Optional<String> idempotencyKey(Context ctx) {
    String raw = ctx.header("Idempotency-Key");
    if (raw == null) {
      return Optional.empty();
    }
    String key = raw.strip();
    if (key.isEmpty() || key.length() > ApiLimits.MAX_IDEMPOTENCY_KEY_CHARS || !KEY.matcher(key).matches()) {
      throw ApiError.invalidField("Idempotency-Key", "the Idempotency-Key header must have 1 to " + ApiLimits.MAX_IDEMPOTENCY_KEY_CHARS
          + " printable ASCII characters (a UUID is a good key); it has " + key.length());
    }
    return Optional.of(key);
  }

  private void stream(Context ctx, TurnRequest request) {
    ctx.status(200);
    ctx.res().setContentType("text/event-stream;charset=utf-8");
    ctx.res().setHeader("Cache-Control", "no-cache");
    ctx.res().setHeader("X-Accel-Buffering", "no");
    OutputStream out;
    try {
      out = ctx.res().getOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SseWriter sse = new SseWriter(out);
    try {
      TurnReply reply = orchestrator.turns().send(request, new TurnListener() {
        @Override
        public void onText(String delta) {
          sse.event("text", Json.object().put("delta", delta));
        }

        @Override
        public void onToolCall(ObjectNode call) {
          sse.event("tool_call", call);
        }

        @Override
        public void onPhaseChange(String from, String to) {
          sse.event("phase", Json.object().put("from", from).put("to", to));
        }
      });
      sse.finish("done", reply.json());
    } catch (RuntimeException e) {
      ErrorMapping.Reply error = ErrorMapping.of(e);
      sse.finish("error", error.body().put("status", error.status()));
    }
  }

  private static UUID id(Context ctx) {
    String raw = ctx.pathParam("id");
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      // Not a session id of anyone: the same answer as another tenant's session.
      throw new AgentException(AgentException.Kind.NOT_FOUND, "session " + RequestChecks.abbreviated(raw) + " not found");
    }
  }
}
