package dev.parley.agent.prompt;

import static java.util.Objects.requireNonNull;

import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.definition.AgentPrompts;
import dev.parley.agent.flags.FlagSet;
import dev.parley.agent.session.Session;
import dev.parley.agent.session.StoredMessage;
import dev.parley.core.chat.ChatMessage;
import dev.parley.core.chat.ChatRequest;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.chat.ToolSpec;
import dev.parley.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds one model request from the session as it is now: the system prompt (core + the current
 * phase's overlay, rendered with the session's fields; or the monolithic prompt when
 * {@code modular_prompts} is off), the tools offered, and the history. Called before every model
 * call, so a phase change made by a tool is reflected in the very next request.
 */
public final class PromptBuilder {
  static final String SUMMARY_HEADING = "## Earlier in this conversation (summary)";

  private PromptBuilder() {}

  /** The system prompt and tools for {@code session} (without history). */
  public record Prompt(String system, List<ToolSpec> tools) {
    public Prompt {
      requireNonNull(system, "system is null");
      tools = List.copyOf(requireNonNull(tools, "tools is null"));
    }

    public int estimatedTokens() {
      return TokenEstimator.text(system) + TokenEstimator.tools(tools);
    }
  }

  @SuppressWarnings("unchecked")
  public static Prompt prompt(AgentDefinition agent, Session session, FlagSet flags) {
    Map<String, Object> fields = Json.mapper().convertValue(session.fields(), Map.class);
    Map<String, Object> values = AgentPrompts.templateValues(fields, session.phase(), agent.name());
    session.user().ifPresent(u -> values.putIfAbsent("user", u));
    String system = flags.modularPrompts()
        ? agent.prompts().render(session.phase(), values)
        : agent.prompts().renderMonolithic(values);
    if (flags.contextWindow() && session.summary().isPresent()) {
      system = system + "\n\n" + SUMMARY_HEADING + "\n\n" + session.summary().get();
    }
    List<ToolSpec> tools = flags.modularPrompts() ? agent.toolSpecs(session.phase()) : agent.allToolSpecs();
    return new Prompt(system, tools);
  }

  public static ChatRequest request(AgentDefinition agent, String model, Prompt prompt, List<StoredMessage> history, FlagSet flags) {
    return new ChatRequest(model, prompt.system(), messages(history), prompt.tools(), agent.limits().maxOutputTokens(),
        agent.limits().temperature(), flags.promptCaching());
  }

  /**
   * The provider messages for stored history: consecutive messages of one role are merged (a turn
   * that stopped after its tool results is followed by the next user message), tool results first,
   * as the Messages API requires; a history that starts with the assistant gets a placeholder user
   * message (the provider requires the first message to be the user's).
   */
  public static List<ChatMessage> messages(List<StoredMessage> history) {
    List<ChatMessage> out = new ArrayList<>(history.size());
    ChatMessage.Role role = null;
    List<ContentBlock> pending = new ArrayList<>();
    for (StoredMessage m : history) {
      ChatMessage.Role r = m.kind().role();
      if (role != null && r != role) {
        out.add(new ChatMessage(role, order(pending)));
        pending = new ArrayList<>();
      }
      role = r;
      pending.addAll(m.blocks());
    }
    if (role != null) {
      out.add(new ChatMessage(role, order(pending)));
    }
    if (!out.isEmpty() && out.get(0).role() == ChatMessage.Role.ASSISTANT) {
      out.add(0, ChatMessage.user("(continuing the conversation)"));
    }
    return out;
  }

  private static List<ContentBlock> order(List<ContentBlock> blocks) {
    List<ContentBlock> results = new ArrayList<>();
    List<ContentBlock> rest = new ArrayList<>();
    for (ContentBlock b : blocks) {
      (b instanceof ContentBlock.ToolResult ? results : rest).add(b);
    }
    results.addAll(rest);
    return results;
  }
}
