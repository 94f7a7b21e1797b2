package dev.parley.agent.tool;

import static java.util.Objects.requireNonNull;

import dev.parley.agent.definition.ToolDefinition;
import java.util.List;

/** The guard's verdict on one tool_use block. */
public sealed interface GuardDecision {

  /** Why a call was refused; kept in events and signals, never shown to the model. */
  enum BlockReason {
    /** No phase of the agent has a tool of that name. */
    UNKNOWN_TOOL,
    /** Another phase has the tool, the current one does not. */
    OUT_OF_PHASE,
    /** The name differs from a real tool only in letter case. */
    CASE_MISMATCH,
    /** An earlier call of the same model reply changed the phase; the tools offered are stale. */
    PHASE_CHANGED
  }

  /** The tool_result content sent back to the model for a refused call (empty for allowed calls). */
  String message();

  record Allowed(ToolDefinition tool) implements GuardDecision {
    public Allowed {
      requireNonNull(tool, "tool is null");
    }

    @Override
    public String message() {
      return "";
    }
  }

  record Blocked(BlockReason reason, String message) implements GuardDecision {
    public Blocked {
      requireNonNull(reason, "reason is null");
      requireNonNull(message, "message is null");
    }
  }

  record Invalid(ToolDefinition tool, List<String> errors, String message) implements GuardDecision {
    public Invalid {
      requireNonNull(tool, "tool is null");
      errors = List.copyOf(requireNonNull(errors, "errors is null"));
      requireNonNull(message, "message is null");
    }
  }
}
