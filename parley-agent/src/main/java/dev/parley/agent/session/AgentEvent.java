package dev.parley.agent.session;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.chat.Usage;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One observable step of a session. {@code id} is 0 until stored.
 *
 * @param data type-specific detail (tool name, phases, error code, ...)
 */
public record AgentEvent(
    long id,
    UUID sessionId,
    Optional<UUID> turnId,
    Instant at,
    EventType type,
    Optional<Double> durationMs,
    Optional<String> model,
    Optional<Usage> usage,
    ObjectNode data) {
  public AgentEvent {
    requireNonNull(sessionId, "sessionId is null");
    requireNonNull(turnId, "turnId is null");
    requireNonNull(at, "at is null");
    requireNonNull(type, "type is null");
    requireNonNull(durationMs, "durationMs is null");
    requireNonNull(model, "model is null");
    requireNonNull(usage, "usage is null");
    data = requireNonNull(data, "data is null").deepCopy();
  }

  public static AgentEvent of(UUID sessionId, Optional<UUID> turnId, Instant at, EventType type, ObjectNode data) {
    return new AgentEvent(0, sessionId, turnId, at, type, Optional.empty(), Optional.empty(), Optional.empty(), data);
  }

  public static AgentEvent timed(UUID sessionId, Optional<UUID> turnId, Instant at, EventType type, double durationMs, ObjectNode data) {
    return new AgentEvent(0, sessionId, turnId, at, type, Optional.of(durationMs), Optional.empty(), Optional.empty(), data);
  }
}
