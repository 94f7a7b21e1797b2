package dev.parley.llm.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.parley.core.embedding.EmbeddingModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The in-process models against LangChain4j's own models on the same files (the correctness oracle),
 * plus the properties the rest of Parley relies on: order, unit length, determinism.
 */
class OnnxEmbeddingModelTest {
  static final String LONG = "My card payment was declined at the supermarket although my balance is fine. ".repeat(60);

  /** Short, long, repeated, non-Latin, emoji, punctuation-only, a single letter: ~20 texts. */
  static final List<String> TEXTS = List.of(
      "I lost my card",
      "How do I top up with Apple Pay?",
      "ok",
      "?",
      "a",
      "Thanks!!!",
      "Héllo wörld, naïve café — déjà vu",
      "日本語のテキストも大丈夫ですか",
      "Привет, где моя карта?",
      "my transfer has been pending for three days 🙁 and nobody answers",
      "   leading and trailing spaces   ",
      "Why was I charged a fee for an ATM withdrawal abroad when the app said it was free?",
      "can i change my pin",
      "CAN I CHANGE MY PIN",
      "The exchange rate I got was much worse than the one shown when I made the payment yesterday evening.",
      "refund",
      "1234 5678 9012 3456",
      "<b>html</b> &amp; stuff",
      LONG,
      "tab\tand\nnewline");

  @Test
  void bgeMatchesLangChain4j() {
    assertParity(LocalEmbeddingModels.bgeSmall(), new BgeSmallEnV15QuantizedEmbeddingModel());
  }

  @Test
  void miniLmMatchesLangChain4j() {
    assertParity(LocalEmbeddingModels.miniLm(), new AllMiniLmL6V2QuantizedEmbeddingModel());
  }

  private static void assertParity(OnnxEmbeddingModel ours, dev.langchain4j.model.embedding.EmbeddingModel reference) {
    float[][] vectors = ours.embed(TEXTS);
    assertThat(vectors.length).isEqualTo(TEXTS.size());
    for (int i = 0; i < TEXTS.size(); i++) {
      float[] expected = reference.embed(TextSegment.from(TEXTS.get(i))).content().vector();
      assertThat(vectors[i]).hasSize(ours.dimension());
      assertThat(Vectors.cosine(vectors[i], expected)).as("%s, text %d: %s", ours.id(), i, TEXTS.get(i))
          .isGreaterThan(0.999);
    }
  }

  @Test
  void vectorsAreUnitLengthAndDeterministic() {
    OnnxEmbeddingModel model = LocalEmbeddingModels.miniLm();
    float[][] first = model.embed(TEXTS);
    float[][] second = model.embed(TEXTS);
    for (int i = 0; i < first.length; i++) {
      assertThat(Vectors.norm(first[i])).as("norm of %d", i).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
      assertThat(second[i]).as("repeat of %d", i).containsExactly(first[i]);
    }
  }

  @Test
  void orderIsPreservedAcrossLengthSortedWork() {
    // Shuffled so that input order and length order disagree; each vector must equal the text's own.
    List<String> shuffled = new ArrayList<>(TEXTS);
    Collections.shuffle(shuffled, new Random(7));
    OnnxEmbeddingModel model = LocalEmbeddingModels.bgeSmall();
    float[][] together = model.embed(shuffled);
    for (int i = 0; i < shuffled.size(); i++) {
      float[] alone = model.embed(List.of(shuffled.get(i)))[0];
      // Exact mode: a text's vector does not depend on the other texts of the call.
      assertThat(together[i]).as("text %d", i).containsExactly(alone);
    }
  }

  @Test
  void batchedModeKeepsOrderAndStaysClose() {
    List<String> shuffled = new ArrayList<>(TEXTS);
    Collections.shuffle(shuffled, new Random(11));
    float[][] exact = LocalEmbeddingModels.miniLm().embed(shuffled);
    try (OnnxEmbeddingModel batched = OnnxEmbeddingModel.load(LocalModelSpec.ALL_MINILM_L6_V2_Q,
        OnnxEmbeddingModel.Options.batched(4).withWorkers(2))) {
      float[][] vectors = batched.embed(shuffled);
      for (int i = 0; i < shuffled.size(); i++) {
        assertThat(Vectors.norm(vectors[i])).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        // Batch-mates share the activation quantisation range, so vectors move a little, never to another text.
        assertThat(Vectors.dot(vectors[i], exact[i])).as("text %d", i).isGreaterThan(0.9);
        // Its nearest exact vector is its own (or an identical one: the tokenizer lower-cases, so "PIN" = "pin").
        assertThat(Vectors.dot(exact[nearest(vectors[i], exact)], exact[i])).as("nearest to batched %d", i)
            .isGreaterThan(0.99999);
      }
    }
  }

  private static int nearest(float[] v, float[][] candidates) {
    int best = -1;
    double bestDot = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < candidates.length; j++) {
      double d = Vectors.dot(v, candidates[j]);
      if (d > bestDot) {
        bestDot = d;
        best = j;
      }
    }
    return best;
  }

  @Test
  void emptyInputAndEmptyText() {
    OnnxEmbeddingModel model = LocalEmbeddingModels.miniLm();
    assertThat(model.embed(List.of()).length).isZero();
    // LangChain4j refuses blank text; here it embeds as [CLS][SEP], so one empty message cannot fail a run.
    float[][] vectors = model.embed(List.of("", "  "));
    assertThat(Vectors.norm(vectors[0])).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(vectors[1]).containsExactly(vectors[0]);
    assertThatThrownBy(() -> model.embed(Arrays.asList("x", null))).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("texts[1]");
  }

  @Test
  void idsAndDimensions() {
    assertThat(LocalEmbeddingModels.bgeSmall().id()).isEqualTo("local:bge-small-en-v1.5-q");
    assertThat(LocalEmbeddingModels.miniLm().id()).isEqualTo("local:all-minilm-l6-v2-q");
    assertThat(LocalEmbeddingModels.bgeSmall().dimension()).isEqualTo(384);
    assertThat(LocalEmbeddingModels.miniLm().dimension()).isEqualTo(384);
    assertThat(LocalEmbeddingModels.bgeSmall()).isSameAs(LocalEmbeddingModels.bgeSmall());
  }

  @Test
  void planSortsByLengthAndBoundsPaddedTokens() {
    int[] lengths = {5, 9, 3, 9, 100, 4};
    List<int[]> batches = OnnxEmbeddingModel.plan(lengths, 3, 200);
    // Longest first, ties by index; a 100-token text allows only 2 rows under 200 padded tokens.
    assertThat(batches).containsExactly(new int[] {4, 1}, new int[] {3, 0, 5}, new int[] {2});
    assertThat(OnnxEmbeddingModel.plan(lengths, 1, 4096)).containsExactly(
        new int[] {4}, new int[] {1}, new int[] {3}, new int[] {0}, new int[] {5}, new int[] {2});
    assertThat(OnnxEmbeddingModel.plan(new int[0], 8, 4096)).isEmpty();
  }

  @Test
  void optionsAreValidated() {
    assertThatThrownBy(() -> new OnnxEmbeddingModel.Options(0, 1, 1)).hasMessage("workers must be >= 1, was 0");
    assertThatThrownBy(() -> OnnxEmbeddingModel.Options.batched(-2)).hasMessage("maxBatchSize must be >= 1, was -2");
  }
}
