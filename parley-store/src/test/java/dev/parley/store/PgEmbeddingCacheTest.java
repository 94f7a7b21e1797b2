package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.testing.TestDatabase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class PgEmbeddingCacheTest {
  private Database db;
  private PgEmbeddingCache cache;

  @BeforeEach
  void open() {
    db = TestDatabase.fresh();
    cache = new PgEmbeddingCache(db.jdbi());
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void getAll_afterPutAll_returnsTheSameVectors() {
    Map<String, float[]> vectors = Map.of("h1", new float[] {0.5f, -1.25f, Float.MIN_VALUE}, "h2", new float[] {1e-30f, 3.0f, 0f});

    cache.putAll("bge", vectors);

    Map<String, float[]> found = cache.getAll("bge", List.of("h1", "h2", "missing"));
    assertThat(found).containsOnlyKeys("h1", "h2");
    assertThat(found.get("h1")).containsExactly(vectors.get("h1"));
    assertThat(found.get("h2")).containsExactly(vectors.get("h2"));
  }

  @Test
  void getAll_otherModel_findsNothing() {
    cache.putAll("bge", Map.of("h1", new float[] {1f}));

    assertThat(cache.getAll("minilm", List.of("h1"))).isEmpty();
  }

  @Test
  void putAll_existingEntry_isLeftAsItIs() {
    cache.putAll("bge", Map.of("h1", new float[] {1f, 2f}));

    cache.putAll("bge", Map.of("h1", new float[] {9f, 9f}, "h2", new float[] {3f, 4f}));

    assertThat(cache.getAll("bge", List.of("h1")).get("h1")).containsExactly(1f, 2f);
    assertThat(cache.size("bge")).isEqualTo(2);
  }

  @Test
  void putAll_moreThanOneBatch_roundTrips() {
    SplittableRandom random = new SplittableRandom(7);
    Map<String, float[]> vectors = new HashMap<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < PgEmbeddingCache.BATCH * 2 + 17; i++) {
      float[] v = new float[384];
      for (int d = 0; d < v.length; d++) {
        v[d] = (float) random.nextGaussian();
      }
      vectors.put("h" + i, v);
      keys.add("h" + i);
    }

    cache.putAll("bge", vectors);
    Map<String, float[]> found = cache.getAll("bge", keys);

    assertThat(found).hasSize(vectors.size());
    vectors.forEach((k, v) -> assertThat(found.get(k)).containsExactly(v));
  }

  @Test
  void encode_isLittleEndianFloat32() {
    assertThat(PgEmbeddingCache.encode(new float[] {1f})).containsExactly(0, 0, (byte) 0x80, 0x3f);
  }

  @Test
  void putAll_emptyVector_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> cache.putAll("bge", Map.of("h", new float[0])));
  }

  @Test
  void getAll_noKeys_isEmpty() {
    assertThat(cache.getAll("bge", List.of())).isEmpty();
  }
}
