package dev.parley.insights.label;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits text into lower-case word tokens for keyword extraction: letters, digits and inner
 * apostrophes; stop words, pure numbers and one-letter tokens are dropped. Adjacent kept tokens
 * also form bigrams ("credit card"), which make better labels than either word alone.
 */
public final class Tokenizer {
  private final boolean bigrams;

  public Tokenizer(boolean bigrams) {
    this.bigrams = bigrams;
  }

  /** Unigrams, then (if enabled) bigrams of tokens that were adjacent in the text. */
  public List<String> terms(String text) {
    List<String> words = words(text);
    List<String> terms = new ArrayList<>(words.size() * 2);
    String previous = null;
    for (String word : words) {
      if (keep(word)) {
        terms.add(word);
        if (bigrams && previous != null) {
          terms.add(previous + " " + word);
        }
        previous = word;
      } else {
        // A stop word breaks adjacency: "card of mine" yields no "card mine" bigram.
        previous = null;
      }
    }
    return terms;
  }

  // Links and e-mail addresses are identifiers, not topics ("https example com" is no keyword).
  private static final java.util.regex.Pattern LINKS =
      java.util.regex.Pattern.compile("(?i)\\b(?:https?://|www\\.)\\S+|\\S+@\\S+\\.\\w+");

  /** All lower-case words of the text, stop words included. */
  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    String lower = LINKS.matcher(text).replaceAll(" ").toLowerCase(Locale.ROOT);
    int start = -1;
    for (int i = 0; i <= lower.length(); i++) {
      char c = i < lower.length() ? lower.charAt(i) : ' ';
      boolean inWord = Character.isLetterOrDigit(c)
          || ((c == '\'' || c == '\u2019') && start >= 0 && i + 1 < lower.length() && Character.isLetter(lower.charAt(i + 1)));
      if (inWord) {
        if (start < 0) {
          start = i;
        }
      } else if (start >= 0) {
        String word = lower.substring(start, i).replace('\u2019', '\'');
        // Possessives name the same thing as the bare noun ("card's" -> "card").
        words.add(word.endsWith("'s") ? word.substring(0, word.length() - 2) : word);
        start = -1;
      }
    }
    return words;
  }

  private static boolean keep(String word) {
    if (word.length() < 2 || StopWords.contains(word)) {
      return false;
    }
    for (int i = 0; i < word.length(); i++) {
      if (!Character.isDigit(word.charAt(i))) {
        return true;
      }
    }
    return false;
  }
}
