package dev.parley.agent.session;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.persist.BlockCodec;
import dev.parley.core.chat.ChatMessage;
import dev.parley.core.chat.Usage;
import dev.parley.core.json.Json;
import java.util.Optional;

/** The HTTP API's JSON for sessions, messages, turns and events (DESIGN §5). */
public final class SessionJson {
  private SessionJson() {}

  public static ObjectNode session(Session s, Optional<ObjectNode> lastTurn) {
    ObjectNode node = Json.object()
        .put("id", s.id().toString())
        .put("agent", s.agent())
        .put("phase", s.phase())
        .put("status", s.status().wire());
    node.set("fields", s.fields());
    s.user().ifPresent(u -> node.put("user", u));
    node.set("metadata", s.metadata());
    s.summary().ifPresent(sum -> node.put("summary", sum).put("summary_through", s.summaryThrough()));
    ObjectNode stats = node.putObject("stats")
        .put("turns", s.stats().turns())
        .put("messages", s.stats().messages())
        .put("input_tokens", s.stats().inputTokens())
        .put("output_tokens", s.stats().outputTokens())
        .put("cache_read_tokens", s.stats().cacheReadTokens())
        .put("cache_write_tokens", s.stats().cacheWriteTokens())
        .put("cost_usd", s.stats().costUsd());
    stats.put("total_tokens", s.stats().inputTokens() + s.stats().outputTokens());
    lastTurn.ifPresent(t -> node.set("last_turn", t));
    node.put("version", s.version());
    node.put("created_at", s.createdAt().toString());
    node.put("updated_at", s.updatedAt().toString());
    return node;
  }

  public static ObjectNode message(StoredMessage m) {
    ObjectNode node = Json.object()
        .put("id", m.id().toString())
        .put("seq", m.seq())
        .put("role", m.kind().role() == ChatMessage.Role.USER ? "user" : "assistant")
        .put("kind", m.kind().wire())
        .put("text", m.text())
        .put("phase", m.phase());
    ArrayNode content = node.putArray("content");
    m.blocks().forEach(b -> content.add(BlockCodec.block(b)));
    m.turnId().ifPresent(t -> node.put("turn_id", t.toString()));
    node.put("created_at", m.createdAt().toString());
    return node;
  }

  /** A turn, with its status as seen now ({@code effectiveStatus} reports a dead process's turn as interrupted). */
  public static ObjectNode turn(TurnRecord t, String effectiveStatus) {
    ObjectNode node = Json.object()
        .put("id", t.id().toString())
        .put("seq", t.seq())
        .put("status", effectiveStatus)
        .put("attempts", t.attempts())
        .put("user_message_seq", t.userMessageSeq())
        .put("rounds", t.rounds())
        .put("model_calls", t.modelCalls());
    node.set("usage", usage(t.usage()));
    node.put("cost_usd", t.costUsd());
    t.durationMs().ifPresent(d -> node.put("duration_ms", d)
        .put("model_ms", t.modelMs())
        .put("tool_ms", t.toolMs())
        .put("overhead_ms", Math.max(0, d - t.modelMs() - t.toolMs())));
    t.errorCode().ifPresent(c -> node.put("error_code", c));
    t.errorMessage().ifPresent(c -> node.put("error_message", c));
    node.put("started_at", t.startedAt().toString());
    t.finishedAt().ifPresent(f -> node.put("finished_at", f.toString()));
    node.put("retriable", "failed".equals(effectiveStatus) || "interrupted".equals(effectiveStatus));
    return node;
  }

  public static ObjectNode usage(Usage u) {
    return Json.object()
        .put("input_tokens", u.inputTokens())
        .put("output_tokens", u.outputTokens())
        .put("cache_read_tokens", u.cacheReadTokens())
        .put("cache_write_tokens", u.cacheWriteTokens());
  }

  public static ObjectNode event(AgentEvent e) {
    ObjectNode node = Json.object()
        .put("id", e.id())
        .put("type", e.type().wire())
        .put("at", e.at().toString());
    e.turnId().ifPresent(t -> node.put("turn_id", t.toString()));
    e.durationMs().ifPresent(d -> node.put("duration_ms", d));
    e.model().ifPresent(m -> node.put("model", m));
    e.usage().ifPresent(u -> node.set("usage", usage(u)));
    node.set("data", e.data());
    return node;
  }
}
