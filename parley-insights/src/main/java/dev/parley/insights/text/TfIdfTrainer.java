package dev.parley.insights.text;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Fits a {@link TfIdfModel} on a corpus: keeps terms seen in at least {@code minDocumentFrequency}
 * documents. The vocabulary is indexed in sorted term order, so the same corpus gives the same model.
 */
public final class TfIdfTrainer {
  private final boolean bigrams;
  private final boolean dropStopWords;
  private final int minDocumentFrequency;

  public TfIdfTrainer(boolean bigrams, boolean dropStopWords, int minDocumentFrequency) {
    if (minDocumentFrequency < 1) {
      throw new IllegalArgumentException("minDocumentFrequency must be >= 1, was " + minDocumentFrequency);
    }
    this.bigrams = bigrams;
    this.dropStopWords = dropStopWords;
    this.minDocumentFrequency = minDocumentFrequency;
  }

  public TfIdfModel fit(List<String> documents) {
    Map<String, Integer> df = new HashMap<>();
    for (String doc : documents) {
      Set<String> seen = new HashSet<>(TfIdfModel.terms(doc, bigrams, dropStopWords));
      for (String term : seen) {
        df.merge(term, 1, Integer::sum);
      }
    }
    TreeMap<String, Integer> kept = new TreeMap<>();
    df.forEach((term, count) -> {
      if (count >= minDocumentFrequency) {
        kept.put(term, count);
      }
    });
    Map<String, Integer> vocabulary = new HashMap<>();
    float[] idf = new float[kept.size()];
    int n = documents.size();
    int i = 0;
    for (Map.Entry<String, Integer> e : kept.entrySet()) {
      vocabulary.put(e.getKey(), i);
      idf[i] = (float) (Math.log((1.0 + n) / (1.0 + e.getValue())) + 1.0);
      i++;
    }
    return new TfIdfModel(vocabulary, idf, bigrams, dropStopWords);
  }
}
