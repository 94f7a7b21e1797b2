package dev.parley.llm.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.chat.ChatMessage;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.chat.ChatRequest;
import dev.parley.core.chat.ChatResponse;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.chat.LlmException;
import dev.parley.core.chat.StopReason;
import dev.parley.core.chat.ToolSpec;
import dev.parley.core.json.Json;
import dev.parley.fakes.FakeProviderServer;
import dev.parley.fakes.FakeReply;
import dev.parley.fakes.RecordedRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ChatModel} adapter shares, run over real HTTP against the provider's fake
 * server. Subclasses supply the server, the adapter and the provider's wire-format checks.
 */
abstract class ChatModelContractTest<S extends FakeProviderServer<S>> {
  static final String API_KEY = "sk-test-S3CRET-do-not-leak-0123456789";
  static final String MODEL = "test-model-1";

  S server;

  abstract S startServer();

  abstract ChatModel model(S server, ResilienceConfig resilience);

  /** Checks the second request of a tool round trip carries the tool_use and tool_result with {@code id}. */
  abstract void assertReplayedToolRoundTrip(RecordedRequest second, String id, ObjectNode input);

  /** The tool schemas as the provider received them, by tool name order. */
  abstract List<JsonNode> wireToolSchemas(RecordedRequest request);

  /** An error reply that this provider uses for "busy, try again". */
  abstract FakeReply.Error overloaded();

  @BeforeEach
  void startFake() {
    server = startServer();
  }

  @AfterEach
  void stopFake() {
    server.close();
  }

  /** Short waits so the suite stays fast; a breaker that does not trip by accident. */
  static ResilienceConfig fast() {
    return ResilienceConfig.defaults()
        .withTimeout(Duration.ofSeconds(5))
        .withMaxAttempts(3)
        .withBackoff(Duration.ofMillis(5), 2.0, Duration.ofMillis(20))
        .withMaxRetryAfter(Duration.ofMillis(50))
        .withBreaker(50f, 100, 100, Duration.ofSeconds(30));
  }

  ChatModel model() {
    return model(server, fast());
  }

  static ObjectNode profileSchema() {
    return (ObjectNode) Json.parse("""
        {"type":"object",
         "properties":{
           "business_type":{"type":"string","description":"What the business sells"},
           "surface_challenge":{"type":"string"},
           "business_stage":{"type":"string","enum":["idea","early","growth","mature"]},
           "team_size":{"type":"integer","description":"People"},
           "revenue":{"type":"number"},
           "remote":{"type":"boolean"},
           "channels":{"type":"array","items":{"type":"string"}},
           "owner":{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}},"required":["name"]},
           "score":{"type":"integer","minimum":1,"maximum":10},
           "extra":{"type":"object","properties":{"note":{"type":"string"}},"additionalProperties":false}
         },
         "required":["business_type","surface_challenge"]}
        """);
  }

  static ToolSpec profileTool() {
    return new ToolSpec("complete_profile", "Records the client's business profile.", profileSchema());
  }

  static ChatRequest request(String system, List<ChatMessage> messages, List<ToolSpec> tools) {
    return new ChatRequest(MODEL, system, messages, tools, 512, 0.2, false);
  }

  @Test
  void plainTextReply() {
    server.enqueue(FakeReply.text("Hello, how can I help?"));

    ChatResponse response = model().chat(request("You are terse.", List.of(ChatMessage.user("hi")), List.of()));

    assertThat(response.message().text()).isEqualTo("Hello, how can I help?");
    assertThat(response.message().content()).hasSize(1);
    assertThat(response.stopReason()).isEqualTo(StopReason.END_TURN);
    assertThat(response.usage().inputTokens()).isPositive();
    assertThat(response.usage().outputTokens()).isPositive();
    assertThat(response.model()).isEqualTo(MODEL);
    RecordedRequest wire = server.lastRequest();
    assertThat(wire.model()).isEqualTo(MODEL);
    assertThat(wire.systemPrompt()).isEqualTo("You are terse.");
    assertThat(wire.lastMessageText()).isEqualTo("hi");
    assertThat(wire.stream()).isFalse();
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void blankModelUsesTheDefault() {
    server.enqueue(FakeReply.text("ok"));
    ChatModel model = model();

    model.chat(new ChatRequest("", "", List.of(ChatMessage.user("hi")), List.of(), 16, 0, false));

    assertThat(server.lastRequest().model()).isEqualTo(model.defaultModel()).isEqualTo(MODEL);
  }

  @Test
  void toolUseRoundTripReplaysIdsAndInputExactly() {
    ObjectNode input = (ObjectNode) Json.parse("{\"business_type\":\"coaching\",\"surface_challenge\":\"no leads\",\"team_size\":3}");
    server.enqueue(FakeReply.toolUse("toolu_01ABC", "complete_profile", input), FakeReply.text("Profile saved."));
    ChatModel model = model();
    List<ChatMessage> history = new ArrayList<>(List.of(ChatMessage.user("I run a coaching business")));

    ChatResponse first = model.chat(request("sys", history, List.of(profileTool())));

    assertThat(first.stopReason()).isEqualTo(StopReason.TOOL_USE);
    assertThat(first.toolUses()).singleElement().satisfies(u -> {
      assertThat(u.id()).isEqualTo("toolu_01ABC");
      assertThat(u.name()).isEqualTo("complete_profile");
      assertThat(u.input()).isEqualTo(input);
    });
    assertThat(server.request(0).toolNames()).containsExactly("complete_profile");
    assertThat(wireToolSchemas(server.request(0))).singleElement().isEqualTo(profileSchema());

    history.add(first.message());
    history.add(new ChatMessage(ChatMessage.Role.USER, List.of(new ContentBlock.ToolResult("toolu_01ABC", "{\"ok\":true}", false))));
    ChatResponse second = model.chat(request("sys", history, List.of(profileTool())));

    assertThat(second.message().text()).isEqualTo("Profile saved.");
    assertThat(second.stopReason()).isEqualTo(StopReason.END_TURN);
    assertReplayedToolRoundTrip(server.request(1), "toolu_01ABC", input);
  }

  @Test
  void textAndSeveralToolUsesInOneReply() {
    ObjectNode a = (ObjectNode) Json.parse("{\"q\":\"a\"}");
    ObjectNode b = (ObjectNode) Json.parse("{\"q\":\"b\",\"n\":[1,2]}");
    server.enqueue(FakeReply.message(new ContentBlock.Text("Checking both."),
        new ContentBlock.ToolUse("call_a", "lookup", a), new ContentBlock.ToolUse("call_b", "lookup", b)));

    ChatResponse r = model().chat(request("", List.of(ChatMessage.user("go")), List.of(lookupTool())));

    assertThat(r.message().content()).containsExactly(new ContentBlock.Text("Checking both."),
        new ContentBlock.ToolUse("call_a", "lookup", a), new ContentBlock.ToolUse("call_b", "lookup", b));
  }

  static ToolSpec lookupTool() {
    return new ToolSpec("lookup", "Looks something up.", (ObjectNode) Json.parse(
        "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"},\"n\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}},\"required\":[\"q\"]}"));
  }

  @Test
  void streamingDeliversDeltasInOrderAndTheCompleteReply() {
    server.chunkDelay(Duration.ofMillis(2));
    server.enqueue(FakeReply.text("The quick brown fox jumps over the lazy dog."));
    List<String> deltas = Collections.synchronizedList(new ArrayList<>());

    ChatResponse r = model().stream(request("", List.of(ChatMessage.user("hi")), List.of()), deltas::add);

    assertThat(deltas).containsExactly("The ", "quick ", "brown ", "fox ", "jumps ", "over ", "the ", "lazy ", "dog.");
    assertThat(r.message().text()).isEqualTo("The quick brown fox jumps over the lazy dog.");
    assertThat(r.stopReason()).isEqualTo(StopReason.END_TURN);
    assertThat(r.usage().outputTokens()).isPositive();
    assertThat(server.lastRequest().stream()).isTrue();
  }

  @Test
  void streamingReassemblesToolUseInput() {
    ObjectNode input = (ObjectNode) Json.parse("{\"business_type\":\"fitness coaching\",\"surface_challenge\":\"churn\",\"owner\":{\"name\":\"Ana\"}}");
    server.enqueue(FakeReply.message(new ContentBlock.Text("Let me record that. "),
        new ContentBlock.ToolUse("toolu_stream_1", "complete_profile", input)));
    List<String> deltas = Collections.synchronizedList(new ArrayList<>());

    ChatResponse r = model().stream(request("", List.of(ChatMessage.user("hi")), List.of(profileTool())), deltas::add);

    assertThat(String.join("", deltas)).isEqualTo("Let me record that. ");
    assertThat(r.message().text()).isEqualTo("Let me record that. ");
    assertThat(r.toolUses()).containsExactly(new ContentBlock.ToolUse("toolu_stream_1", "complete_profile", input));
    assertThat(r.stopReason()).isEqualTo(StopReason.TOOL_USE);
  }

  @Test
  void rateLimitedThenSuccessRetriesOnce() {
    server.enqueue(FakeReply.rateLimited().withRetryAfter(Duration.ofSeconds(1)), FakeReply.text("ok"));

    ChatResponse r = model().chat(request("", List.of(ChatMessage.user("hi")), List.of()));

    assertThat(r.message().text()).isEqualTo("ok");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void overloadedThenSuccessRetries() {
    server.enqueue(overloaded(), FakeReply.text("ok"));

    ChatResponse r = model().chat(request("", List.of(ChatMessage.user("hi")), List.of()));

    assertThat(r.message().text()).isEqualTo("ok");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void streamingRetriesWhenNothingWasStreamedYet() {
    server.enqueue(FakeReply.rateLimited(), FakeReply.text("fine now"));
    List<String> deltas = Collections.synchronizedList(new ArrayList<>());

    ChatResponse r = model().stream(request("", List.of(ChatMessage.user("hi")), List.of()), deltas::add);

    assertThat(String.join("", deltas)).isEqualTo("fine now");
    assertThat(r.message().text()).isEqualTo("fine now");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void retriesExhaustedSaysStatusAndAttempts() {
    server.enqueue(FakeReply.serverError(), FakeReply.serverError(), FakeReply.serverError(), FakeReply.text("too late"));

    LlmException e = catchThrowableOfType(LlmException.class,
        () -> model().chat(request("", List.of(ChatMessage.user("hi")), List.of())));

    assertThat(e.kind()).isEqualTo(LlmException.Kind.SERVER_ERROR);
    assertThat(e.getMessage()).contains("HTTP 500").contains("api_error").contains("3 attempts").contains(" ms]")
        .contains(MODEL);
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void clientErrorIsNotRetried() {
    server.enqueue(FakeReply.error(400, "invalid_request_error", "max_tokens: too large"), FakeReply.text("never"));

    LlmException e = catchThrowableOfType(LlmException.class,
        () -> model().chat(request("", List.of(ChatMessage.user("hi")), List.of())));

    assertThat(e.kind()).isEqualTo(LlmException.Kind.CLIENT_ERROR);
    assertThat(e.getMessage()).contains("HTTP 400").contains("max_tokens: too large").contains("1 attempt ");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void timeoutIsBoundedAndClassified() {
    server.enqueue(FakeReply.text("too slow").after(Duration.ofSeconds(30)));
    ChatModel model = model(server, fast().withTimeout(Duration.ofMillis(300)).withMaxAttempts(1));

    LlmException e = catchThrowableOfType(LlmException.class,
        () -> model.chat(request("", List.of(ChatMessage.user("hi")), List.of())));

    assertThat(e.kind()).isEqualTo(LlmException.Kind.TIMEOUT);
    assertThat(e.getMessage()).contains("300 ms").contains("1 attempt ");
  }

  @Test
  void streamingTimeoutIsBoundedToo() {
    server.chunkDelay(Duration.ofSeconds(30));
    server.respondWith(req -> FakeReply.text("a b c"));
    ChatModel model = model(server, fast().withTimeout(Duration.ofMillis(300)));

    LlmException e = catchThrowableOfType(LlmException.class,
        () -> model.stream(request("", List.of(ChatMessage.user("hi")), List.of()), delta -> { }));

    assertThat(e.kind()).isEqualTo(LlmException.Kind.TIMEOUT);
    // Nothing reached the listener before the stall, so the timeout was retried up to maxAttempts.
    assertThat(e.getMessage()).contains("3 attempts");
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void malformedBodyIsNotRetried() {
    server.enqueue(FakeReply.malformed(), FakeReply.text("never"));

    LlmException e = catchThrowableOfType(LlmException.class,
        () -> model().chat(request("", List.of(ChatMessage.user("hi")), List.of())));

    assertThat(e.kind()).isEqualTo(LlmException.Kind.MALFORMED_RESPONSE);
    assertThat(e.getMessage()).contains("malformed response");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void garbageStreamIsMalformed() {
    server.enqueue(FakeReply.raw(200, "text/event-stream", "data: {this is not json\n\n"));

    LlmException e = catchThrowableOfType(LlmException.class,
        () -> model().stream(request("", List.of(ChatMessage.user("hi")), List.of()), delta -> { }));

    assertThat(e.kind()).isEqualTo(LlmException.Kind.MALFORMED_RESPONSE);
  }

  @Test
  void circuitBreakerOpensAfterRepeatedFailures() {
    server.respondWith(req -> FakeReply.serverError());
    ChatModel model = model(server, fast().withMaxAttempts(1).withBreaker(50f, 4, 4, Duration.ofSeconds(60)));
    ChatRequest req = request("", List.of(ChatMessage.user("hi")), List.of());

    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> model.chat(req)).isInstanceOfSatisfying(LlmException.class,
          e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.SERVER_ERROR));
    }
    LlmException open = catchThrowableOfType(LlmException.class, () -> model.chat(req));

    assertThat(open.kind()).isEqualTo(LlmException.Kind.CIRCUIT_OPEN);
    assertThat(open.getMessage()).contains("circuit breaker is open").contains("no call made");
    assertThat(server.requestCount()).isEqualTo(4);
  }

  @Test
  void apiKeyNeverAppearsInErrors() {
    server.requireApiKey("another-key");
    server.respondWith(req -> FakeReply.error(401, "authentication_error", "invalid key " + API_KEY));
    ChatModel model = model();
    ChatRequest req = request("", List.of(ChatMessage.user("hi")), List.of());

    LlmException unauthorized = catchThrowableOfType(LlmException.class, () -> model.chat(req));
    server.reset();
    server.enqueue(FakeReply.error(503, "api_error", "upstream said " + API_KEY).after(Duration.ZERO),
        FakeReply.text("late").after(Duration.ofSeconds(30)));
    LlmException timeout = catchThrowableOfType(LlmException.class,
        () -> model(server, fast().withTimeout(Duration.ofMillis(200)).withMaxAttempts(2)).chat(req));
    server.reset();
    server.enqueue(FakeReply.error(500, "api_error", "key=" + API_KEY), FakeReply.error(500, "api_error", "key=" + API_KEY),
        FakeReply.error(500, "api_error", "key=" + API_KEY));
    LlmException exhausted = catchThrowableOfType(LlmException.class, () -> model.chat(req));

    assertThat(unauthorized.kind()).isEqualTo(LlmException.Kind.CLIENT_ERROR);
    assertThat(unauthorized.getMessage()).contains("HTTP 401");
    for (LlmException e : List.of(unauthorized, timeout, exhausted)) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      assertThat(trace.toString()).doesNotContain(API_KEY).doesNotContain("S3CRET");
    }
    assertThat(server.requests()).allSatisfy(r -> assertThat(r.headers().toString()).contains(API_KEY));
  }

  @Test
  void listenerFailurePropagatesUnchangedAndIsNotRetried() {
    server.enqueue(FakeReply.text("one two three"), FakeReply.text("never"));
    IllegalStateException boom = new IllegalStateException("listener broke");

    assertThatThrownBy(() -> model().stream(request("", List.of(ChatMessage.user("hi")), List.of()), delta -> {
      throw boom;
    })).isSameAs(boom);
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void emptySystemPromptIsNotSent() {
    server.enqueue(FakeReply.text("ok"));

    model().chat(request("", List.of(ChatMessage.user("hi")), List.of()));

    assertThat(server.lastRequest().systemPrompt()).isEmpty();
  }

  @Test
  void maxTokensStopReasonIsMapped() {
    server.enqueue(FakeReply.text("cut").withStopReason(StopReason.MAX_TOKENS));

    ChatResponse r = model().chat(request("", List.of(ChatMessage.user("hi")), List.of()));

    assertThat(r.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
  }

  static Optional<JsonNode> find(JsonNode array, String field, String value) {
    for (JsonNode n : array) {
      if (n.path(field).asText().equals(value)) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }
}
