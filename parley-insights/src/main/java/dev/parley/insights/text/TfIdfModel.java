package dev.parley.insights.text;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A fitted TF-IDF vocabulary (Salton and Buckley, "Term-weighting approaches in automatic text retrieval",
 * Information Processing and Management 24(5), 1988): word unigrams and, optionally, bigrams with
 * sublinear term frequency {@code 1 + ln tf}, smoothed idf {@code ln((1 + n) / (1 + df)) + 1}, and L2
 * normalisation, so a dot product is a cosine. Immutable; built by {@link TfIdfTrainer}.
 */
public final class TfIdfModel {
  private final Map<String, Integer> vocabulary;
  private final float[] idf;
  private final boolean bigrams;
  private final boolean dropStopWords;

  TfIdfModel(Map<String, Integer> vocabulary, float[] idf, boolean bigrams, boolean dropStopWords) {
    this.vocabulary = Map.copyOf(requireNonNull(vocabulary, "vocabulary is null"));
    this.idf = idf.clone();
    this.bigrams = bigrams;
    this.dropStopWords = dropStopWords;
  }

  public int dimension() {
    return idf.length;
  }

  public SparseVector transform(String text) {
    TreeMap<Integer, Integer> counts = new TreeMap<>();
    for (String term : terms(text, bigrams, dropStopWords)) {
      Integer index = vocabulary.get(term);
      if (index != null) {
        counts.merge(index, 1, Integer::sum);
      }
    }
    if (counts.isEmpty()) {
      return SparseVector.EMPTY;
    }
    int[] indexes = new int[counts.size()];
    float[] values = new float[counts.size()];
    double norm = 0;
    int i = 0;
    for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
      indexes[i] = e.getKey();
      double v = (1 + Math.log(e.getValue())) * idf[e.getKey()];
      values[i] = (float) v;
      norm += v * v;
      i++;
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int j = 0; j < values.length; j++) {
      values[j] *= inv;
    }
    return new SparseVector(indexes, values);
  }

  public List<SparseVector> transformAll(List<String> texts) {
    List<SparseVector> out = new ArrayList<>(texts.size());
    for (String text : texts) {
      out.add(transform(text));
    }
    return out;
  }

  /** The terms of a text: content (or all) words, plus adjacent-word bigrams over all words. */
  static List<String> terms(String text, boolean bigrams, boolean dropStopWords) {
    List<String> words = Tokens.words(text);
    List<String> terms = new ArrayList<>(words.size() * 2);
    for (String w : words) {
      if (!dropStopWords || !Tokens.STOP_WORDS.contains(w)) {
        terms.add(w);
      }
    }
    if (bigrams) {
      for (int i = 0; i + 1 < words.size(); i++) {
        terms.add(words.get(i) + ' ' + words.get(i + 1));
      }
    }
    return terms;
  }
}
