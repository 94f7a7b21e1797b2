package dev.parley.llm.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.chat.ChatMessage;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.chat.ChatRequest;
import dev.parley.core.chat.LlmException;
import dev.parley.core.error.BadInputException;
import dev.parley.fakes.FakeAnthropicServer;
import dev.parley.fakes.FakeOpenAiServer;
import dev.parley.fakes.FakeReply;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChatModelsTest {
  private static final ChatRequest HI = ChatRequest.of("", "", List.of(ChatMessage.user("hi")));

  @Test
  void anthropicFromEnvTalksToTheHostRootPlusV1() {
    try (FakeAnthropicServer server = FakeAnthropicServer.start()) {
      server.requireApiKey("k-anthropic").enqueue(FakeReply.text("hello"));

      ChatModel model = ChatModels.fromSpec("anthropic", "claude-test", server.env("k-anthropic"));

      assertThat(model.provider()).isEqualTo("anthropic");
      assertThat(model.defaultModel()).isEqualTo("claude-test");
      assertThat(model.chat(HI).message().text()).isEqualTo("hello");
      assertThat(server.lastRequest().path()).isEqualTo("/v1/messages");
      assertThat(server.lastRequest().model()).isEqualTo("claude-test");
    }
  }

  @Test
  void openAiFromEnvTalksToTheBaseUrlIncludingV1() {
    try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
      server.requireApiKey("k-openai").enqueue(FakeReply.text("hello"));

      ChatModel model = ChatModels.fromSpec("OpenAI", server.env("k-openai"));

      assertThat(model.provider()).isEqualTo("openai");
      assertThat(model.defaultModel()).isEqualTo(ChatModels.DEFAULT_OPENAI_MODEL);
      assertThat(model.chat(HI).message().text()).isEqualTo("hello");
      assertThat(server.lastRequest().path()).isEqualTo("/v1/chat/completions");
    }
  }

  @Test
  void modelComesFromArgumentThenSpecThenEnvThenDefault() {
    Map<String, String> env = new HashMap<>(Map.of("ANTHROPIC_API_KEY", "k", "ANTHROPIC_MODEL", "from-env"));

    assertThat(ChatModels.fromSpec("anthropic:from-spec", "from-arg", env).defaultModel()).isEqualTo("from-arg");
    assertThat(ChatModels.fromSpec("anthropic:from-spec", " ", env).defaultModel()).isEqualTo("from-spec");
    assertThat(ChatModels.fromSpec("anthropic", env).defaultModel()).isEqualTo("from-env");
    env.remove("ANTHROPIC_MODEL");
    assertThat(ChatModels.fromSpec("anthropic", env).defaultModel()).isEqualTo(ChatModels.DEFAULT_ANTHROPIC_MODEL);
  }

  @Test
  void defaultBaseUrlsAreTheProviders() {
    Lc4jChatModel anthropic = (Lc4jChatModel) ChatModels.fromSpec("anthropic", Map.of("ANTHROPIC_API_KEY", "k"));
    Lc4jChatModel openai = (Lc4jChatModel) ChatModels.fromSpec("openai", Map.of("OPENAI_API_KEY", "k"));

    assertThat(anthropic.baseUrl()).isEqualTo("https://api.anthropic.com");
    assertThat(openai.baseUrl()).isEqualTo("https://api.openai.com/v1");
  }

  @Test
  void missingKeyNamesTheVariable() {
    assertThatThrownBy(() -> ChatModels.fromSpec("anthropic", Map.of("ANTHROPIC_BASE_URL", "http://127.0.0.1:1")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("ANTHROPIC_API_KEY is not set");
    assertThatThrownBy(() -> ChatModels.fromSpec("openai", Map.of("OPENAI_API_KEY", "  ")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("OPENAI_API_KEY is not set");
  }

  @Test
  void unknownProviderIsBadInput() {
    assertThatThrownBy(() -> ChatModels.fromSpec("gemini", Map.of()))
        .isInstanceOf(BadInputException.class)
        .hasMessage("unknown LLM provider 'gemini': expected anthropic, openai or none");
  }

  @Test
  void noneFailsEveryCallClearly() {
    ChatModel none = ChatModels.fromSpec("none", Map.of());

    assertThat(none.provider()).isEqualTo("none");
    assertThatThrownBy(() -> none.chat(HI)).isInstanceOfSatisfying(LlmException.class, e -> {
      assertThat(e.kind()).isEqualTo(LlmException.Kind.CLIENT_ERROR);
      assertThat(e.getMessage()).contains("--llm none").contains("ANTHROPIC_API_KEY");
    });
    assertThatThrownBy(() -> none.stream(HI, d -> { })).isInstanceOf(LlmException.class);
  }

  @Test
  void resilienceComesFromEnv() {
    ResilienceConfig c = ResilienceConfig.fromEnv(Map.of(ResilienceConfig.ENV_TIMEOUT, "2.5", ResilienceConfig.ENV_MAX_ATTEMPTS, "2"));

    assertThat(c.timeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(c.maxAttempts()).isEqualTo(2);
    assertThat(ResilienceConfig.fromEnv(Map.of())).isEqualTo(ResilienceConfig.defaults());
    assertThatThrownBy(() -> ResilienceConfig.fromEnv(Map.of(ResilienceConfig.ENV_TIMEOUT, "soon")))
        .isInstanceOf(BadInputException.class).hasMessageContaining("PARLEY_LLM_TIMEOUT_SECONDS");
    assertThatThrownBy(() -> ResilienceConfig.fromEnv(Map.of(ResilienceConfig.ENV_MAX_ATTEMPTS, "0")))
        .isInstanceOf(BadInputException.class).hasMessageContaining("PARLEY_LLM_MAX_ATTEMPTS must be in [1, 20], was 0");
  }

  @Test
  void configNeverPrintsTheKey() {
    ProviderConfig c = new ProviderConfig("https://api.anthropic.com/", "sk-ant-api03-verysecretvalue", "m",
        ResilienceConfig.defaults());

    assertThat(c.toString()).doesNotContain("verysecretvalue").contains("sk-a****");
    assertThat(c.baseUrl()).isEqualTo("https://api.anthropic.com");
    assertThatThrownBy(() -> new ProviderConfig("localhost:8080", "k", "m", ResilienceConfig.defaults()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseUrl");
  }

  @Test
  void retryWaitHonoursRetryAfterUpToTheCap() {
    ResilienceConfig c = ResilienceConfig.defaults()
        .withBackoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1))
        .withMaxRetryAfter(Duration.ofSeconds(5));

    // Backoff alone: 100 ms ±50 % for the first retry, growing, never above the 1 s cap.
    assertThat(ResilientCaller.waitMillis(c, 1, Optional.empty())).isBetween(50L, 150L);
    assertThat(ResilientCaller.waitMillis(c, 10, Optional.empty())).isLessThanOrEqualTo(1000L);
    // A provider's retry-after lengthens the wait, up to maxRetryAfter.
    assertThat(ResilientCaller.waitMillis(c, 1, Optional.of(Duration.ofSeconds(3)))).isEqualTo(3000L);
    assertThat(ResilientCaller.waitMillis(c, 1, Optional.of(Duration.ofSeconds(30)))).isEqualTo(5000L);
  }

  @Test
  void retryAfterHeaderParsing() {
    assertThat(ProviderHttpException.parseRetryAfter("2")).contains(Duration.ofSeconds(2));
    assertThat(ProviderHttpException.parseRetryAfter("0.5")).contains(Duration.ofMillis(500));
    assertThat(ProviderHttpException.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO);
    assertThat(ProviderHttpException.parseRetryAfter("soon")).isEmpty();
    ProviderHttpException e = new ProviderHttpException(429, "", Map.of("Retry-After-Ms", List.of("1500"), "retry-after", List.of("9")));
    assertThat(e.retryAfter()).contains(Duration.ofMillis(1500));
  }
}
