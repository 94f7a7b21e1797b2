package dev.parley.pipeline.embed;

import static java.util.Objects.requireNonNull;

import dev.parley.core.embedding.CachingEmbeddingModel;
import dev.parley.core.embedding.EmbeddingCache;
import dev.parley.core.error.BadInputException;
import dev.parley.llm.embed.EmbeddingModels;
import dev.parley.pipeline.assign.RunUnavailableException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedding model a run was made with, by the id its run records ({@code local:bge-small-en-v1.5-q},
 * ...), built on first use and shared by every request after: an in-process ONNX model holds hundreds of MB
 * and takes a second or two to load. Each goes through {@link CachingEmbeddingModel}, so a text embedded
 * before (by an analyze run or an earlier request) is not embedded again.
 */
public final class EmbeddingModelRegistry {
  private final Map<String, String> env;
  private final EmbeddingCache cache;
  private final Map<String, CachingEmbeddingModel> models = new ConcurrentHashMap<>();

  /** @param env where remote models ({@code openai:...}) find their endpoint and key */
  public EmbeddingModelRegistry(EmbeddingCache cache, Map<String, String> env) {
    this.cache = requireNonNull(cache, "cache is null");
    this.env = Map.copyOf(requireNonNull(env, "env is null"));
  }

  /**
   * The model of {@code id} behind the cache.
   *
   * @throws RunUnavailableException when it cannot be built here (an unknown id, or a remote model without its key)
   */
  public CachingEmbeddingModel model(String id) {
    requireNonNull(id, "id is null");
    CachingEmbeddingModel cached = models.get(id);
    if (cached != null) {
      return cached;
    }
    CachingEmbeddingModel model;
    try {
      model = new CachingEmbeddingModel(EmbeddingModels.fromSpec(id, env), cache);
    } catch (BadInputException e) {
      throw new RunUnavailableException(RunUnavailableException.Reason.MODEL_UNAVAILABLE,
          "the embedding model '" + id + "' is not available here: " + e.getMessage());
    }
    // Two first requests may both build it; the local models are JVM-wide singletons, so that costs nothing twice.
    CachingEmbeddingModel raced = models.putIfAbsent(id, model);
    return raced == null ? model : raced;
  }
}
