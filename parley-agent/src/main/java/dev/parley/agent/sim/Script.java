package dev.parley.agent.sim;

import static java.util.Objects.requireNonNull;

import dev.parley.core.chat.ContentBlock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One scripted conversation: what the user says each turn and what the (scripted) model answers, reply
 * by reply, within that turn. Scripts drive the real orchestrator against a local fake provider, so
 * adversarial model behaviour (out-of-phase, unknown, case-changed tools; invalid inputs) can be replayed
 * exactly.
 */
public record Script(String id, String description, Optional<String> userName, List<Turn> turns, Optional<Expect> expect) {
  public Script {
    requireNonNull(id, "id is null");
    requireNonNull(description, "description is null");
    requireNonNull(userName, "userName is null");
    turns = List.copyOf(requireNonNull(turns, "turns is null"));
    requireNonNull(expect, "expect is null");
    if (turns.isEmpty()) {
      throw new IllegalArgumentException("script " + id + " has no turns");
    }
  }

  /**
   * A user message and the model replies the orchestrator will receive while answering it, in order; each
   * reply is the content blocks of one assistant message.
   */
  public record Turn(String user, List<List<ContentBlock>> model) {
    public Turn {
      requireNonNull(user, "user is null");
      model = requireNonNull(model, "model is null").stream().map(List::copyOf).toList();
    }
  }

  /** What the conversation must end with. */
  public record Expect(Optional<String> finalPhase, OptionalInt blocked, OptionalInt executed) {
    public Expect {
      requireNonNull(finalPhase, "finalPhase is null");
      requireNonNull(blocked, "blocked is null");
      requireNonNull(executed, "executed is null");
    }
  }
}
