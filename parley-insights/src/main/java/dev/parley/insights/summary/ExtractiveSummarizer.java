package dev.parley.insights.summary;

import static java.util.Objects.requireNonNull;

import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.insights.text.Sentences;
import dev.parley.insights.text.Tokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Offline summaries: the most central of the customer's sentences in a segment, by degree centrality over
 * embedding cosine similarity (the idea of LexRank, Erkan and Radev, "LexRank: Graph-based Lexical
 * Centrality as Salience in Text Summarization", JAIR 22, 2004, with sentence embeddings in place of
 * TF-IDF vectors). Up to {@code maxSentences} sentences are kept, in their original order, within
 * {@code maxChars}. Sentences of fewer than three words ("thanks", "yes") are only used when nothing
 * else exists. Segments with one or two candidates are decided without embedding anything.
 */
public final class ExtractiveSummarizer {
  private final EmbeddingModel embeddings;
  private final int maxSentences;
  private final int maxChars;

  public ExtractiveSummarizer(EmbeddingModel embeddings, int maxSentences, int maxChars) {
    this.embeddings = requireNonNull(embeddings, "embeddings is null");
    if (maxSentences < 1) {
      throw new IllegalArgumentException("maxSentences must be >= 1, was " + maxSentences);
    }
    if (maxChars < 20) {
      throw new IllegalArgumentException("maxChars must be >= 20, was " + maxChars);
    }
    this.maxSentences = maxSentences;
    this.maxChars = maxChars;
  }

  public ExtractiveSummarizer(EmbeddingModel embeddings) {
    this(embeddings, 2, 300);
  }

  public List<Summary> summarize(List<SummaryRequest> requests) {
    requireNonNull(requests, "requests is null");
    List<List<String>> candidates = new ArrayList<>(requests.size());
    List<String> toEmbed = new ArrayList<>();
    for (SummaryRequest r : requests) {
      List<String> c = candidates(r);
      candidates.add(c);
      if (c.size() > 2) {
        toEmbed.addAll(c);
      }
    }
    float[][] vectors = toEmbed.isEmpty() ? new float[0][] : embeddings.embed(toEmbed);
    List<Summary> out = new ArrayList<>(requests.size());
    int offset = 0;
    for (int i = 0; i < requests.size(); i++) {
      List<String> c = candidates.get(i);
      String id = requests.get(i).id();
      if (c.isEmpty()) {
        out.add(Summary.of(id, "(no customer text)", SummaryKind.EXTRACTIVE));
        continue;
      }
      int[] ranking;
      if (c.size() > 2) {
        ranking = rankByCentrality(Arrays.copyOfRange(vectors, offset, offset + c.size()));
        offset += c.size();
      } else {
        ranking = c.size() == 1 ? new int[] {0} : new int[] {0, 1};
      }
      out.add(Summary.of(id, compose(c, ranking), SummaryKind.EXTRACTIVE));
    }
    return out;
  }

  /** The conversation's summary: its segments' summaries in order, joined. */
  public static String stitch(List<String> segmentSummaries) {
    return String.join(" Then: ", segmentSummaries);
  }

  private List<String> candidates(SummaryRequest r) {
    List<String> all = new ArrayList<>();
    for (String text : r.userTexts()) {
      all.addAll(Sentences.split(text));
    }
    List<String> substantial = all.stream().filter(s -> Tokens.words(s).size() >= 3).toList();
    return substantial.isEmpty() ? all : substantial;
  }

  /** Indexes by descending centrality (sum of cosine similarity to the others); ties keep text order. */
  static int[] rankByCentrality(float[][] v) {
    int n = v.length;
    double[] centrality = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double s = 0;
        for (int k = 0; k < v[i].length; k++) {
          s += (double) v[i][k] * v[j][k];
        }
        centrality[i] += s;
        centrality[j] += s;
      }
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -centrality[i]).thenComparingInt(i -> i));
    return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
  }

  private String compose(List<String> sentences, int[] ranking) {
    List<Integer> picked = new ArrayList<>();
    int chars = 0;
    for (int index : ranking) {
      if (picked.size() >= maxSentences) {
        break;
      }
      int length = sentences.get(index).length();
      if (!picked.isEmpty() && chars + length + 1 > maxChars) {
        continue;
      }
      picked.add(index);
      chars += length + 1;
    }
    picked.sort(null);
    StringBuilder sb = new StringBuilder();
    for (int index : picked) {
      if (!sb.isEmpty()) {
        sb.append(' ');
      }
      sb.append(sentences.get(index));
    }
    String text = sb.toString();
    return text.length() <= maxChars ? text : text.substring(0, maxChars - 1).stripTrailing() + "\u2026";
  }
}
