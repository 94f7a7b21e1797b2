package dev.parley.agent.flags;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The {@code flags} table. Flags are global (not per tenant): they switch orchestrator behaviour. */
public final class FlagRepository {
  private final Jdbi jdbi;

  public FlagRepository(Jdbi jdbi) {
    this.jdbi = requireNonNull(jdbi, "jdbi is null");
  }

  public List<Flag> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT name, enabled, rollout, description, updated_at FROM flags ORDER BY name")
        .map((rs, ctx) -> new Flag(rs.getString("name"), rs.getBoolean("enabled"), rs.getInt("rollout"), rs.getString("description"),
            rs.getObject("updated_at", OffsetDateTime.class).toInstant()))
        .list());
  }

  public Optional<Flag> find(String name) {
    return list().stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /** Inserts or replaces a flag and returns it as stored. */
  public Flag upsert(String name, boolean enabled, int rollout, String description) {
    Flag flag = new Flag(name, enabled, rollout, description, Instant.EPOCH); // validates before any write
    return jdbi.withHandle(h -> h.createQuery("""
            INSERT INTO flags (name, enabled, rollout, description, updated_at) VALUES (:name, :enabled, :rollout, :description, now())
            ON CONFLICT (name) DO UPDATE SET enabled = excluded.enabled, rollout = excluded.rollout,
              description = CASE WHEN excluded.description = '' THEN flags.description ELSE excluded.description END,
              updated_at = now()
            RETURNING name, enabled, rollout, description, updated_at""")
        .bind("name", flag.name())
        .bind("enabled", flag.enabled())
        .bind("rollout", flag.rollout())
        .bind("description", flag.description())
        .map((rs, ctx) -> new Flag(rs.getString("name"), rs.getBoolean("enabled"), rs.getInt("rollout"), rs.getString("description"),
            rs.getObject("updated_at", OffsetDateTime.class).toInstant()))
        .one());
  }
}
