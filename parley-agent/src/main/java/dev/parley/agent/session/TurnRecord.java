package dev.parley.agent.session;

import static java.util.Objects.requireNonNull;

import dev.parley.agent.fsm.TurnStatus;
import dev.parley.core.chat.Usage;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** One turn as stored: its state, the user message it answers, and what it cost. */
public record TurnRecord(
    UUID id,
    UUID sessionId,
    int seq,
    TurnStatus status,
    int attempts,
    int userMessageSeq,
    Instant startedAt,
    Optional<Instant> finishedAt,
    int rounds,
    int modelCalls,
    Usage usage,
    double costUsd,
    Optional<Double> durationMs,
    double modelMs,
    double toolMs,
    Optional<String> errorCode,
    Optional<String> errorMessage) {
  public TurnRecord {
    requireNonNull(id, "id is null");
    requireNonNull(sessionId, "sessionId is null");
    requireNonNull(status, "status is null");
    requireNonNull(startedAt, "startedAt is null");
    requireNonNull(finishedAt, "finishedAt is null");
    requireNonNull(usage, "usage is null");
    requireNonNull(durationMs, "durationMs is null");
    requireNonNull(errorCode, "errorCode is null");
    requireNonNull(errorMessage, "errorMessage is null");
  }
}
