package dev.parley.insights.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Word tokens for lexical features: lower-cased runs of letters and digits (apostrophes inside words
 * kept, so "don't" stays one token). Deliberately simple and language-agnostic beyond English stop words.
 */
public final class Tokens {
  /** A small English stop-word list (function words only), as used by TextTiling-style methods. */
  public static final Set<String> STOP_WORDS = Set.of(
      "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at",
      "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could",
      "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has",
      "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if",
      "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor",
      "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out",
      "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their",
      "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to",
      "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while",
      "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves",
      "i'm", "it's", "don't", "im", "lol", "yes", "yeah", "oh", "ok", "okay", "hi", "hello", "hey", "s", "t");

  private Tokens() {}

  /** All word tokens, lower-cased, in order. */
  public static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    String lower = text.toLowerCase(Locale.ROOT);
    int n = lower.length();
    int i = 0;
    while (i < n) {
      while (i < n && !Character.isLetterOrDigit(lower.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n) {
        char c = lower.charAt(i);
        if (Character.isLetterOrDigit(c)) {
          i++;
        } else if ((c == '\'' || c == '\u2019') && i + 1 < n && Character.isLetter(lower.charAt(i + 1)) && i > start) {
          i++;
        } else {
          break;
        }
      }
      if (i > start) {
        out.add(lower.substring(start, i).replace('\u2019', '\''));
      }
    }
    return out;
  }

  /** Word tokens without stop words. */
  public static List<String> contentWords(String text) {
    List<String> words = words(text);
    words.removeIf(STOP_WORDS::contains);
    return words;
  }
}
