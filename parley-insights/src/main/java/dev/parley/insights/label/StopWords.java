package dev.parley.insights.label;

import java.util.Set;

/**
 * English stop words for keyword extraction: function words plus the courtesy and filler words of
 * support conversations ("hi", "thanks", "please"), which occur in every cluster and so name none.
 */
public final class StopWords {
  private StopWords() {}

  // Set.copyOf tolerates the duplicates a hand-kept list accumulates (Set.of would throw).
  public static final Set<String> ENGLISH = Set.copyOf(java.util.List.of(
      "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "aren't",
      "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can",
      "cannot", "can't", "could", "couldn't", "did", "didn't", "do", "does", "doesn't", "doing", "don't", "down",
      "during", "each", "else", "even", "ever", "every", "few", "for", "from", "further", "get", "gets", "getting",
      "got", "had", "hadn't", "has", "hasn't", "have", "haven't", "having", "he", "her", "here", "hers", "herself",
      "him", "himself", "his", "how", "however", "i", "i'd", "i'll", "i'm", "i've", "if", "in", "into", "is", "isn't",
      "it", "it's", "its", "itself", "just", "let", "let's", "like", "may", "me", "might", "more", "most", "much",
      "must", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other",
      "ought", "our", "ours", "ourselves", "out", "over", "own", "really", "same", "shall", "she", "should",
      "shouldn't", "so", "some", "still", "such", "than", "that", "that's", "the", "their", "theirs", "them",
      "themselves", "then", "there", "there's", "these", "they", "they're", "this", "those", "through", "to",
      "too", "under", "until", "up", "upon", "us", "very", "was", "wasn't", "we", "we'd", "we'll", "we're",
      "we've", "were", "weren't", "what", "what's", "when", "where", "which", "while", "who", "whom", "why",
      "will", "with", "won't", "would", "wouldn't", "yes", "yet", "you", "you'd", "you'll", "you're", "you've",
      "your", "yours", "yourself", "yourselves", "ok", "okay", "hi", "hello", "hey", "thanks", "thank", "please",
      "sure", "great", "good", "well", "want", "wants", "wanted", "need", "needs", "needed", "help", "know",
      "tell", "see", "look", "looking", "find", "go", "going", "make", "made", "way", "something", "anything",
      "thing", "things", "able", "would", "there", "im", "ive", "dont", "cant", "id", "ill", "youre", "whats",
      "lot", "many", "another", "around", "though", "since", "already", "yeah", "actually", "maybe", "please",
      "user", "assistant", "today", "question", "questions", "issue", "problem"));

  public static boolean contains(String token) {
    return ENGLISH.contains(token);
  }
}
