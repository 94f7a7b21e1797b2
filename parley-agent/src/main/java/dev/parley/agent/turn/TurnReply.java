package dev.parley.agent.turn;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The reply to a turn: {@code {"message","session","tool_calls","turn"}} exactly as stored for
 * idempotent replay, and whether it is such a replay.
 */
public record TurnReply(ObjectNode json, boolean replayed) {
  public TurnReply {
    requireNonNull(json, "json is null");
  }
}
