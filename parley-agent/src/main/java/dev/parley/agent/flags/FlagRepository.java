package dev.parley.agent.flags;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code flags} table and the flags' history ({@code flag_events}). Flags are global (not per
 * tenant): they switch orchestrator behaviour.
 */
public final class FlagRepository {
  private static final String COLUMNS = "name, enabled, rollout, description, updated_at, guard::text AS guard";

  private final Jdbi jdbi;

  public FlagRepository(Jdbi jdbi) {
    this.jdbi = requireNonNull(jdbi, "jdbi is null");
  }

  Jdbi jdbi() {
    return jdbi;
  }

  public List<Flag> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM flags ORDER BY name").map((rs, ctx) -> row(rs)).list());
  }

  public Optional<Flag> find(String name) {
    return list().stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /** Inserts or replaces a flag, keeping its stored guard (none for a new flag), and returns it as stored. */
  public Flag upsert(String name, boolean enabled, int rollout, String description) {
    return upsert(name, enabled, rollout, description, Optional.empty());
  }

  /**
   * Inserts or replaces a flag and returns it as stored; {@code guard} replaces the stored guard when
   * present and keeps it when empty.
   */
  public Flag upsert(String name, boolean enabled, int rollout, String description, Optional<FlagGuard> guard) {
    requireNonNull(guard, "guard is null");
    Flag flag = new Flag(name, enabled, rollout, description, Instant.EPOCH, guard.orElse(FlagGuard.OFF)); // validates before any write
    return jdbi.withHandle(h -> h.createQuery("""
            INSERT INTO flags (name, enabled, rollout, description, updated_at, guard)
            VALUES (:name, :enabled, :rollout, :description, now(), CAST(:guard AS jsonb))
            ON CONFLICT (name) DO UPDATE SET enabled = excluded.enabled, rollout = excluded.rollout,
              description = CASE WHEN excluded.description = '' THEN flags.description ELSE excluded.description END,
              guard = CASE WHEN :set_guard THEN excluded.guard ELSE flags.guard END,
              updated_at = now()
            RETURNING""" + " " + COLUMNS)
        .bind("name", flag.name())
        .bind("enabled", flag.enabled())
        .bind("rollout", flag.rollout())
        .bind("description", flag.description())
        .bind("guard", guard.map(g -> Json.write(g.toJson())).orElse(null))
        .bind("set_guard", guard.isPresent())
        .map((rs, ctx) -> row(rs))
        .one());
  }

  /**
   * Sets the rollout of {@code seen} to 0 % (enabled stays as it is, as {@code flags set --rollout 0}
   * would), compare-and-set on the flag as {@code seen} was read (enabled, rollout, last change), so
   * that of two processes judging the same flag only one rolls it back; empty when it changed meanwhile.
   */
  static Optional<Flag> rollBack(Handle h, Flag seen) {
    return h.createQuery("""
            UPDATE flags SET rollout = 0, updated_at = now()
            WHERE name = :name AND enabled AND rollout = :rollout AND updated_at = :updated
            RETURNING""" + " " + COLUMNS)
        .bind("name", seen.name())
        .bind("rollout", seen.rollout())
        .bind("updated", OffsetDateTime.ofInstant(seen.updatedAt(), ZoneOffset.UTC))
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  /** One row of a flag's history. */
  public record FlagEvent(long id, String flag, Instant at, String type, ObjectNode data) {
    public FlagEvent {
      requireNonNull(flag, "flag is null");
      requireNonNull(at, "at is null");
      requireNonNull(type, "type is null");
      requireNonNull(data, "data is null");
    }
  }

  static void insertEvent(Handle h, String flag, Instant at, String type, ObjectNode data) {
    h.createUpdate("INSERT INTO flag_events (flag, at, type, data) VALUES (:flag, :at, :type, CAST(:data AS jsonb))")
        .bind("flag", flag)
        .bind("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
        .bind("type", type)
        .bind("data", Json.write(data))
        .execute();
  }

  /** The history of flag {@code name}, oldest first. */
  public List<FlagEvent> events(String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT id, flag, at, type, data::text AS data FROM flag_events WHERE flag = :flag ORDER BY id")
        .bind("flag", name)
        .map((rs, ctx) -> new FlagEvent(rs.getLong("id"), rs.getString("flag"), rs.getObject("at", OffsetDateTime.class).toInstant(),
            rs.getString("type"), (ObjectNode) Json.parse(rs.getString("data"))))
        .list());
  }

  private static Flag row(ResultSet rs) throws SQLException {
    String name = rs.getString("name");
    String guard = rs.getString("guard");
    return new Flag(name, rs.getBoolean("enabled"), rs.getInt("rollout"), rs.getString("description"),
        rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
        guard == null ? FlagGuard.OFF : FlagGuard.fromJson(Json.parse(guard), "flags.guard of '" + name + "'"));
  }
}
