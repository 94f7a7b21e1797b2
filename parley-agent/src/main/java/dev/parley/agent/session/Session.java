package dev.parley.agent.session;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.fsm.SessionStatus;
import dev.parley.store.TenantId;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A conversation with one agent, as stored. {@code version} is the compare-and-set token of phase,
 * fields and summary; {@code activeTurn}/{@code leaseUntil} name the turn that holds the session.
 */
public record Session(
    UUID id,
    TenantId tenant,
    String agent,
    Optional<String> user,
    ObjectNode metadata,
    SessionStatus status,
    String phase,
    ObjectNode fields,
    Optional<String> summary,
    int summaryThrough,
    long version,
    Optional<UUID> activeTurn,
    Optional<Instant> leaseUntil,
    SessionStats stats,
    Instant createdAt,
    Instant updatedAt) {

  public Session {
    requireNonNull(id, "id is null");
    requireNonNull(tenant, "tenant is null");
    requireNonNull(agent, "agent is null");
    requireNonNull(user, "user is null");
    metadata = requireNonNull(metadata, "metadata is null").deepCopy();
    requireNonNull(status, "status is null");
    requireNonNull(phase, "phase is null");
    fields = requireNonNull(fields, "fields is null").deepCopy();
    requireNonNull(summary, "summary is null");
    requireNonNull(activeTurn, "activeTurn is null");
    requireNonNull(leaseUntil, "leaseUntil is null");
    requireNonNull(stats, "stats is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(updatedAt, "updatedAt is null");
    if (summaryThrough < 0) {
      throw new IllegalArgumentException("summaryThrough must be >= 0, was " + summaryThrough);
    }
  }

  /** This session after a compare-and-set that changed phase, status and fields. */
  public Session withState(String newPhase, SessionStatus newStatus, ObjectNode newFields, Instant at) {
    return new Session(id, tenant, agent, user, metadata, newStatus, newPhase, newFields, summary, summaryThrough, version + 1,
        activeTurn, leaseUntil, stats, createdAt, at);
  }

  public Session withSummary(String newSummary, int through, Instant at) {
    return new Session(id, tenant, agent, user, metadata, status, phase, fields, Optional.of(newSummary), through, version + 1,
        activeTurn, leaseUntil, stats, createdAt, at);
  }
}
