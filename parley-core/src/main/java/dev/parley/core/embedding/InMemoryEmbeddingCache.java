package dev.parley.core.embedding;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Process-local {@link EmbeddingCache}: used when no store is configured and in tests. */
public final class InMemoryEmbeddingCache implements EmbeddingCache {
  private final Map<String, float[]> entries = new ConcurrentHashMap<>();

  @Override
  public Map<String, float[]> getAll(String modelId, Collection<String> contentHashes) {
    Map<String, float[]> found = new HashMap<>();
    for (String hash : contentHashes) {
      float[] vector = entries.get(modelId + '\u0000' + hash);
      if (vector != null) {
        found.put(hash, vector);
      }
    }
    return found;
  }

  @Override
  public void putAll(String modelId, Map<String, float[]> vectorsByHash) {
    vectorsByHash.forEach((hash, vector) -> entries.putIfAbsent(modelId + '\u0000' + hash, vector.clone()));
  }

  public int size() {
    return entries.size();
  }
}
