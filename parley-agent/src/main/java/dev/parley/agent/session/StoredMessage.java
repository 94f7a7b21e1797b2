package dev.parley.agent.session;

import static java.util.Objects.requireNonNull;

import dev.parley.core.chat.ChatMessage;
import dev.parley.core.chat.ContentBlock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One stored message with every content block, so history replays to the provider exactly.
 *
 * @param seq 1-based position in the session
 * @param tokens estimated tokens of the blocks (for the context window)
 * @param phase the session's phase when the message was stored
 */
public record StoredMessage(
    UUID sessionId, int seq, UUID id, Optional<UUID> turnId, MessageKind kind, List<ContentBlock> blocks, int tokens, String phase, Instant createdAt) {
  public StoredMessage {
    requireNonNull(sessionId, "sessionId is null");
    requireNonNull(id, "id is null");
    requireNonNull(turnId, "turnId is null");
    requireNonNull(kind, "kind is null");
    blocks = List.copyOf(requireNonNull(blocks, "blocks is null"));
    requireNonNull(phase, "phase is null");
    requireNonNull(createdAt, "createdAt is null");
    if (seq < 1) {
      throw new IllegalArgumentException("seq must be >= 1, was " + seq);
    }
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("blocks is empty");
    }
  }

  public ChatMessage toChatMessage() {
    return new ChatMessage(kind.role(), blocks);
  }

  /** The concatenated text blocks. */
  public String text() {
    return toChatMessage().text();
  }

  public boolean hasToolUse() {
    return blocks.stream().anyMatch(ContentBlock.ToolUse.class::isInstance);
  }

  public boolean hasToolResult() {
    return blocks.stream().anyMatch(ContentBlock.ToolResult.class::isInstance);
  }
}
