package dev.parley.agent.persist;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.fsm.TurnStatus;
import dev.parley.agent.session.TurnRecord;
import dev.parley.core.chat.Usage;
import dev.parley.core.json.Json;
import dev.parley.core.text.TextChecks;
import dev.parley.store.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** SQL of {@code agent_turns}. Status moves by compare-and-set on the expected status. */
public final class TurnRepository {
  private static final String COLUMNS = """
      id, session_id, seq, status, attempts, user_message_seq, started_at, finished_at, rounds, model_calls, input_tokens, output_tokens,
      cache_read_tokens, cache_write_tokens, cost_usd, duration_ms, model_ms, tool_ms, error_code, error_message""";

  public static final String INTERRUPTED_MESSAGE =
      "the process running this turn stopped before it finished; the user message is stored and the turn can be retried";

  private TurnRepository() {}

  /** A turn marked interrupted by {@link #interruptDead}. */
  public record Interrupted(UUID turnId, UUID sessionId, TenantId tenant) {}

  /**
   * Marks running turns whose session lease expired, moved to another turn, or belongs to a dead process
   * (its owner's advisory lock is gone) as interrupted.
   */
  // Cross-tenant on purpose: crash recovery sweeps dead turns of every tenant; each row returns its tenant.
  public static List<Interrupted> interruptDead(Handle h, Instant now) {
    return h.createQuery("""
            UPDATE agent_turns t SET status = 'interrupted', error_code = 'turn_interrupted', error_message = :message, finished_at = :now
            FROM sessions s
            WHERE t.session_id = s.id AND t.status = 'running'
              AND (s.active_turn IS DISTINCT FROM t.id OR s.lease_until < :now OR""" + " " + SessionRepository.ownerDead("s.lease_owner") + """
            )
            RETURNING t.id, t.session_id, t.tenant_id""")
        .bind("message", INTERRUPTED_MESSAGE)
        .bind("now", Sql.ts(now))
        .map((rs, ctx) -> new Interrupted(rs.getObject("id", UUID.class), rs.getObject("session_id", UUID.class), new TenantId(rs.getLong("tenant_id"))))
        .list();
  }

  public static int nextSeq(Handle h, TenantId tenant, UUID session) {
    return h.createQuery("SELECT coalesce(max(seq), 0) + 1 FROM agent_turns WHERE session_id = :s AND tenant_id = :t")
        .bind("s", session).bind("t", tenant.value()).mapTo(Integer.class).one();
  }

  public static void insert(Handle h, TenantId tenant, UUID id, UUID session, int seq, int userMessageSeq, Instant startedAt) {
    h.createUpdate("""
            INSERT INTO agent_turns (id, session_id, tenant_id, seq, status, user_message_seq, started_at)
            VALUES (:id, :session, :tenant, :seq, 'running', :user_seq, :started)""")
        .bind("id", id).bind("session", session).bind("tenant", tenant.value()).bind("seq", seq)
        .bind("user_seq", userMessageSeq).bind("started", Sql.ts(startedAt))
        .execute();
  }

  /**
   * Records the flag values the turn's current attempt runs with ({@code FlagSet.toJson()}), read by the
   * rollout guard and the decision gate; a resumed turn's attempt replaces the earlier attempt's.
   */
  public static void recordFlags(Handle h, TenantId tenant, UUID id, ObjectNode flags) {
    h.createUpdate("UPDATE agent_turns SET flags = CAST(:flags AS jsonb) WHERE id = :id AND tenant_id = :t")
        .bind("id", id).bind("t", tenant.value()).bind("flags", Json.write(flags)).execute();
  }

  public static Optional<TurnRecord> find(Handle h, TenantId tenant, UUID id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM agent_turns WHERE id = :id AND tenant_id = :t")
        .bind("id", id).bind("t", tenant.value()).map((rs, ctx) -> row(rs)).findOne();
  }

  public static Optional<TurnRecord> latest(Handle h, TenantId tenant, UUID session) {
    return h.createQuery("SELECT " + COLUMNS + " FROM agent_turns WHERE session_id = :s AND tenant_id = :t ORDER BY seq DESC LIMIT 1")
        .bind("s", session).bind("t", tenant.value()).map((rs, ctx) -> row(rs)).findOne();
  }

  public static List<TurnRecord> list(Handle h, TenantId tenant, UUID session) {
    return h.createQuery("SELECT " + COLUMNS + " FROM agent_turns WHERE session_id = :s AND tenant_id = :t ORDER BY seq")
        .bind("s", session).bind("t", tenant.value()).map((rs, ctx) -> row(rs)).list();
  }

  /** Moves a turn from {@code expected} to {@code next}; false when it was not in {@code expected}. */
  public static boolean casStatus(Handle h, TenantId tenant, UUID id, TurnStatus expected, TurnStatus next, Optional<String> errorCode, Optional<String> errorMessage, Instant at) {
    expected.checkTransition(next);
    return h.createUpdate("""
            UPDATE agent_turns SET status = :next, error_code = :code, error_message = :message,
              attempts = attempts + CASE WHEN :next = 'running' THEN 1 ELSE 0 END,
              finished_at = CASE WHEN :next = 'running' THEN NULL ELSE :at END
            WHERE id = :id AND tenant_id = :t AND status = :expected""")
        .bind("id", id).bind("t", tenant.value()).bind("expected", expected.wire()).bind("next", next.wire())
        .bind("code", errorCode.orElse(null)).bind("message", errorMessage.map(TextChecks::sanitize).orElse(null)).bind("at", Sql.ts(at))
        .execute() == 1;
  }

  /** Adds one round's figures. */
  public static void addRound(Handle h, TenantId tenant, UUID id, int rounds, int modelCalls, Usage usage, double cost, double modelMs, double toolMs) {
    h.createUpdate("""
            UPDATE agent_turns SET rounds = rounds + :rounds, model_calls = model_calls + :calls,
              input_tokens = input_tokens + :in, output_tokens = output_tokens + :out,
              cache_read_tokens = cache_read_tokens + :cr, cache_write_tokens = cache_write_tokens + :cw,
              cost_usd = cost_usd + :cost, model_ms = model_ms + :model_ms, tool_ms = tool_ms + :tool_ms
            WHERE id = :id AND tenant_id = :t""")
        .bind("id", id).bind("t", tenant.value()).bind("rounds", rounds).bind("calls", modelCalls)
        .bind("in", usage.inputTokens()).bind("out", usage.outputTokens())
        .bind("cr", usage.cacheReadTokens()).bind("cw", usage.cacheWriteTokens())
        .bind("cost", cost).bind("model_ms", modelMs).bind("tool_ms", toolMs)
        .execute();
  }

  /**
   * Adds the last figures and completes a running turn in one statement; empty when the turn was not
   * running (another attempt took it over).
   */
  public static Optional<TurnRecord> complete(Handle h, TenantId tenant, UUID id, int rounds, int modelCalls, Usage usage, double cost, double modelMs,
      double toolMs, double durationMs, Instant at) {
    return h.createQuery("""
            UPDATE agent_turns SET rounds = rounds + :rounds, model_calls = model_calls + :calls,
              input_tokens = input_tokens + :in, output_tokens = output_tokens + :out,
              cache_read_tokens = cache_read_tokens + :cr, cache_write_tokens = cache_write_tokens + :cw,
              cost_usd = cost_usd + :cost, model_ms = model_ms + :model_ms, tool_ms = tool_ms + :tool_ms,
              duration_ms = :duration, status = 'completed', finished_at = :at
            WHERE id = :id AND tenant_id = :t AND status = 'running'
            RETURNING""" + " " + COLUMNS)
        .bind("id", id).bind("t", tenant.value()).bind("rounds", rounds).bind("calls", modelCalls)
        .bind("in", usage.inputTokens()).bind("out", usage.outputTokens())
        .bind("cr", usage.cacheReadTokens()).bind("cw", usage.cacheWriteTokens())
        .bind("cost", cost).bind("model_ms", modelMs).bind("tool_ms", toolMs).bind("duration", durationMs).bind("at", Sql.ts(at))
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  public static void setDuration(Handle h, TenantId tenant, UUID id, double durationMs) {
    h.createUpdate("UPDATE agent_turns SET duration_ms = :d WHERE id = :id AND tenant_id = :t")
        .bind("id", id).bind("t", tenant.value()).bind("d", durationMs).execute();
  }

  static TurnRecord row(ResultSet rs) throws SQLException {
    return new TurnRecord(
        rs.getObject("id", UUID.class),
        rs.getObject("session_id", UUID.class),
        rs.getInt("seq"),
        TurnStatus.fromWire(rs.getString("status")),
        rs.getInt("attempts"),
        rs.getInt("user_message_seq"),
        Sql.instant(rs, "started_at"),
        Sql.optInstant(rs, "finished_at"),
        rs.getInt("rounds"),
        rs.getInt("model_calls"),
        new Usage(rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("cache_read_tokens"), rs.getLong("cache_write_tokens")),
        rs.getDouble("cost_usd"),
        Sql.optDouble(rs, "duration_ms"),
        rs.getDouble("model_ms"),
        rs.getDouble("tool_ms"),
        Sql.optString(rs, "error_code"),
        Sql.optString(rs, "error_message"));
  }
}
