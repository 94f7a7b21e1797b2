package dev.parley.insights.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into sentences at '.', '!' or '?' (runs of them) followed by white space, and at line
 * breaks. A rule-based splitter: good enough to pick summary sentences from chat messages, where
 * abbreviations are rare and a wrong split only shortens an extract.
 */
public final class Sentences {
  private Sentences() {}

  public static List<String> split(String text) {
    List<String> out = new ArrayList<>();
    int n = text.length();
    int start = 0;
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        add(out, text.substring(start, i));
        start = i + 1;
      } else if (c == '.' || c == '!' || c == '?') {
        int j = i;
        while (j + 1 < n && (text.charAt(j + 1) == '.' || text.charAt(j + 1) == '!' || text.charAt(j + 1) == '?')) {
          j++;
        }
        if (j + 1 >= n || Character.isWhitespace(text.charAt(j + 1))) {
          add(out, text.substring(start, j + 1));
          start = j + 1;
        }
        i = j;
      }
      i++;
    }
    add(out, text.substring(Math.min(start, n)));
    return out;
  }

  private static void add(List<String> out, String sentence) {
    String trimmed = sentence.strip();
    // A sentence needs at least one letter or digit; stray punctuation is not a sentence.
    if (trimmed.chars().anyMatch(Character::isLetterOrDigit)) {
      out.add(trimmed);
    }
  }
}
