package dev.parley.agent.tool;

/**
 * The Java extension point for tools whose definition says {@code "handler": {"java": "NAME"}}.
 * Register implementations in {@link ToolHandlers} before the agents are loaded. A thrown exception
 * becomes an error tool_result (and a {@code tool_error} signal); it never fails the turn.
 */
@FunctionalInterface
public interface ToolHandler {
  ToolOutcome handle(ToolInvocation call) throws Exception;
}
