package dev.parley.insights.label;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Class-based TF-IDF keywords: every cluster is one "class document", and a term's weight in a class is
 * its frequency there times {@code log(1 + A / f_t)}, where {@code A} is the average class size in terms
 * and {@code f_t} the term's frequency over all classes. Terms frequent in one cluster and rare in the
 * others rank first, so the keywords of a cluster contrast it with the clusters it is scored against.
 *
 * <p>Reference: M. Grootendorst, "BERTopic: Neural topic modeling with a class-based TF-IDF
 * procedure", arXiv:2203.05794 (2022), §3.3.
 *
 * <p>Two changes for short conversational texts: a term counts once per document (a user repeating a
 * word in one message says no more about the cluster), and a term must occur in at least
 * {@code minDocuments} documents of the class, so one person's unusual word (often a name) never
 * becomes a cluster's keyword.
 */
public final class ClassTfIdf {
  /** A bigram standing for at least this share of a unigram's documents replaces the unigram. */
  private static final double SUBSUME_SHARE = 0.8;

  private final Tokenizer tokenizer;
  private final int minDocuments;

  /**
   * @param minDocuments a term must occur in at least this many documents of a class to be its keyword;
   *     classes with fewer documents use their document count instead
   */
  public ClassTfIdf(Tokenizer tokenizer, int minDocuments) {
    this.tokenizer = requireNonNull(tokenizer, "tokenizer is null");
    if (minDocuments < 1) {
      throw new IllegalArgumentException("minDocuments must be >= 1, was " + minDocuments);
    }
    this.minDocuments = minDocuments;
  }

  public static ClassTfIdf defaults() {
    return new ClassTfIdf(new Tokenizer(true), 2);
  }

  /**
   * Keywords of every class, best first.
   *
   * @param classes for each class, its documents
   * @param topK the most keywords per class
   * @return one list per class, in input order; a unigram already contained in a better-ranked bigram
   *     of the same list is left out
   */
  public List<List<Keyword>> keywords(List<List<String>> classes, int topK) {
    requireNonNull(classes, "classes is null");
    if (topK < 1) {
      throw new IllegalArgumentException("topK must be >= 1, was " + topK);
    }
    List<Map<String, Integer>> counts = new ArrayList<>(classes.size());
    Map<String, Long> total = new HashMap<>();
    long allTerms = 0;
    for (List<String> documents : classes) {
      Map<String, Integer> classCounts = new HashMap<>();
      for (String document : documents) {
        for (String term : new HashSet<>(tokenizer.terms(document))) {
          classCounts.merge(term, 1, Integer::sum);
        }
      }
      for (Map.Entry<String, Integer> e : classCounts.entrySet()) {
        total.merge(e.getKey(), (long) e.getValue(), Long::sum);
        allTerms += e.getValue();
      }
      counts.add(classCounts);
    }
    double averageClassTerms = classes.isEmpty() ? 0 : (double) allTerms / classes.size();
    List<List<Keyword>> result = new ArrayList<>(classes.size());
    for (int c = 0; c < classes.size(); c++) {
      Map<String, Integer> classCounts = counts.get(c);
      long classTerms = classCounts.values().stream().mapToLong(Integer::longValue).sum();
      int minDocs = Math.min(minDocuments, Math.max(1, classes.get(c).size()));
      Set<String> subsumed = subsumedUnigrams(classCounts, minDocs);
      List<Keyword> ranked = new ArrayList<>();
      for (Map.Entry<String, Integer> e : classCounts.entrySet()) {
        if (e.getValue() < minDocs || subsumed.contains(e.getKey())) {
          continue;
        }
        double tf = (double) e.getValue() / classTerms;
        long termTotal = requireNonNull(total.get(e.getKey()), "every class term is counted in total");
        double idf = Math.log(1 + averageClassTerms / termTotal);
        ranked.add(new Keyword(e.getKey(), tf * idf));
      }
      // Ties: bigrams first (more specific), then by term so the order never depends on hash iteration order.
      ranked.sort(Comparator.comparingDouble(Keyword::weight).reversed()
          .thenComparing(k -> k.term().indexOf(' ') < 0)
          .thenComparing(Keyword::term));
      result.add(select(ranked, topK));
    }
    return result;
  }

  /**
   * Unigrams that occur mostly inside one bigram of the class ("rate" inside "exchange rate"): the bigram
   * says the same more precisely, so the unigram is not offered as a keyword.
   */
  private static Set<String> subsumedUnigrams(Map<String, Integer> classCounts, int minDocs) {
    Set<String> subsumed = new HashSet<>();
    for (Map.Entry<String, Integer> e : classCounts.entrySet()) {
      String term = e.getKey();
      int space = term.indexOf(' ');
      if (space < 0 || e.getValue() < minDocs) {
        continue;
      }
      for (String word : new String[] {term.substring(0, space), term.substring(space + 1)}) {
        Integer wordCount = classCounts.get(word);
        if (wordCount != null && e.getValue() >= SUBSUME_SHARE * wordCount) {
          subsumed.add(word);
        }
      }
    }
    return subsumed;
  }

  private static List<Keyword> select(List<Keyword> ranked, int topK) {
    List<Keyword> chosen = new ArrayList<>(topK);
    Set<String> coveredWords = new HashSet<>();
    for (Keyword keyword : ranked) {
      if (chosen.size() == topK) {
        break;
      }
      String term = keyword.term();
      if (term.indexOf(' ') < 0 && coveredWords.contains(term)) {
        continue;
      }
      chosen.add(keyword);
      if (term.indexOf(' ') >= 0) {
        for (String word : term.split(" ")) {
          coveredWords.add(word);
        }
      }
    }
    return List.copyOf(chosen);
  }
}
