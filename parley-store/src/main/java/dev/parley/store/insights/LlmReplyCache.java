package dev.parley.store.insights;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Persistent LLM reply cache by content hash (table {@code llm_reply_cache}); first writer wins. */
public final class LlmReplyCache {
  private final Jdbi jdbi;

  public LlmReplyCache(Jdbi jdbi) {
    this.jdbi = requireNonNull(jdbi, "jdbi is null");
  }

  public Optional<String> get(String key) {
    return jdbi.withHandle(h -> h.createQuery("SELECT value FROM llm_reply_cache WHERE key = :k")
        .bind("k", key).mapTo(String.class).findOne());
  }

  public void put(String key, String value) {
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO llm_reply_cache (key, value) VALUES (:k, :v) ON CONFLICT (key) DO NOTHING")
        .bind("k", key).bind("v", value).execute());
  }
}
