package dev.parley.agent.tool;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.definition.ToolAction;
import dev.parley.agent.definition.ToolDefinition;
import dev.parley.core.json.Json;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs an allowed tool call: applies a declarative effect, calls a Java handler, or POSTs to a webhook.
 * Never throws for a tool's own failure: failures become error outcomes.
 */
public final class ToolExecutor {
  private final ToolHandlers handlers;
  private final HttpClient http;

  public ToolExecutor(ToolHandlers handlers, HttpClient http) {
    this.handlers = requireNonNull(handlers, "handlers is null");
    this.http = requireNonNull(http, "http is null");
  }

  public ToolOutcome execute(ToolDefinition tool, ToolInvocation call) {
    requireNonNull(tool, "tool is null");
    requireNonNull(call, "call is null");
    return switch (tool.action()) {
      case ToolAction.Effect effect -> effect(effect, call);
      case ToolAction.JavaHandler handler -> java(handler, call);
      case ToolAction.Webhook webhook -> webhook(webhook, call);
    };
  }

  private static ToolOutcome effect(ToolAction.Effect effect, ToolInvocation call) {
    ObjectNode set = Json.object();
    List<String> stored = new ArrayList<>();
    for (Map.Entry<String, String> e : effect.setFields().entrySet()) {
      JsonNode value = call.input().get(e.getValue());
      if (value != null && !value.isNull()) {
        set.set(e.getKey(), value.deepCopy());
        stored.add(e.getKey());
      }
    }
    ObjectNode content = Json.object().put("ok", true);
    content.set("stored", Json.mapper().valueToTree(stored));
    effect.transition().ifPresent(t -> content.put("phase", t));
    return new ToolOutcome(Json.write(content), false, set, effect.transition());
  }

  private ToolOutcome java(ToolAction.JavaHandler handler, ToolInvocation call) {
    Optional<ToolHandler> impl = handlers.find(handler.name());
    if (impl.isEmpty()) {
      return ToolOutcome.error("Tool " + call.toolName() + " failed: its handler is not available.");
    }
    try {
      return checkTransition(impl.get().handle(call), handler.transitions(), call);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ToolOutcome.error("Tool " + call.toolName() + " was interrupted.");
    } catch (Exception e) {
      return ToolOutcome.error("Tool " + call.toolName() + " failed: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  private ToolOutcome webhook(ToolAction.Webhook webhook, ToolInvocation call) {
    ObjectNode body = Json.object()
        .put("session_id", call.sessionId())
        .put("agent", call.agent())
        .put("phase", call.phase())
        .put("tool_use_id", call.toolUseId())
        .put("tool", call.toolName());
    body.set("input", call.input());
    body.set("fields", call.fields());
    HttpRequest request = HttpRequest.newBuilder(webhook.url())
        .timeout(webhook.timeout())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8))
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() / 100 != 2) {
        return ToolOutcome.error("Tool " + call.toolName() + " failed: its webhook answered HTTP " + response.statusCode() + ".");
      }
      JsonNode reply = Json.parse(response.body());
      boolean isError = reply.path("is_error").asBoolean(false);
      JsonNode contentNode = reply.path("content");
      String content = contentNode.isTextual() ? contentNode.asText() : Json.write(contentNode.isMissingNode() ? reply : contentNode);
      if (isError) {
        return ToolOutcome.error(content);
      }
      ObjectNode setFields = reply.path("set_fields").isObject() ? (ObjectNode) reply.get("set_fields") : Json.object();
      Optional<String> transition = Optional.ofNullable(reply.path("transition").textValue());
      return checkTransition(new ToolOutcome(content, false, setFields, transition), webhook.transitions(), call);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ToolOutcome.error("Tool " + call.toolName() + " was interrupted.");
    } catch (IOException | RuntimeException e) {
      return ToolOutcome.error("Tool " + call.toolName() + " failed: its webhook could not be reached or answered badly ("
          + e.getClass().getSimpleName() + ").");
    }
  }

  private static ToolOutcome checkTransition(ToolOutcome outcome, java.util.Set<String> allowed, ToolInvocation call) {
    requireNonNull(outcome, "handler returned null");
    if (outcome.transition().isPresent() && !allowed.contains(outcome.transition().get())) {
      return ToolOutcome.error("Tool " + call.toolName() + " failed: its handler asked for a phase change this tool does not declare.");
    }
    return outcome;
  }
}
