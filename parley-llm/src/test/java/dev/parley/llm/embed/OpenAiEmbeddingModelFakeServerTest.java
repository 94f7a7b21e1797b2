package dev.parley.llm.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.chat.LlmException;
import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.fakes.FakeOpenAiServer;
import dev.parley.fakes.FakeReply;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --embed openai:MODEL} end to end, configured from the environment, against the shared fake server. */
class OpenAiEmbeddingModelFakeServerTest {

  @Test
  void fromSpecAgainstTheFakeServerWithARateLimitInBetween() {
    try (FakeOpenAiServer server = FakeOpenAiServer.start().requireApiKey("k-123")) {
      server.enqueueEmbeddings(FakeReply.error(429, "rate_limit_error", "slow down"));
      EmbeddingModel model = EmbeddingModels.fromSpec("openai:text-embedding-3-large", server.env("k-123"));
      List<String> texts = List.of("first text", "second text", "first text");
      float[][] vectors = model.embed(texts);
      assertThat(model.dimension()).isEqualTo(1536);
      for (int i = 0; i < texts.size(); i++) {
        assertThat(vectors[i]).containsExactly(Vectors.normalizeInPlace(FakeOpenAiServer.embeddingOf(texts.get(i), 1536)));
      }
      assertThat(server.requestsTo("/embeddings")).hasSize(2);
      assertThat(model.id()).isEqualTo("openai:text-embedding-3-large");
    }
  }

  @Test
  void timeoutsAreRetriedThenReported() {
    try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
      FakeReply slow = FakeReply.error(500, "server_error", "late").after(Duration.ofSeconds(2));
      server.enqueueEmbeddings(slow, slow);
      Map<String, String> env = new HashMap<>(server.env("k"));
      env.put("PARLEY_LLM_TIMEOUT_SECONDS", "0.2");
      env.put("PARLEY_LLM_MAX_ATTEMPTS", "2");
      EmbeddingModel model = EmbeddingModels.fromSpec("openai:m", env);
      assertThatThrownBy(() -> model.embed(List.of("x")))
          .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.TIMEOUT))
          .hasMessageContaining("no reply within 200 ms").hasMessageContaining("2 attempts");
    }
  }

  @Test
  void wrongKeyIsAClientError() {
    try (FakeOpenAiServer server = FakeOpenAiServer.start().requireApiKey("right")) {
      EmbeddingModel model = EmbeddingModels.fromSpec("openai", server.env("wrong-key"));
      assertThatThrownBy(() -> model.embed(List.of("x")))
          .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.CLIENT_ERROR))
          .hasMessageContaining("HTTP 401").hasMessageNotContaining("wrong-key");
    }
  }
}
