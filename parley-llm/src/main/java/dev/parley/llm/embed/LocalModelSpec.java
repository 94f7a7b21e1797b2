package dev.parley.llm.embed;

import static java.util.Objects.requireNonNull;

/**
 * A BERT-style ONNX encoder shipped as classpath resources (the LangChain4j model artifacts put the
 * {@code .onnx} file and its {@code tokenizer.json} at the root of their jars).
 *
 * @param id cache namespace and display name, e.g. {@code local:bge-small-en-v1.5-q}
 * @param modelResource classpath resource of the ONNX model
 * @param tokenizerResource classpath resource of the Hugging Face {@code tokenizer.json}
 * @param pooling how the sentence vector is taken from the token vectors
 * @param dimension width of the hidden state, i.e. of the output vectors
 * @param maxTokens longest input the model accepts, special tokens included; longer texts are truncated
 */
public record LocalModelSpec(
    String id, String modelResource, String tokenizerResource, Pooling pooling, int dimension, int maxTokens) {

  /** BAAI bge-small-en-v1.5, int8-quantized (Xenova export); CLS pooling as its model card says. */
  public static final LocalModelSpec BGE_SMALL_EN_V15_Q = new LocalModelSpec(
      "local:bge-small-en-v1.5-q", "/bge-small-en-v1.5-q.onnx", "/bge-small-en-v1.5-q-tokenizer.json",
      Pooling.CLS, 384, 512);

  /**
   * sentence-transformers all-MiniLM-L6-v2, int8-quantized; mean pooling as its model card says. Inputs
   * are cut at 128 tokens, as its {@code tokenizer.json} says (the length it was trained on).
   */
  public static final LocalModelSpec ALL_MINILM_L6_V2_Q = new LocalModelSpec(
      "local:all-minilm-l6-v2-q", "/all-minilm-l6-v2-q.onnx", "/all-minilm-l6-v2-q-tokenizer.json",
      Pooling.MEAN, 384, 128);

  public LocalModelSpec {
    requireNonNull(id, "id is null");
    requireNonNull(modelResource, "modelResource is null");
    requireNonNull(tokenizerResource, "tokenizerResource is null");
    requireNonNull(pooling, "pooling is null");
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, was " + dimension);
    }
    if (maxTokens < 3) {
      throw new IllegalArgumentException("maxTokens must be >= 3 ([CLS] x [SEP]), was " + maxTokens);
    }
  }
}
