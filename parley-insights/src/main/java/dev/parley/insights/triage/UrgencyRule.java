package dev.parley.insights.triage;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.text.Tokens;
import java.util.List;

/**
 * Raises urgency to {@code level} when the customer's text contains any of {@code phrases}
 * (case-insensitive, matched on whole words, so "down" does not fire inside "download").
 */
public record UrgencyRule(Urgency level, List<String> phrases) {
  public UrgencyRule {
    requireNonNull(level, "level is null");
    phrases = List.copyOf(requireNonNull(phrases, "phrases is null"));
  }

  public boolean matches(List<String> words) {
    for (String phrase : phrases) {
      List<String> p = Tokens.words(phrase);
      if (!p.isEmpty() && contains(words, p)) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(List<String> words, List<String> phrase) {
    outer:
    for (int i = 0; i + phrase.size() <= words.size(); i++) {
      for (int j = 0; j < phrase.size(); j++) {
        if (!words.get(i + j).equals(phrase.get(j))) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
