package dev.parley.agent.tool;

import static java.util.Objects.requireNonNull;

import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.definition.Phase;
import dev.parley.agent.definition.ToolDefinition;
import dev.parley.core.chat.ContentBlock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides whether a tool_use may run: the name must be, exactly (case-sensitive), a tool of the
 * session's current phase, and the input must satisfy the tool's JSON Schema. Refusals produce an
 * error tool_result that names only the current phase's tools, so a refusal never teaches the model
 * about tools of other phases.
 */
public final class ToolGuard {
  private final AgentDefinition agent;

  public ToolGuard(AgentDefinition agent) {
    this.agent = requireNonNull(agent, "agent is null");
  }

  public GuardDecision check(String phase, ContentBlock.ToolUse use) {
    requireNonNull(phase, "phase is null");
    requireNonNull(use, "use is null");
    Optional<ToolDefinition> tool = agent.tool(phase, use.name());
    if (tool.isEmpty()) {
      return new GuardDecision.Blocked(classify(use.name()), refusal(phase));
    }
    List<String> errors = tool.get().inputSchema().validate(use.input());
    if (!errors.isEmpty()) {
      return new GuardDecision.Invalid(tool.get(), errors,
          "Tool call refused: the input of " + use.name() + " is invalid, so nothing was done. Problems: "
              + String.join("; ", errors) + ". Correct the input and call the tool again.");
    }
    return new GuardDecision.Allowed(tool.get());
  }

  /** The refusal for calls that follow a phase change within one model reply. */
  public GuardDecision phaseChanged(String newPhase) {
    return new GuardDecision.Blocked(GuardDecision.BlockReason.PHASE_CHANGED,
        "Tool call not run: an earlier tool call in this reply moved the conversation to the " + newPhase
            + " phase. " + available(newPhase));
  }

  private String refusal(String phase) {
    return "Tool call refused: the requested tool is not available in the current phase (" + phase + "), so nothing was done. "
        + available(phase);
  }

  private String available(String phase) {
    List<ToolDefinition> tools = agent.tools(phase);
    if (tools.isEmpty()) {
      return "No tools are available in this phase; answer the user in text.";
    }
    return "Tools available now: " + tools.stream().map(ToolDefinition::name).collect(Collectors.joining(", ")) + ".";
  }

  private GuardDecision.BlockReason classify(String name) {
    boolean exactElsewhere = false;
    boolean caseElsewhere = false;
    for (Phase phase : agent.phases().phases()) {
      for (ToolDefinition tool : agent.tools(phase.name())) {
        if (tool.name().equals(name)) {
          exactElsewhere = true;
        } else if (tool.name().equalsIgnoreCase(name)) {
          caseElsewhere = true;
        }
      }
    }
    if (exactElsewhere) {
      return GuardDecision.BlockReason.OUT_OF_PHASE;
    }
    return caseElsewhere ? GuardDecision.BlockReason.CASE_MISMATCH : GuardDecision.BlockReason.UNKNOWN_TOOL;
  }
}
