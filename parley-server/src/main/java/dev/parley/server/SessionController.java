package dev.parley.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.Orchestrator;
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
import java.util.UUID;

/** {@code /v1/sessions}: DESIGN §5. Thin: parse, call the orchestrator, write JSON. */
final class SessionController {
  private final Orchestrator orchestrator;

  SessionController(Orchestrator orchestrator) {
    this.orchestrator = requireNonNull(orchestrator, "orchestrator is null");
  }

  /** POST /v1/sessions {"agent","user"?,"metadata"?} -> 201 session. */
  void create(Context ctx) {
    JsonNode body = body(ctx);
    String agent = text(body, "agent").orElseThrow(() -> ApiError.badRequest("agent is required"));
    Optional<String> user = text(body, "user");
    JsonNode metadata = body.path("metadata");
    if (!metadata.isMissingNode() && !metadata.isNull() && !metadata.isObject()) {
      throw ApiError.badRequest("metadata must be an object");
    }
    TenantId tenant = Auth.tenantOf(ctx);
    Session session = orchestrator.sessions().create(tenant, agent, user, metadata.isObject() ? (ObjectNode) metadata : Json.object());
    ctx.status(201).json(orchestrator.sessions().json(tenant, session.id()));
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
    long after = ctx.queryParamAsClass("after", Long.class).getOrDefault(0L);
    int limit = ctx.queryParamAsClass("limit", Integer.class).getOrDefault(1000);
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
    JsonNode body = body(ctx);
    boolean retry = body.path("retry").asBoolean(false);
    Optional<String> text = text(body, "text");
    if (!retry && text.isEmpty()) {
      throw ApiError.badRequest("text is required");
    }
    Optional<String> key = Optional.ofNullable(ctx.header("Idempotency-Key")).map(String::strip).filter(k -> !k.isEmpty());
    TurnRequest request = new TurnRequest(Auth.tenantOf(ctx), id(ctx), retry ? Optional.empty() : text, key, retry);
    String accept = ctx.header("Accept");
    if (accept != null && accept.contains("text/event-stream")) {
      stream(ctx, request);
      return;
    }
    TurnReply reply = orchestrator.turns().send(request, TurnListener.NONE);
    if (reply.replayed()) {
      ctx.header("Idempotent-Replayed", "true");
    }
    ctx.json(reply.json());
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
    Sse sse = new Sse(out);
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
      sse.event("done", reply.json());
    } catch (Exception e) {
      ErrorMapping.Reply error = ErrorMapping.of(e);
      ObjectNode body = error.body().put("status", error.status());
      sse.event("error", body);
    }
  }

  /** Writes Server-Sent Events; a client that went away is ignored (the turn still completes and is stored). */
  private static final class Sse {
    private final OutputStream out;
    private boolean open = true;

    Sse(OutputStream out) {
      this.out = out;
    }

    void event(String name, JsonNode data) {
      if (!open) {
        return;
      }
      try {
        out.write(("event: " + name + "\ndata: " + Json.write(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        open = false;
      }
    }
  }

  private static UUID id(Context ctx) {
    String raw = ctx.pathParam("id");
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      // Not a session id of anyone: the same answer as another tenant's session.
      throw new dev.parley.agent.AgentException(dev.parley.agent.AgentException.Kind.NOT_FOUND, "session " + raw + " not found");
    }
  }

  private static JsonNode body(Context ctx) {
    String text = ctx.body();
    if (text.isBlank()) {
      return Json.object();
    }
    JsonNode node;
    try {
      node = Json.mapper().readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ApiError.badRequest("body is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw ApiError.badRequest("body must be a JSON object");
    }
    return node;
  }

  private static Optional<String> text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw ApiError.badRequest(field + " must be a string");
    }
    return Optional.of(node.asText());
  }
}
