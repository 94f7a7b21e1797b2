package dev.parley.llm.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.chat.ChatMessage;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.chat.ChatResponse;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.chat.Usage;
import dev.parley.core.json.Json;
import dev.parley.fakes.FakeOpenAiServer;
import dev.parley.fakes.FakeReply;
import dev.parley.fakes.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiCompatibleChatModelTest extends ChatModelContractTest<FakeOpenAiServer> {

  @Override
  FakeOpenAiServer startServer() {
    return FakeOpenAiServer.start();
  }

  @Override
  ChatModel model(FakeOpenAiServer server, ResilienceConfig resilience) {
    return new OpenAiCompatibleChatModel(new ProviderConfig(server.baseUrl(), API_KEY, MODEL, resilience));
  }

  @Override
  FakeReply.Error overloaded() {
    return FakeReply.error(503, "server_error", "The server is overloaded");
  }

  @Override
  List<JsonNode> wireToolSchemas(RecordedRequest request) {
    List<JsonNode> schemas = new ArrayList<>();
    request.json().path("tools").forEach(t -> schemas.add(t.path("function").path("parameters")));
    return schemas;
  }

  @Override
  void assertReplayedToolRoundTrip(RecordedRequest second, String id, ObjectNode input) {
    JsonNode messages = second.messages();
    // system, user, assistant with tool_calls, tool
    assertThat(messages).hasSize(4);
    assertThat(messages.get(0).path("role").asText()).isEqualTo("system");
    assertThat(messages.get(1).path("role").asText()).isEqualTo("user");
    JsonNode assistant = messages.get(2);
    assertThat(assistant.path("role").asText()).isEqualTo("assistant");
    JsonNode call = assistant.path("tool_calls").get(0);
    assertThat(call.path("id").asText()).isEqualTo(id);
    assertThat(call.path("type").asText()).isEqualTo("function");
    assertThat(call.path("function").path("name").asText()).isEqualTo("complete_profile");
    assertThat(Json.parse(call.path("function").path("arguments").asText())).isEqualTo(input);
    JsonNode tool = messages.get(3);
    assertThat(tool.path("role").asText()).isEqualTo("tool");
    assertThat(tool.path("tool_call_id").asText()).isEqualTo(id);
    assertThat(tool.path("content").asText()).isEqualTo("{\"ok\":true}");
  }

  @Test
  void sendsBearerKeyToChatCompletions() {
    server.enqueue(FakeReply.text("ok"));

    model().chat(request("", List.of(ChatMessage.user("hi")), List.of()));

    RecordedRequest r = server.lastRequest();
    assertThat(r.path()).isEqualTo("/v1/chat/completions");
    assertThat(r.header("authorization")).contains("Bearer " + API_KEY);
    assertThat(r.at("/temperature").asDouble()).isEqualTo(0.2);
  }

  @Test
  void cachedPromptTokensAreReadsAndNotCountedTwice() {
    server.enqueue(FakeReply.text("a").withUsage(new Usage(100, 7, 1900, 0)));

    ChatResponse r = model().chat(request("", List.of(ChatMessage.user("hi")), List.of()));

    assertThat(r.usage()).isEqualTo(new Usage(100, 7, 1900, 0));
    assertThat(server.lastRequest().hasCacheControl()).isFalse();
  }

  @Test
  void streamedUsageIsParsed() {
    server.enqueue(FakeReply.text("a b").withUsage(new Usage(100, 7, 28, 0)));

    ChatResponse r = model().stream(request("", List.of(ChatMessage.user("hi")), List.of()), d -> { });

    assertThat(r.usage()).isEqualTo(new Usage(100, 7, 28, 0));
  }

  @Test
  void userTextAfterToolResultsFollowsTheToolMessages() {
    server.enqueue(FakeReply.text("ok"));
    List<ChatMessage> history = List.of(
        ChatMessage.user("go"),
        new ChatMessage(ChatMessage.Role.ASSISTANT, List.of(new ContentBlock.ToolUse("c1", "lookup", Json.object().put("q", "a")))),
        new ChatMessage(ChatMessage.Role.USER, List.of(new ContentBlock.ToolResult("c1", "A", false),
            new ContentBlock.Text("and also this"))));

    model().chat(request("", history, List.of(lookupTool())));

    JsonNode messages = server.lastRequest().messages();
    assertThat(messages.get(2).path("role").asText()).isEqualTo("tool");
    assertThat(messages.get(3).path("role").asText()).isEqualTo("user");
    assertThat(server.lastRequest().lastMessageText()).isEqualTo("and also this");
  }
}
