package dev.parley.core.embedding;

import java.util.Collection;
import java.util.Map;

/**
 * Persistent cache of embeddings keyed by (model id, content hash), so a re-run embeds nothing twice.
 * Implemented by the store; an in-memory one exists for tests and the no-store paths.
 */
public interface EmbeddingCache {
  /** Returns the cached vectors among {@code contentHashes}; absent keys are simply missing from the map. */
  Map<String, float[]> getAll(String modelId, Collection<String> contentHashes);

  /** Stores vectors by content hash; existing entries are left as they are. */
  void putAll(String modelId, Map<String, float[]> vectorsByHash);
}
