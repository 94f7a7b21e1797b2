package dev.parley.agent.window;

import static java.util.Objects.requireNonNull;

import dev.parley.agent.session.MessageKind;
import dev.parley.agent.session.StoredMessage;
import java.util.List;
import java.util.Optional;

/**
 * Decides which older messages to fold into the rolling summary. Pure: history in, plan out.
 *
 * <p>When the estimated prompt (fixed part + history) exceeds the budget, the newest messages worth
 * about {@code keepRecentTokens} are kept and everything before is folded. The cut is only ever
 * placed just before a person's message, never between an assistant message with tool_use blocks
 * and the tool_result message that answers it, so the kept history is always valid for the
 * provider. The cut never passes {@code protectFrom} (the current turn's user message).
 */
public final class ContextWindow {
  private ContextWindow() {}

  /** Fold {@code folded} (oldest first) into the summary; keep {@code kept}. */
  public record Fold(List<StoredMessage> folded, List<StoredMessage> kept, int throughSeq) {
    public Fold {
      folded = List.copyOf(requireNonNull(folded, "folded is null"));
      kept = List.copyOf(requireNonNull(kept, "kept is null"));
      if (folded.isEmpty()) {
        throw new IllegalArgumentException("folded is empty");
      }
    }
  }

  /**
   * @param history the unsummarised messages, oldest first
   * @param fixedTokens estimated tokens of system prompt and tools
   * @param protectFrom index in {@code history} the cut must not pass (the current turn's first message)
   */
  public static Optional<Fold> plan(List<StoredMessage> history, int fixedTokens, int tokenBudget, int keepRecentTokens, int protectFrom) {
    requireNonNull(history, "history is null");
    if (protectFrom < 0 || protectFrom > history.size()) {
      throw new IllegalArgumentException("protectFrom must be in [0, " + history.size() + "], was " + protectFrom);
    }
    long total = fixedTokens;
    for (StoredMessage m : history) {
      total += m.tokens();
    }
    if (total <= tokenBudget) {
      return Optional.empty();
    }
    // Walk back from the newest message until the kept part is worth keepRecentTokens.
    int candidate = history.size();
    long kept = 0;
    while (candidate > 0 && kept < keepRecentTokens) {
      candidate--;
      kept += history.get(candidate).tokens();
    }
    candidate = Math.min(candidate, protectFrom);
    // Prefer keeping a little more (move the cut earlier) to a clean boundary; else keep less.
    int cut = -1;
    for (int i = candidate; i >= 1; i--) {
      if (isCleanCut(history, i)) {
        cut = i;
        break;
      }
    }
    if (cut < 0) {
      for (int i = candidate + 1; i <= protectFrom && i < history.size(); i++) {
        if (isCleanCut(history, i)) {
          cut = i;
          break;
        }
      }
    }
    if (cut < 1) {
      return Optional.empty();
    }
    return Optional.of(new Fold(history.subList(0, cut), history.subList(cut, history.size()), history.get(cut - 1).seq()));
  }

  /** A cut before index {@code i} is clean when message i is a person's message. */
  static boolean isCleanCut(List<StoredMessage> history, int i) {
    return i > 0 && i < history.size() && history.get(i).kind() == MessageKind.USER;
  }
}
