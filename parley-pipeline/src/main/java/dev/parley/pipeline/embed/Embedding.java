package dev.parley.pipeline.embed;

import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.pipeline.stage.StageListener;
import java.util.List;
import java.util.Locale;

/** Embeds texts in chunks so long runs show progress; the model batches and caches within each chunk. */
public final class Embedding {
  private static final int CHUNK = 1024;

  private Embedding() {}

  public static float[][] embedAll(EmbeddingModel model, List<String> texts, StageListener listener) {
    float[][] vectors = new float[texts.size()][];
    long start = System.nanoTime();
    for (int from = 0; from < texts.size(); from += CHUNK) {
      int to = Math.min(texts.size(), from + CHUNK);
      float[][] chunk = model.embed(texts.subList(from, to));
      System.arraycopy(chunk, 0, vectors, from, chunk.length);
      if (texts.size() > CHUNK) {
        double seconds = (System.nanoTime() - start) / 1e9;
        listener.note(String.format(Locale.ROOT, "embedded %,d / %,d (%.0f texts/s)", to, texts.size(), to / Math.max(seconds, 1e-9)));
      }
    }
    return vectors;
  }
}
