package dev.parley.agent.turn;

import dev.parley.agent.session.MessageKind;
import dev.parley.agent.session.StoredMessage;
import dev.parley.core.chat.ContentBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a turn's stored history that is sent to the model. Everything stored stays stored (and
 * visible in the API); left out are:
 *
 * <ul>
 *   <li>an assistant message that says nothing ({@link ModelOutput#isBlank}: an empty reply, kept so the
 *       turn has an answer), and blank text beside tool calls, both refused by the Messages API;
 *   <li>a user message that got no answer at all because its turn failed before storing anything, when
 *       the user then sent another message instead of retrying it. Sent, it would be merged into the new
 *       message (consecutive user messages become one) and answered with it, though the user moved on,
 *       and it would replay to the model whatever made that turn fail. The message of the turn running
 *       now is always sent.
 * </ul>
 */
final class SentHistory {
  private SentHistory() {}

  /**
   * @param history the turn's history, oldest first
   * @param userSeq the seq of the running turn's user message
   */
  static List<StoredMessage> of(List<StoredMessage> history, int userSeq) {
    List<StoredMessage> out = new ArrayList<>(history.size());
    for (int i = 0; i < history.size(); i++) {
      StoredMessage m = history.get(i);
      switch (m.kind()) {
        case USER -> {
          boolean unanswered = i + 1 < history.size() && history.get(i + 1).kind() == MessageKind.USER;
          if (!unanswered || m.seq() >= userSeq) {
            out.add(m);
          }
        }
        case ASSISTANT -> {
          if (!ModelOutput.isBlank(m.blocks())) {
            out.add(withoutBlankText(m));
          }
        }
        case TOOL_RESULT -> out.add(m);
      }
    }
    return out;
  }

  private static StoredMessage withoutBlankText(StoredMessage m) {
    List<ContentBlock> blocks = m.blocks().stream().filter(b -> !(b instanceof ContentBlock.Text t && t.text().isBlank())).toList();
    if (blocks.size() == m.blocks().size()) {
      return m;
    }
    return new StoredMessage(m.sessionId(), m.seq(), m.id(), m.turnId(), m.kind(), blocks, m.tokens(), m.phase(), m.createdAt());
  }
}
