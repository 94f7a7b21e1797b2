package dev.parley.llm.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.output.FinishReason;
import dev.parley.core.chat.ChatMessage;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.chat.StopReason;
import dev.parley.core.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Our blocks to LangChain4j messages and back.
 *
 * <p>Outbound, each of our messages becomes LangChain4j messages in block order: an assistant message
 * one {@link AiMessage} (its text, then its tool_use blocks with their ids and JSON input); a user
 * message a {@link ToolExecutionResultMessage} per tool_result (id, content, is_error) and a
 * {@link UserMessage} per run of text blocks. The Anthropic mapper groups consecutive tool results
 * into one user turn, so a user message of tool_results replays as the one message it was.
 *
 * <p>Inbound, a reply becomes one assistant message: its text (LangChain4j joins several text blocks
 * with a newline) followed by its tool_use blocks in order.
 */
final class Lc4jMessages {
  private Lc4jMessages() {}

  static List<dev.langchain4j.data.message.ChatMessage> toLc4j(String system, List<ChatMessage> messages) {
    List<dev.langchain4j.data.message.ChatMessage> out = new ArrayList<>();
    if (!system.isEmpty()) {
      out.add(SystemMessage.from(system));
    }
    Map<String, String> toolNames = new HashMap<>();
    for (ChatMessage message : messages) {
      switch (message.role()) {
        case ASSISTANT -> out.add(toAiMessage(message, toolNames));
        case USER -> addUser(message, toolNames, out);
      }
    }
    return out;
  }

  private static AiMessage toAiMessage(ChatMessage message, Map<String, String> toolNames) {
    StringBuilder text = new StringBuilder();
    List<ToolExecutionRequest> requests = new ArrayList<>();
    for (ContentBlock block : message.content()) {
      switch (block) {
        case ContentBlock.Text t -> text.append(t.text());
        case ContentBlock.ToolUse u -> {
          toolNames.put(u.id(), u.name());
          requests.add(ToolExecutionRequest.builder().id(u.id()).name(u.name()).arguments(Json.write(u.input())).build());
        }
        case ContentBlock.ToolResult r -> throw new IllegalArgumentException(
            "tool_result block " + r.toolUseId() + " in an ASSISTANT message; tool results belong in USER messages");
      }
    }
    return AiMessage.builder()
        .text(text.isEmpty() ? null : text.toString())
        .toolExecutionRequests(requests)
        .build();
  }

  private static void addUser(ChatMessage message, Map<String, String> toolNames,
      List<dev.langchain4j.data.message.ChatMessage> out) {
    List<Content> texts = new ArrayList<>();
    for (ContentBlock block : message.content()) {
      switch (block) {
        case ContentBlock.Text t -> texts.add(TextContent.from(t.text()));
        case ContentBlock.ToolResult r -> {
          flush(texts, out);
          out.add(ToolExecutionResultMessage.builder()
              .id(r.toolUseId())
              .toolName(toolNames.getOrDefault(r.toolUseId(), ""))
              .text(r.content())
              .isError(r.isError())
              .build());
        }
        case ContentBlock.ToolUse u -> throw new IllegalArgumentException(
            "tool_use block " + u.id() + " in a USER message; tool calls belong in ASSISTANT messages");
      }
    }
    flush(texts, out);
  }

  private static void flush(List<Content> texts, List<dev.langchain4j.data.message.ChatMessage> out) {
    if (!texts.isEmpty()) {
      out.add(UserMessage.from(List.copyOf(texts)));
      texts.clear();
    }
  }

  /** The assistant message of a reply; a tool call whose arguments are not a JSON object is malformed. */
  static ChatMessage fromAiMessage(AiMessage ai) {
    List<ContentBlock> blocks = new ArrayList<>();
    if (ai.text() != null && !ai.text().isEmpty()) {
      blocks.add(new ContentBlock.Text(ai.text()));
    }
    for (ToolExecutionRequest r : ai.toolExecutionRequests()) {
      if (r.id() == null || r.id().isBlank() || r.name() == null || r.name().isBlank()) {
        throw AttemptFailure.malformed("tool call without id or name: " + r);
      }
      blocks.add(new ContentBlock.ToolUse(r.id(), r.name(), parseArguments(r)));
    }
    if (blocks.isEmpty()) {
      // The provider said nothing (e.g. max_tokens reached at once); keep the message well-formed.
      blocks.add(new ContentBlock.Text(""));
    }
    return new ChatMessage(ChatMessage.Role.ASSISTANT, blocks);
  }

  private static ObjectNode parseArguments(ToolExecutionRequest r) {
    String args = r.arguments();
    if (args == null || args.isBlank()) {
      return Json.object();
    }
    try {
      JsonNode node = Json.mapper().readTree(args);
      if (node instanceof ObjectNode object) {
        return object;
      }
      throw AttemptFailure.malformed("tool_use " + r.id() + " input is not a JSON object: " + AttemptFailure.abbreviate(args));
    } catch (IOException e) {
      throw AttemptFailure.malformed("tool_use " + r.id() + " input is not JSON: " + AttemptFailure.abbreviate(args), e);
    }
  }

  static StopReason stopReason(FinishReason reason) {
    if (reason == null) {
      return StopReason.OTHER;
    }
    return switch (reason) {
      case STOP -> StopReason.END_TURN;
      case LENGTH -> StopReason.MAX_TOKENS;
      case TOOL_EXECUTION -> StopReason.TOOL_USE;
      case CONTENT_FILTER, OTHER -> StopReason.OTHER;
    };
  }
}
