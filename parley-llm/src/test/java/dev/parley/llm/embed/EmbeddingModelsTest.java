package dev.parley.llm.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.error.BadInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddingModelsTest {
  @Test
  void localSpecs() {
    assertThat(EmbeddingModels.fromSpec("local", Map.of())).isSameAs(LocalEmbeddingModels.bgeSmall());
    assertThat(EmbeddingModels.fromSpec("local:bge", Map.of())).isSameAs(LocalEmbeddingModels.bgeSmall());
    assertThat(EmbeddingModels.fromSpec("local:minilm", Map.of())).isSameAs(LocalEmbeddingModels.miniLm());
    assertThat(EmbeddingModels.fromSpec(" LOCAL:MiniLM ", Map.of()).id()).isEqualTo("local:all-minilm-l6-v2-q");
  }

  @Test
  void openAiSpecs() {
    Map<String, String> env = Map.of("OPENAI_BASE_URL", "http://127.0.0.1:9/v1");
    assertThat(EmbeddingModels.fromSpec("openai", env).id()).isEqualTo("openai:text-embedding-3-small");
    assertThat(EmbeddingModels.fromSpec("openai:Qwen/Qwen3-Embedding-8B", env).id()).isEqualTo("openai:Qwen/Qwen3-Embedding-8B");
    assertThat(EmbeddingModels.fromSpec("openai", Map.of("OPENAI_API_KEY", "k", "OPENAI_EMBEDDING_MODEL", "m",
        "OPENAI_EMBEDDING_DIMENSIONS", "256")).id()).isEqualTo("openai:m:256");
  }

  @Test
  void badSpecsSayWhatIsAccepted() {
    assertThatThrownBy(() -> EmbeddingModels.fromSpec("glove", Map.of())).isInstanceOf(BadInputException.class)
        .hasMessage("--embed: unknown embedding model 'glove'; expected local, local:bge, local:minilm, openai or openai:MODEL");
    assertThatThrownBy(() -> EmbeddingModels.fromSpec("openai", Map.of())).isInstanceOf(BadInputException.class)
        .hasMessageContaining("OPENAI_API_KEY");
    assertThatThrownBy(() -> EmbeddingModels.fromSpec("openai:", Map.of())).isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> EmbeddingModels.fromSpec("openai", Map.of("OPENAI_BASE_URL", "localhost:8000")))
        .isInstanceOf(BadInputException.class).hasMessageContaining("OPENAI_BASE_URL");
  }
}
