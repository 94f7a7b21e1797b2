package dev.parley.store;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Counts over the whole store (every tenant), for {@code parley stats}: an operator's view.
 *
 * @param apiKeys active (not revoked) keys
 */
public record StoreStats(long conversations, long messages, long tenants, long embeddingsCached, long apiKeys) {
  public static StoreStats read(Jdbi jdbi) {
    requireNonNull(jdbi, "jdbi is null");
    // Cross-tenant on purpose: operator-only totals over every tenant, never served to a tenant.
    return jdbi.withHandle(handle -> handle.createQuery("""
            SELECT (SELECT count(*) FROM conversations) AS conversations,
                   (SELECT count(*) FROM messages) AS messages,
                   (SELECT count(*) FROM tenants) AS tenants,
                   (SELECT count(*) FROM embedding_cache) AS embeddings,
                   (SELECT count(*) FROM api_keys WHERE revoked_at IS NULL) AS api_keys""")
        .map((rs, ctx) -> new StoreStats(rs.getLong("conversations"), rs.getLong("messages"), rs.getLong("tenants"),
            rs.getLong("embeddings"), rs.getLong("api_keys")))
        .one());
  }

  /** The counts under their JSON names ({@code conversations, messages, tenants, embeddings_cached, api_keys}). */
  public Map<String, Long> asMap() {
    Map<String, Long> map = new LinkedHashMap<>();
    map.put("conversations", conversations);
    map.put("messages", messages);
    map.put("tenants", tenants);
    map.put("embeddings_cached", embeddingsCached);
    map.put("api_keys", apiKeys);
    return map;
  }
}
