package dev.parley.llm.embed;

/**
 * The in-process models, loaded on first use and shared by the whole JVM (each holds an ONNX session
 * per core and a few hundred MB of native memory at most, so one instance per model is enough).
 */
public final class LocalEmbeddingModels {
  private LocalEmbeddingModels() {}

  /** bge-small-en-v1.5 quantized, 384-D: the default ({@code --embed local}). */
  public static OnnxEmbeddingModel bgeSmall() {
    return BgeHolder.MODEL;
  }

  /** all-MiniLM-L6-v2 quantized, 384-D: the fast option ({@code --embed local:minilm}). */
  public static OnnxEmbeddingModel miniLm() {
    return MiniLmHolder.MODEL;
  }

  // Holder classes: the JVM initialises each on first access, once, thread-safely.
  private static final class BgeHolder {
    static final OnnxEmbeddingModel MODEL = OnnxEmbeddingModel.load(LocalModelSpec.BGE_SMALL_EN_V15_Q);
  }

  private static final class MiniLmHolder {
    static final OnnxEmbeddingModel MODEL = OnnxEmbeddingModel.load(LocalModelSpec.ALL_MINILM_L6_V2_Q);
  }
}
