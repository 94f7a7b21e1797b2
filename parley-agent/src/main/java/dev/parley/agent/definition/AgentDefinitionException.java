package dev.parley.agent.definition;

import dev.parley.core.error.BadInputException;
import java.util.List;

/** An agent folder that cannot be used; the message lists every problem found, each with its file. */
public final class AgentDefinitionException extends BadInputException {
  private final List<String> problems;

  public AgentDefinitionException(String agentDir, List<String> problems) {
    super("agent " + agentDir + " is invalid (" + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "): "
        + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
