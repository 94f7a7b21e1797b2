package dev.parley.agent.turn;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.fsm.TurnStatus;
import dev.parley.agent.session.Session;
import dev.parley.agent.session.SessionJson;
import dev.parley.agent.session.StoredMessage;
import dev.parley.agent.session.TurnRecord;
import dev.parley.core.json.Json;
import java.util.Optional;

/** The reply to a completed turn, {@code {message, session, tool_calls, turn}} (docs/orchestrator.md, "HTTP API"). */
final class TurnReplyJson {
  private TurnReplyJson() {}

  /**
   * @param answer the assistant message that ends the turn
   * @param session the session after the turn
   * @param turn the completed turn
   * @param toolCalls the tool calls this attempt of the turn decided, as {@link TurnListener#onToolCall} saw them
   * @param stop why the turn ended: {@code end_turn} or {@code max_tool_rounds}
   */
  static ObjectNode render(StoredMessage answer, Session session, TurnRecord turn, ArrayNode toolCalls, String stop) {
    ObjectNode json = Json.object();
    json.set("message", SessionJson.message(answer));
    json.set("session", SessionJson.session(session, Optional.of(SessionJson.turn(turn, TurnStatus.COMPLETED.wire()))));
    json.set("tool_calls", toolCalls);
    json.set("turn", SessionJson.turn(turn, TurnStatus.COMPLETED.wire()).put("stop", stop));
    return json;
  }
}
