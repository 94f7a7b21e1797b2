package dev.parley.llm.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.embedding.CachingEmbeddingModel;
import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.core.embedding.InMemoryEmbeddingCache;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachingEmbeddingModelTest {

  /** The real model, counting what reaches it. */
  static final class Counting implements EmbeddingModel {
    final EmbeddingModel real;
    final List<List<String>> calls = new ArrayList<>();

    Counting(EmbeddingModel real) {
      this.real = real;
    }

    @Override
    public String id() {
      return real.id();
    }

    @Override
    public int dimension() {
      return real.dimension();
    }

    @Override
    public float[][] embed(List<String> texts) {
      calls.add(List.copyOf(texts));
      return real.embed(texts);
    }
  }

  @Test
  void embedsOnlyWhatTheCacheLacksOnceEach() {
    Counting counting = new Counting(LocalEmbeddingModels.miniLm());
    InMemoryEmbeddingCache cache = new InMemoryEmbeddingCache();
    CachingEmbeddingModel model = new CachingEmbeddingModel(counting, cache);

    List<String> first = List.of("lost card", "refund please", "lost card", "where is my money");
    float[][] v1 = model.embed(first);
    assertThat(counting.calls).containsExactly(List.of("lost card", "refund please", "where is my money"));
    assertThat(cache.size()).isEqualTo(3);
    assertThat(v1[2]).containsExactly(v1[0]);
    assertThat(v1[2]).isNotSameAs(v1[0]);

    List<String> second = List.of("where is my money", "new text", "lost card", "another new one");
    float[][] v2 = model.embed(second);
    assertThat(counting.calls).hasSize(2);
    assertThat(counting.calls.get(1)).containsExactly("new text", "another new one");
    assertThat(v2[0]).containsExactly(v1[3]);
    assertThat(v2[2]).containsExactly(v1[0]);

    float[][] v3 = model.embed(first);
    assertThat(counting.calls).as("a re-run embeds nothing").hasSize(2);
    for (int i = 0; i < first.size(); i++) {
      assertThat(v3[i]).containsExactly(v1[i]);
    }
    // Same vectors as without the cache, in input order.
    float[][] direct = LocalEmbeddingModels.miniLm().embed(second);
    for (int i = 0; i < second.size(); i++) {
      assertThat(v2[i]).containsExactly(direct[i]);
    }
    assertThat(model.stats()).isEqualTo(new CachingEmbeddingModel.Stats(12, 0 + 2 + 4, 5));
  }

  @Test
  void namespacesByModelId() {
    InMemoryEmbeddingCache cache = new InMemoryEmbeddingCache();
    Counting bge = new Counting(LocalEmbeddingModels.bgeSmall());
    Counting mini = new Counting(LocalEmbeddingModels.miniLm());
    new CachingEmbeddingModel(bge, cache).embed(List.of("same text"));
    new CachingEmbeddingModel(mini, cache).embed(List.of("same text"));
    assertThat(bge.calls).hasSize(1);
    assertThat(mini.calls).as("another model's entry is not a hit").hasSize(1);
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void callerMutationDoesNotReachTheCache() {
    CachingEmbeddingModel model = new CachingEmbeddingModel(LocalEmbeddingModels.miniLm(), new InMemoryEmbeddingCache());
    float[] v = model.embed(List.of("x"))[0];
    float before = v[0];
    v[0] = 42f;
    assertThat(model.embed(List.of("x"))[0][0]).isEqualTo(before);
    assertThat(model.embed(List.of()).length).isZero();
  }
}
