package dev.parley.store;

import static java.util.Objects.requireNonNull;

import dev.parley.core.embedding.EmbeddingCache;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * {@link EmbeddingCache} in table {@code embedding_cache}: one row per (model, content hash), the
 * vector as little-endian float32 bytes. Look-ups go {@value #BATCH} keys a query ({@code = ANY(?)});
 * inserts go in batches and leave existing entries as they are.
 */
public final class PgEmbeddingCache implements EmbeddingCache {
  static final int BATCH = 1_000;

  private final Jdbi jdbi;

  public PgEmbeddingCache(Jdbi jdbi) {
    this.jdbi = requireNonNull(jdbi, "jdbi is null");
  }

  @Override
  public Map<String, float[]> getAll(String modelId, Collection<String> contentHashes) {
    requireNonNull(modelId, "modelId is null");
    requireNonNull(contentHashes, "contentHashes is null");
    List<String> keys = new ArrayList<>(new LinkedHashSet<>(contentHashes));
    Map<String, float[]> found = new HashMap<>();
    if (keys.isEmpty()) {
      return found;
    }
    jdbi.useHandle(handle -> {
      for (int from = 0; from < keys.size(); from += BATCH) {
        List<String> chunk = keys.subList(from, Math.min(keys.size(), from + BATCH));
        handle.createQuery("SELECT content_hash, dim, vector FROM embedding_cache WHERE model_id = :model AND content_hash = ANY(:hashes)")
            .bind("model", modelId)
            .bindArray("hashes", String.class, chunk)
            .map((rs, ctx) -> {
              String hash = rs.getString("content_hash");
              found.put(hash, decode(rs.getBytes("vector"), rs.getInt("dim"), hash));
              return hash;
            })
            .list();
      }
    });
    return found;
  }

  @Override
  public void putAll(String modelId, Map<String, float[]> vectorsByHash) {
    requireNonNull(modelId, "modelId is null");
    requireNonNull(vectorsByHash, "vectorsByHash is null");
    if (vectorsByHash.isEmpty()) {
      return;
    }
    List<Map.Entry<String, float[]>> entries = new ArrayList<>(vectorsByHash.entrySet());
    for (Map.Entry<String, float[]> entry : entries) {
      requireNonNull(entry.getKey(), "content hash is null");
      if (entry.getValue() == null || entry.getValue().length == 0) {
        throw new IllegalArgumentException("vector of " + entry.getKey() + " must have at least 1 dimension");
      }
    }
    jdbi.useTransaction(handle -> {
      for (int from = 0; from < entries.size(); from += BATCH) {
        PreparedBatch batch = handle.prepareBatch("""
            INSERT INTO embedding_cache (model_id, content_hash, dim, vector) VALUES (:model, :hash, :dim, :vector)
            ON CONFLICT (model_id, content_hash) DO NOTHING""");
        for (Map.Entry<String, float[]> entry : entries.subList(from, Math.min(entries.size(), from + BATCH))) {
          batch.bind("model", modelId)
              .bind("hash", entry.getKey())
              .bind("dim", entry.getValue().length)
              .bind("vector", encode(entry.getValue()))
              .add();
        }
        batch.execute();
      }
    });
  }

  /** Entries stored for {@code modelId}. */
  public long size(String modelId) {
    requireNonNull(modelId, "modelId is null");
    return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM embedding_cache WHERE model_id = :model")
        .bind("model", modelId)
        .mapTo(Long.class)
        .one());
  }

  static byte[] encode(float[] vector) {
    ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(vector);
    return buffer.array();
  }

  static float[] decode(byte[] bytes, int dim, String hash) {
    if (bytes.length != dim * Float.BYTES) {
      throw new IllegalStateException("embedding " + hash + ": expected " + dim * Float.BYTES + " bytes for " + dim + " dimensions, found " + bytes.length);
    }
    float[] vector = new float[dim];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
    return vector;
  }
}
