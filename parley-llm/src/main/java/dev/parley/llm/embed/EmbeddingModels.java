package dev.parley.llm.embed;

import static java.util.Objects.requireNonNull;

import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.core.error.BadInputException;
import java.util.Locale;
import java.util.Map;

/** Builds the {@link EmbeddingModel} named by {@code --embed}. */
public final class EmbeddingModels {
  /** The accepted spellings, for messages and help. */
  public static final String SPECS = "local, local:bge, local:minilm, openai or openai:MODEL";

  private EmbeddingModels() {}

  /** {@link #fromSpec(String, Map)} with the process environment. */
  public static EmbeddingModel fromSpec(String spec) {
    return fromSpec(spec, System.getenv());
  }

  /**
   * {@code local} / {@code local:bge}: in-process bge-small-en-v1.5 (quantized, 384-D);
   * {@code local:minilm}: in-process all-MiniLM-L6-v2 (quantized, 384-D);
   * {@code openai}: an OpenAI-compatible server, model from {@code OPENAI_EMBEDDING_MODEL}
   * (default {@value OpenAiEmbeddingModel#DEFAULT_MODEL}); {@code openai:MODEL}: that model.
   * The server comes from {@code OPENAI_BASE_URL} / {@code OPENAI_API_KEY} in {@code env}.
   *
   * @throws BadInputException for an unknown spec or missing configuration
   */
  public static EmbeddingModel fromSpec(String spec, Map<String, String> env) {
    requireNonNull(spec, "spec is null");
    requireNonNull(env, "env is null");
    String trimmed = spec.trim();
    String lower = trimmed.toLowerCase(Locale.ROOT);
    switch (lower) {
      case "local", "local:bge", "local:bge-small", LocalEmbeddingModelsIds.BGE -> {
        return LocalEmbeddingModels.bgeSmall();
      }
      case "local:minilm", LocalEmbeddingModelsIds.MINILM -> {
        return LocalEmbeddingModels.miniLm();
      }
      case "openai" -> {
        String model = env.getOrDefault(OpenAiEmbeddingModel.ENV_MODEL, "").trim();
        return OpenAiEmbeddingModel.fromEnv(env, model.isEmpty() ? OpenAiEmbeddingModel.DEFAULT_MODEL : model);
      }
      default -> {
        if (lower.startsWith("openai:")) {
          // The model name keeps its case: servers such as vLLM use case-sensitive Hugging Face ids.
          String model = trimmed.substring("openai:".length()).trim();
          if (model.isEmpty()) {
            throw new BadInputException("--embed openai: needs a model name after the colon, e.g. openai:text-embedding-3-small");
          }
          return OpenAiEmbeddingModel.fromEnv(env, model);
        }
        throw new BadInputException("--embed: unknown embedding model '" + spec + "'; expected " + SPECS);
      }
    }
  }

  /** The ids of the local models, usable as specs too. */
  private static final class LocalEmbeddingModelsIds {
    static final String BGE = "local:bge-small-en-v1.5-q";
    static final String MINILM = "local:all-minilm-l6-v2-q";
  }
}
