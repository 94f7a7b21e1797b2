package dev.parley.llm.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.chat.ChatMessage;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.chat.ChatRequest;
import dev.parley.core.chat.ChatResponse;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.chat.LlmException;
import dev.parley.core.chat.Usage;
import dev.parley.core.json.Json;
import dev.parley.fakes.FakeAnthropicServer;
import dev.parley.fakes.FakeReply;
import dev.parley.fakes.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicChatModelTest extends ChatModelContractTest<FakeAnthropicServer> {

  @Override
  FakeAnthropicServer startServer() {
    return FakeAnthropicServer.start();
  }

  @Override
  ChatModel model(FakeAnthropicServer server, ResilienceConfig resilience) {
    return new AnthropicChatModel(new ProviderConfig(server.baseUrl(), API_KEY, MODEL, resilience));
  }

  @Override
  FakeReply.Error overloaded() {
    return FakeReply.overloaded();
  }

  @Override
  List<JsonNode> wireToolSchemas(RecordedRequest request) {
    List<JsonNode> schemas = new ArrayList<>();
    request.json().path("tools").forEach(t -> schemas.add(t.path("input_schema")));
    return schemas;
  }

  @Override
  void assertReplayedToolRoundTrip(RecordedRequest second, String id, ObjectNode input) {
    JsonNode messages = second.messages();
    assertThat(messages).hasSize(3);
    assertThat(messages.get(0).path("role").asText()).isEqualTo("user");
    JsonNode assistant = messages.get(1);
    assertThat(assistant.path("role").asText()).isEqualTo("assistant");
    JsonNode toolUse = find(assistant.path("content"), "type", "tool_use").orElseThrow();
    assertThat(toolUse.path("id").asText()).isEqualTo(id);
    assertThat(toolUse.path("name").asText()).isEqualTo("complete_profile");
    assertThat(toolUse.path("input")).isEqualTo(input);
    JsonNode user = messages.get(2);
    assertThat(user.path("role").asText()).isEqualTo("user");
    assertThat(user.path("content")).hasSize(1);
    JsonNode result = user.path("content").get(0);
    assertThat(result.path("type").asText()).isEqualTo("tool_result");
    assertThat(result.path("tool_use_id").asText()).isEqualTo(id);
    assertThat(result.path("is_error").asBoolean(false)).isFalse();
    assertThat(contentText(result.path("content"))).isEqualTo("{\"ok\":true}");
  }

  private static String contentText(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    content.forEach(b -> sb.append(b.path("text").asText()));
    return sb.toString();
  }

  @Test
  void sendsAnthropicHeadersToTheV1MessagesPath() {
    server.enqueue(FakeReply.text("ok"));

    model().chat(request("", List.of(ChatMessage.user("hi")), List.of()));

    RecordedRequest r = server.lastRequest();
    assertThat(r.path()).isEqualTo("/v1/messages");
    assertThat(r.header("x-api-key")).contains(API_KEY);
    assertThat(r.header("anthropic-version")).isPresent();
    assertThat(r.at("/max_tokens").asInt()).isEqualTo(512);
    assertThat(r.at("/temperature").asDouble()).isEqualTo(0.2);
  }

  @Test
  void errorToolResultCarriesIsError() {
    server.enqueue(FakeReply.text("Sorry, let me fix that."));
    List<ChatMessage> history = List.of(
        ChatMessage.user("go"),
        new ChatMessage(ChatMessage.Role.ASSISTANT, List.of(new ContentBlock.Text("Trying."),
            new ContentBlock.ToolUse("toolu_bad", "complete_profile", Json.object()))),
        new ChatMessage(ChatMessage.Role.USER, List.of(
            new ContentBlock.ToolResult("toolu_bad", "business_type is required", true))));

    model().chat(request("", history, List.of(profileTool())));

    JsonNode messages = server.lastRequest().messages();
    assertThat(messages.get(1).path("content").get(0).path("type").asText()).isEqualTo("text");
    assertThat(messages.get(1).path("content").get(1).path("input")).isEqualTo(Json.object());
    JsonNode result = messages.get(2).path("content").get(0);
    assertThat(result.path("tool_use_id").asText()).isEqualTo("toolu_bad");
    assertThat(result.path("is_error").asBoolean()).isTrue();
  }

  @Test
  void severalToolResultsReplayAsOneUserMessage() {
    server.enqueue(FakeReply.text("done"));
    List<ChatMessage> history = List.of(
        ChatMessage.user("go"),
        new ChatMessage(ChatMessage.Role.ASSISTANT, List.of(
            new ContentBlock.ToolUse("t1", "lookup", Json.object().put("q", "a")),
            new ContentBlock.ToolUse("t2", "lookup", Json.object().put("q", "b")))),
        new ChatMessage(ChatMessage.Role.USER, List.of(
            new ContentBlock.ToolResult("t1", "A", false), new ContentBlock.ToolResult("t2", "B", true))));

    model().chat(request("", history, List.of(lookupTool())));

    JsonNode messages = server.lastRequest().messages();
    assertThat(messages).hasSize(3);
    assertThat(messages.get(2).path("content")).hasSize(2);
    assertThat(messages.get(2).path("content").get(0).path("tool_use_id").asText()).isEqualTo("t1");
    assertThat(messages.get(2).path("content").get(1).path("tool_use_id").asText()).isEqualTo("t2");
    assertThat(messages.get(2).path("content").get(1).path("is_error").asBoolean()).isTrue();
  }

  @Test
  void cachePromptMarksSystemAndTools() {
    server.enqueue(FakeReply.text("a"), FakeReply.text("b"));
    List<ChatMessage> hi = List.of(ChatMessage.user("hi"));
    ChatModel model = model();

    model.chat(new ChatRequest(MODEL, "core prompt", hi, List.of(lookupTool(), profileTool()), 64, 0, true));
    model.chat(new ChatRequest(MODEL, "core prompt", hi, List.of(lookupTool(), profileTool()), 64, 0, false));

    RecordedRequest cached = server.request(0);
    assertThat(cached.at("/system/0/cache_control/type").asText()).isEqualTo("ephemeral");
    assertThat(cached.at("/tools/1/cache_control/type").asText()).isEqualTo("ephemeral");
    assertThat(cached.at("/tools/0/cache_control").isMissingNode()).isTrue();
    assertThat(cached.systemPrompt()).isEqualTo("core prompt");
    assertThat(server.request(1).hasCacheControl()).isFalse();
  }

  @Test
  void cacheTokensAreParsed() {
    server.enqueue(FakeReply.text("a").withUsage(new Usage(120, 30, 2048, 64)));

    ChatResponse r = model().chat(request("", List.of(ChatMessage.user("hi")), List.of()));

    assertThat(r.usage()).isEqualTo(new Usage(120, 30, 2048, 64));
  }

  @Test
  void streamedCacheTokensAreParsed() {
    server.enqueue(FakeReply.text("a b").withUsage(new Usage(120, 30, 2048, 64)));

    ChatResponse r = model().stream(request("", List.of(ChatMessage.user("hi")), List.of()), d -> { });

    assertThat(r.usage()).isEqualTo(new Usage(120, 30, 2048, 64));
  }

  @Test
  void simulatedPromptCacheWritesThenReads() {
    server.minCacheableTokens(100).respondWith(req -> FakeReply.text("ok"));
    String longSystem = "You are a careful diagnostic advisor. ".repeat(60);
    ChatModel model = model();
    ChatRequest req = new ChatRequest(MODEL, longSystem, List.of(ChatMessage.user("hi")), List.of(profileTool()), 64, 0, true);

    Usage first = model.chat(req).usage();
    Usage second = model.chat(req).usage();
    Usage uncached = model.chat(new ChatRequest(MODEL, longSystem, List.of(ChatMessage.user("hi")), List.of(profileTool()),
        64, 0, false)).usage();

    assertThat(first.cacheWriteTokens()).isPositive();
    assertThat(first.cacheReadTokens()).isZero();
    assertThat(second.cacheReadTokens()).isEqualTo(first.cacheWriteTokens());
    assertThat(second.cacheWriteTokens()).isZero();
    assertThat(second.inputTokens()).isEqualTo(first.inputTokens());
    assertThat(uncached.cacheReadTokens()).isZero();
    assertThat(uncached.inputTokens()).isEqualTo(first.inputTokens() + first.cacheWriteTokens());
  }

  @Test
  void overloadedErrorInsideAStreamIsRetried() {
    server.enqueue(FakeReply.raw(200, "text/event-stream",
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"),
        FakeReply.text("recovered"));

    ChatResponse r = model().stream(request("", List.of(ChatMessage.user("hi")), List.of()), d -> { });

    assertThat(r.message().text()).isEqualTo("recovered");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void failureAfterTextWasStreamedIsNotRetried() {
    server.enqueue(FakeReply.raw(200, "text/event-stream", String.join("",
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",",
            "\"role\":\"assistant\",\"model\":\"x\",\"content\":[],\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Half a \"}}\n\n",
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n")),
        FakeReply.text("never"));
    List<String> deltas = new ArrayList<>();

    LlmException e = catchThrowableOfType(LlmException.class,
        () -> model().stream(request("", List.of(ChatMessage.user("hi")), List.of()), deltas::add));

    assertThat(e.kind()).isEqualTo(LlmException.Kind.SERVER_ERROR);
    assertThat(e.getMessage()).contains("overloaded_error").contains("1 attempt ");
    assertThat(deltas).containsExactly("Half a ");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void truncatedStreamIsMalformed() {
    server.enqueue(FakeReply.raw(200, "text/event-stream",
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"x\",\"content\":[],\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n"));

    LlmException e = catchThrowableOfType(LlmException.class,
        () -> model().stream(request("", List.of(ChatMessage.user("hi")), List.of()), d -> { }));

    assertThat(e.kind()).isEqualTo(LlmException.Kind.MALFORMED_RESPONSE);
  }

  @Test
  void twoHundredConcurrentCallsAreAllInFlightAtOnce() throws Exception {
    int sessions = 200;
    java.util.concurrent.CountDownLatch allArrived = new java.util.concurrent.CountDownLatch(sessions);
    // Every reply waits until all 200 requests are inside the server, so passing proves that neither the
    // adapter nor the fake serialises calls (the orchestrator benchmark's 200 sessions x 500 ms shape).
    server.respondWith(req -> {
      allArrived.countDown();
      try {
        return allArrived.await(60, java.util.concurrent.TimeUnit.SECONDS)
            ? FakeReply.text("ok " + req.lastMessageText()) : FakeReply.error(400, "invalid_request_error", "not concurrent");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return FakeReply.error(400, "invalid_request_error", "interrupted");
      }
    });
    ChatModel model = model(server, fast().withTimeout(java.time.Duration.ofSeconds(60)));
    List<java.util.concurrent.Future<ChatResponse>> replies = new ArrayList<>();
    try (var sessionsPool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < sessions; i++) {
        String text = "s" + i;
        replies.add(sessionsPool.submit(() -> model.chat(request("", List.of(ChatMessage.user(text)), List.of()))));
      }
      for (int i = 0; i < sessions; i++) {
        assertThat(replies.get(i).get().message().text()).isEqualTo("ok s" + i);
      }
    }
    assertThat(server.requestCount()).isEqualTo(sessions);
    assertThat(server.maxConcurrentRequests()).isEqualTo(sessions);
  }

  @Test
  void hostRootGetsV1Appended() {
    assertThat(AnthropicChatModel.apiRoot("http://127.0.0.1:8089")).isEqualTo("http://127.0.0.1:8089/v1/");
    assertThat(AnthropicChatModel.apiRoot("http://127.0.0.1:8089/")).isEqualTo("http://127.0.0.1:8089/v1/");
    assertThat(AnthropicChatModel.apiRoot("https://proxy.example/anthropic")).isEqualTo("https://proxy.example/anthropic/v1/");
    assertThat(AnthropicChatModel.apiRoot("https://api.anthropic.com/v1")).isEqualTo("https://api.anthropic.com/v1/");
  }
}
