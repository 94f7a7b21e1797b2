package dev.parley.core.embedding;

import static java.util.Objects.requireNonNull;

import dev.parley.core.hash.ContentHash;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Embeds only what the cache does not hold yet: texts are keyed by the SHA-256 of their UTF-8 bytes
 * within the model's id, looked up together, the misses embedded once each (a text repeated in the
 * input is embedded once) and written back. Vectors come back in input order, each its own array.
 */
public final class CachingEmbeddingModel implements EmbeddingModel {

  /** Running totals since construction. */
  public record Stats(long requested, long cacheHits, long embedded) {}

  private final EmbeddingModel delegate;
  private final EmbeddingCache cache;
  private final AtomicLong requested = new AtomicLong();
  private final AtomicLong cacheHits = new AtomicLong();
  private final AtomicLong embedded = new AtomicLong();

  public CachingEmbeddingModel(EmbeddingModel delegate, EmbeddingCache cache) {
    this.delegate = requireNonNull(delegate, "delegate is null");
    this.cache = requireNonNull(cache, "cache is null");
  }

  @Override
  public String id() {
    return delegate.id();
  }

  @Override
  public int dimension() {
    return delegate.dimension();
  }

  public EmbeddingModel delegate() {
    return delegate;
  }

  public Stats stats() {
    return new Stats(requested.get(), cacheHits.get(), embedded.get());
  }

  @Override
  public float[][] embed(List<String> texts) {
    requireNonNull(texts, "texts is null");
    String[] hashes = new String[texts.size()];
    // First occurrence of each distinct text, in input order, so the delegate sees a deterministic list.
    Map<String, String> distinct = new LinkedHashMap<>();
    for (int i = 0; i < texts.size(); i++) {
      String text = requireNonNull(texts.get(i), "texts[" + i + "] is null");
      hashes[i] = ContentHash.sha256Hex(text);
      distinct.putIfAbsent(hashes[i], text);
    }
    Map<String, float[]> found = distinct.isEmpty() ? Map.of() : cache.getAll(delegate.id(), distinct.keySet());
    List<String> missHashes = new ArrayList<>();
    List<String> missTexts = new ArrayList<>();
    distinct.forEach((hash, text) -> {
      if (!found.containsKey(hash)) {
        missHashes.add(hash);
        missTexts.add(text);
      }
    });
    Map<String, float[]> vectors = new LinkedHashMap<>(found);
    if (!missTexts.isEmpty()) {
      float[][] fresh = delegate.embed(missTexts);
      if (fresh.length != missTexts.size()) {
        throw new IllegalStateException(
            "model " + delegate.id() + " returned " + fresh.length + " vectors for " + missTexts.size() + " texts");
      }
      Map<String, float[]> toStore = new LinkedHashMap<>();
      for (int i = 0; i < fresh.length; i++) {
        toStore.put(missHashes.get(i), fresh[i]);
      }
      cache.putAll(delegate.id(), toStore);
      vectors.putAll(toStore);
    }
    requested.addAndGet(texts.size());
    cacheHits.addAndGet(texts.size() - countMisses(hashes, missHashes));
    embedded.addAndGet(missTexts.size());
    float[][] out = new float[texts.size()][];
    for (int i = 0; i < out.length; i++) {
      float[] vector = vectors.get(hashes[i]);
      if (vector == null) {
        throw new IllegalStateException("cache " + cache + " returned no vector for a hash it reported found");
      }
      // A copy each: callers may scale vectors in place, and the cache or a duplicate must not see it.
      out[i] = vector.clone();
    }
    return out;
  }

  /** Inputs (not distinct texts) whose vector was not in the cache. */
  private static long countMisses(String[] hashes, List<String> missHashes) {
    if (missHashes.isEmpty()) {
      return 0;
    }
    java.util.Set<String> misses = new java.util.HashSet<>(missHashes);
    long n = 0;
    for (String hash : hashes) {
      if (misses.contains(hash)) {
        n++;
      }
    }
    return n;
  }

  @Override
  public String toString() {
    return "CachingEmbeddingModel[" + delegate + "]";
  }
}
