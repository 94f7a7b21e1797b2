package dev.parley.agent.persist;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.fsm.SessionStatus;
import dev.parley.agent.session.Session;
import dev.parley.agent.session.SessionStats;
import dev.parley.core.chat.Usage;
import dev.parley.core.json.Json;
import dev.parley.core.text.TextChecks;
import dev.parley.store.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * SQL of the {@code sessions} table. Every read filters on the tenant. State changes are
 * compare-and-set on {@code version} and fenced by the turn lease: 0 rows updated means a lost race.
 */
public final class SessionRepository {
  private static final String COLUMNS = """
      id, tenant_id, agent, user_ref, metadata::text AS metadata, status, phase, state::text AS state, summary, summary_through,
      version, active_turn, lease_until, turn_count, message_count, input_tokens, output_tokens, cache_read_tokens,
      cache_write_tokens, cost_usd, created_at, updated_at""";

  private static final String S_COLUMNS = """
      s.id, s.tenant_id, s.agent, s.user_ref, s.metadata::text AS metadata, s.status, s.phase, s.state::text AS state, s.summary,
      s.summary_through, s.version, s.active_turn, s.lease_until, s.turn_count, s.message_count, s.input_tokens, s.output_tokens,
      s.cache_read_tokens, s.cache_write_tokens, s.cost_usd, s.created_at, s.updated_at""";

  private SessionRepository() {}

  /** The session after taking its lease, and the turn that held it before (a dead process's), if any. */
  public record Acquired(Session session, Optional<UUID> previous) {}

  /** Key 1 of the advisory lock each orchestrator process holds for its lifetime (migration V7, {@code LeaseOwner}). */
  public static final int OWNER_LOCK_NAMESPACE = 0x7061726C;

  /**
   * SQL that is true when the lease owner {@code column} names no longer holds its advisory lock in this
   * database: its process died (its connection closed). An owner of NULL (a lease taken before V7) is
   * never dead by this test; only expiry frees its leases.
   */
  static String ownerDead(String column) {
    return "(" + column + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted"
        + " AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())"
        + " AND l.classid = " + OWNER_LOCK_NAMESPACE + "::oid AND l.objid = " + column + "::oid AND l.objsubid = 2))";
  }

  /**
   * One statement for the start of a turn: takes the lease for attempt {@code token} of {@code turn},
   * owned by process {@code owner}, if nobody holds it, the holder's lease expired before {@code now},
   * or the holder's process is dead; adds to the turn and message counters, and returns the session as
   * it is now. Empty when another live attempt holds it.
   */
  public static Optional<Acquired> acquire(Handle h, TenantId tenant, UUID id, UUID turn, UUID token, int owner, Instant now, Instant until,
      int addTurns, int addMessages) {
    return h.createQuery("""
            WITH old AS (SELECT id, active_turn, lease_owner FROM sessions WHERE id = :id AND tenant_id = :tenant FOR UPDATE)
            UPDATE sessions s SET active_turn = :turn, lease_token = :token, lease_until = :until, lease_owner = :owner,
              turn_count = s.turn_count + :turns, message_count = s.message_count + :messages
            FROM old
            WHERE s.id = old.id AND (old.active_turn IS NULL OR s.lease_until < :now OR""" + " " + ownerDead("old.lease_owner") + """
            )
            RETURNING old.active_turn AS previous,""" + " " + S_COLUMNS)
        .bind("id", id)
        .bind("tenant", tenant.value())
        .bind("turn", turn)
        .bind("token", token)
        .bind("owner", owner)
        .bind("until", Sql.ts(until))
        .bind("now", Sql.ts(now))
        .bind("turns", addTurns)
        .bind("messages", addMessages)
        .map((rs, ctx) -> new Acquired(row(rs), Optional.ofNullable(rs.getObject("previous", UUID.class))))
        .findOne();
  }

  /**
   * Whether the session's lease is held now: by turn {@code turn}, not expired at {@code now}, and by a
   * live process. False means a turn shown as running belongs to a dead process.
   */
  public static boolean leaseHeld(Handle h, TenantId tenant, UUID id, UUID turn, Instant now) {
    return h.createQuery("SELECT EXISTS (SELECT 1 FROM sessions WHERE id = :id AND tenant_id = :tenant AND active_turn = :turn"
            + " AND lease_until >= :now AND NOT " + ownerDead("lease_owner") + ")")
        .bind("id", id).bind("tenant", tenant.value()).bind("turn", turn).bind("now", Sql.ts(now))
        .mapTo(Boolean.class).one();
  }

  /**
   * Frees, across tenants, every lease that expired before {@code now} or whose owner is dead
   * (maintenance of crash recovery, not a tenant request).
   *
   * @return how many leases were freed
   */
  public static int releaseDeadLeases(Handle h, Instant now) {
    return h.createUpdate("UPDATE sessions SET active_turn = NULL, lease_token = NULL, lease_until = NULL, lease_owner = NULL"
            + " WHERE active_turn IS NOT NULL AND (lease_until < :now OR " + ownerDead("lease_owner") + ")")
        .bind("now", Sql.ts(now)).execute();
  }

  /** A phase/fields change to compare-and-set with a round. */
  public record StateChange(long expectedVersion, String phase, SessionStatus status, ObjectNode fields) {}

  /**
   * One statement for a stored round: fenced on the lease token (and, with a state change, on the
   * version), renews the lease, adds to the counters and applies the change. False = lost race.
   */
  public static boolean commitRound(Handle h, TenantId tenant, UUID id, UUID token, Instant until, int messages, Usage usage, double cost, Instant at,
      Optional<StateChange> change) {
    String set = change.isPresent()
        ? ", phase = :phase, status = :status, state = CAST(:state AS jsonb), version = version + 1"
        : "";
    String where = change.isPresent() ? " AND version = :version" : "";
    var update = h.createUpdate("""
            UPDATE sessions SET lease_until = :until, message_count = message_count + :messages,
              input_tokens = input_tokens + :in, output_tokens = output_tokens + :out,
              cache_read_tokens = cache_read_tokens + :cr, cache_write_tokens = cache_write_tokens + :cw,
              cost_usd = cost_usd + :cost, updated_at = :at""" + set + " WHERE id = :id AND tenant_id = :tenant AND lease_token = :token" + where)
        .bind("id", id).bind("tenant", tenant.value()).bind("token", token).bind("until", Sql.ts(until)).bind("messages", messages)
        .bind("in", usage.inputTokens()).bind("out", usage.outputTokens())
        .bind("cr", usage.cacheReadTokens()).bind("cw", usage.cacheWriteTokens())
        .bind("cost", cost).bind("at", Sql.ts(at));
    change.ifPresent(c -> update.bind("phase", c.phase()).bind("status", c.status().wire())
        .bind("state", Json.write(TextChecks.sanitize(StateCodec.encode(c.fields())))).bind("version", c.expectedVersion()));
    return update.execute() == 1;
  }

  /**
   * One statement for the end of a turn: fenced on the lease token, adds to the counters, releases the
   * lease and returns the session. Empty = this attempt no longer held the session.
   */
  public static Optional<Session> finish(Handle h, TenantId tenant, UUID id, UUID token, int messages, Usage usage, double cost, Instant at) {
    return h.createQuery("""
            UPDATE sessions s SET message_count = s.message_count + :messages,
              input_tokens = s.input_tokens + :in, output_tokens = s.output_tokens + :out,
              cache_read_tokens = s.cache_read_tokens + :cr, cache_write_tokens = s.cache_write_tokens + :cw,
              cost_usd = s.cost_usd + :cost, updated_at = :at, active_turn = NULL, lease_token = NULL, lease_until = NULL, lease_owner = NULL
            WHERE s.id = :id AND s.tenant_id = :tenant AND s.lease_token = :token
            RETURNING""" + " " + S_COLUMNS)
        .bind("id", id).bind("tenant", tenant.value()).bind("token", token).bind("messages", messages)
        .bind("in", usage.inputTokens()).bind("out", usage.outputTokens())
        .bind("cr", usage.cacheReadTokens()).bind("cw", usage.cacheWriteTokens())
        .bind("cost", cost).bind("at", Sql.ts(at))
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  public static void insert(Handle h, Session s) {
    h.createUpdate("""
            INSERT INTO sessions (id, tenant_id, agent, user_ref, metadata, status, phase, state, version, created_at, updated_at)
            VALUES (:id, :tenant, :agent, :user, CAST(:metadata AS jsonb), :status, :phase, CAST(:state AS jsonb), :version, :created, :updated)""")
        .bind("id", s.id())
        .bind("tenant", s.tenant().value())
        .bind("agent", s.agent())
        .bind("user", s.user().map(TextChecks::sanitize).orElse(null))
        .bind("metadata", Json.write(TextChecks.sanitize(s.metadata())))
        .bind("status", s.status().wire())
        .bind("phase", s.phase())
        .bind("state", Json.write(TextChecks.sanitize(StateCodec.encode(s.fields()))))
        .bind("version", s.version())
        .bind("created", Sql.ts(s.createdAt()))
        .bind("updated", Sql.ts(s.updatedAt()))
        .execute();
  }

  public static Optional<Session> find(Handle h, TenantId tenant, UUID id) {
    requireNonNull(tenant, "tenant is null");
    return h.createQuery("SELECT " + COLUMNS + " FROM sessions WHERE id = :id AND tenant_id = :tenant")
        .bind("id", id)
        .bind("tenant", tenant.value())
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  /** Extends the lease of attempt {@code token}; false when it no longer holds the session (fencing). */
  public static boolean renewLease(Handle h, TenantId tenant, UUID id, UUID token, Instant until) {
    return h.createUpdate("UPDATE sessions SET lease_until = :until WHERE id = :id AND tenant_id = :tenant AND lease_token = :token")
        .bind("id", id).bind("tenant", tenant.value()).bind("token", token).bind("until", Sql.ts(until))
        .execute() == 1;
  }

  public static boolean releaseLease(Handle h, TenantId tenant, UUID id, UUID token) {
    return h.createUpdate(
            "UPDATE sessions SET active_turn = NULL, lease_token = NULL, lease_until = NULL, lease_owner = NULL WHERE id = :id AND tenant_id = :tenant"
                + " AND lease_token = :token")
        .bind("id", id).bind("tenant", tenant.value()).bind("token", token)
        .execute() == 1;
  }

  /** Compare-and-set of the rolling summary. */
  public static boolean casSummary(Handle h, TenantId tenant, UUID id, UUID token, long expectedVersion, String summary, int through, Instant at) {
    return h.createUpdate("""
            UPDATE sessions SET summary = :summary, summary_through = :through, version = version + 1, updated_at = :at
            WHERE id = :id AND tenant_id = :tenant AND version = :version AND lease_token = :token""")
        .bind("id", id).bind("tenant", tenant.value()).bind("token", token).bind("version", expectedVersion)
        .bind("summary", TextChecks.sanitize(summary)).bind("through", through).bind("at", Sql.ts(at))
        .execute() == 1;
  }

  /** Adds to the session's counters. */
  public static void addStats(Handle h, TenantId tenant, UUID id, int turns, int messages, Usage usage, double cost, Instant at) {
    h.createUpdate("""
            UPDATE sessions SET turn_count = turn_count + :turns, message_count = message_count + :messages,
              input_tokens = input_tokens + :in, output_tokens = output_tokens + :out,
              cache_read_tokens = cache_read_tokens + :cr, cache_write_tokens = cache_write_tokens + :cw,
              cost_usd = cost_usd + :cost, updated_at = :at
            WHERE id = :id AND tenant_id = :tenant""")
        .bind("id", id).bind("tenant", tenant.value()).bind("turns", turns).bind("messages", messages)
        .bind("in", usage.inputTokens()).bind("out", usage.outputTokens())
        .bind("cr", usage.cacheReadTokens()).bind("cw", usage.cacheWriteTokens())
        .bind("cost", cost).bind("at", Sql.ts(at))
        .execute();
  }

  static Session row(ResultSet rs) throws SQLException {
    return new Session(
        rs.getObject("id", UUID.class),
        new TenantId(rs.getLong("tenant_id")),
        rs.getString("agent"),
        Sql.optString(rs, "user_ref"),
        (ObjectNode) Sql.json(rs, "metadata"),
        SessionStatus.fromWire(rs.getString("status")),
        rs.getString("phase"),
        StateCodec.decode(Sql.json(rs, "state")),
        Sql.optString(rs, "summary"),
        rs.getInt("summary_through"),
        rs.getLong("version"),
        Optional.ofNullable(rs.getObject("active_turn", UUID.class)),
        Sql.optInstant(rs, "lease_until"),
        new SessionStats(rs.getInt("turn_count"), rs.getInt("message_count"), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
            rs.getLong("cache_read_tokens"), rs.getLong("cache_write_tokens"), rs.getDouble("cost_usd")),
        Sql.instant(rs, "created_at"),
        Sql.instant(rs, "updated_at"));
  }
}
