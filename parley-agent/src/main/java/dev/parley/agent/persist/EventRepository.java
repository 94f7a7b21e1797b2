package dev.parley.agent.persist;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.session.AgentEvent;
import dev.parley.agent.session.EventType;
import dev.parley.core.chat.Usage;
import dev.parley.core.json.Json;
import dev.parley.core.text.TextChecks;
import dev.parley.store.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** SQL of {@code agent_events}. */
public final class EventRepository {
  private static final String COLUMNS = """
      id, session_id, turn_id, at, type, duration_ms, model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
      data::text AS data""";

  private EventRepository() {}

  public static void insertAll(Handle h, TenantId tenant, Collection<AgentEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    PreparedBatch batch = h.prepareBatch("""
        INSERT INTO agent_events (tenant_id, session_id, turn_id, at, type, duration_ms, model, input_tokens, output_tokens,
          cache_read_tokens, cache_write_tokens, data)
        VALUES (:tenant, :session, :turn, :at, :type, :duration, :model, :in, :out, :cr, :cw, CAST(:data AS jsonb))""");
    for (AgentEvent e : events) {
      Optional<Usage> usage = e.usage();
      batch.bind("tenant", tenant.value())
          .bind("session", e.sessionId())
          .bind("turn", e.turnId().orElse(null))
          .bind("at", Sql.ts(e.at()))
          .bind("type", e.type().wire())
          .bind("duration", e.durationMs().orElse(null))
          .bind("model", e.model().map(TextChecks::sanitize).orElse(null))
          .bind("in", usage.map(Usage::inputTokens).orElse(null))
          .bind("out", usage.map(Usage::outputTokens).orElse(null))
          .bind("cr", usage.map(Usage::cacheReadTokens).orElse(null))
          .bind("cw", usage.map(Usage::cacheWriteTokens).orElse(null))
          .bind("data", Json.write(TextChecks.sanitize(e.data())))
          .add();
    }
    batch.execute();
  }

  public static List<AgentEvent> list(Handle h, TenantId tenant, UUID session, long afterId, int limit) {
    return h.createQuery("SELECT " + COLUMNS + " FROM agent_events WHERE session_id = :s AND tenant_id = :t AND id > :after ORDER BY id LIMIT :limit")
        .bind("s", session).bind("t", tenant.value()).bind("after", afterId).bind("limit", limit)
        .map((rs, ctx) -> row(rs))
        .list();
  }

  /** The events of one turn (all its attempts), oldest first. */
  public static List<AgentEvent> ofTurn(Handle h, TenantId tenant, UUID session, UUID turn) {
    return h.createQuery("SELECT " + COLUMNS + " FROM agent_events WHERE session_id = :s AND tenant_id = :t AND turn_id = :turn ORDER BY id")
        .bind("s", session).bind("t", tenant.value()).bind("turn", turn)
        .map((rs, ctx) -> row(rs))
        .list();
  }

  private static AgentEvent row(ResultSet rs) throws SQLException {
    Optional<Long> in = Sql.optLong(rs, "input_tokens");
    Optional<Usage> usage = Optional.empty();
    if (in.isPresent()) {
      usage = Optional.of(new Usage(in.get(), rs.getLong("output_tokens"), rs.getLong("cache_read_tokens"), rs.getLong("cache_write_tokens")));
    }
    return new AgentEvent(
        rs.getLong("id"),
        rs.getObject("session_id", UUID.class),
        Optional.ofNullable(rs.getObject("turn_id", UUID.class)),
        Sql.instant(rs, "at"),
        EventType.fromWire(rs.getString("type")),
        Sql.optDouble(rs, "duration_ms"),
        Sql.optString(rs, "model"),
        usage,
        (ObjectNode) Sql.json(rs, "data"));
  }
}
