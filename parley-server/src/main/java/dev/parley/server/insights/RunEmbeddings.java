package dev.parley.server.insights;

import static java.util.Objects.requireNonNull;

import dev.parley.core.embedding.EmbeddingCache;
import dev.parley.core.error.BadInputException;
import dev.parley.core.embedding.CachingEmbeddingModel;
import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.llm.embed.EmbeddingModels;
import dev.parley.server.ApiError;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedding model a run was made with, by the id its run records ({@code local:bge-small-en-v1.5-q},
 * ...), built on first use and shared by every request after: an in-process ONNX model holds hundreds of MB
 * and takes a second or two to load. Each goes through {@link CachingEmbeddingModel}, so a text embedded
 * before (by an analyze run or an earlier request) is not embedded again.
 */
final class RunEmbeddings {
  private final Map<String, String> env;
  private final EmbeddingCache cache;
  private final Map<String, EmbeddingModel> models = new ConcurrentHashMap<>();

  /** @param env where remote models ({@code openai:...}) find their endpoint and key */
  RunEmbeddings(EmbeddingCache cache, Map<String, String> env) {
    this.cache = requireNonNull(cache, "cache is null");
    this.env = Map.copyOf(requireNonNull(env, "env is null"));
  }

  /** 409 when this server cannot build the model (an unknown id, or a remote model without its key). */
  EmbeddingModel model(String id) {
    requireNonNull(id, "id is null");
    EmbeddingModel cached = models.get(id);
    if (cached != null) {
      return cached;
    }
    EmbeddingModel model;
    try {
      model = new CachingEmbeddingModel(EmbeddingModels.fromSpec(id, env), cache);
    } catch (BadInputException e) {
      throw new ApiError(409, "embedding_unavailable", "the run's embedding model '" + id + "' is not available on this server: " + e.getMessage());
    }
    // Two first requests may both build it; the local models are JVM-wide singletons, so that costs nothing twice.
    EmbeddingModel raced = models.putIfAbsent(id, model);
    return raced == null ? model : raced;
  }
}
