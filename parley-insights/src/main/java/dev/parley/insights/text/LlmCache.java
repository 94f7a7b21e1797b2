package dev.parley.insights.text;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cache of LLM replies by content hash of everything that determines them (prompt version, model, input),
 * so re-running on unchanged data costs no tokens. The store implements it persistently.
 */
public interface LlmCache {
  Optional<String> get(String key);

  void put(String key, String value);

  /** A process-local cache (tests, runs without a store). */
  static LlmCache inMemory() {
    ConcurrentHashMap<String, String> map = new ConcurrentHashMap<>();
    return new LlmCache() {
      @Override
      public Optional<String> get(String key) {
        return Optional.ofNullable(map.get(key));
      }

      @Override
      public void put(String key, String value) {
        map.put(key, value);
      }
    };
  }
}
