package dev.parley.agent.metrics;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How often users repeat what the context window folded away: a simple lexical measure, documented in
 * {@code docs/orchestrator.md} ("Decision gate").
 *
 * <p>Within one session, a user message is <em>judged</em> when a fold happened before it was sent (a
 * fold during the turn of user message {@code s} covers messages up to its {@code through_seq}, and
 * only messages after {@code s} can react to it) and at least one user message with enough words was
 * folded away by then. It is a <em>repeat</em> when its word set's Jaccard similarity with one of those
 * folded user messages is at least {@link #THRESHOLD}. Words are lower-cased runs of letters and digits
 * of two characters or more, minus a short English stop-word list; messages with fewer than
 * {@link #MIN_WORDS} words are neither judged nor compared (a "yes" or "ok" repeats nothing).
 */
final class RepeatMeasure {
  /** Token Jaccard similarity at or above which a message repeats a folded one. */
  static final double THRESHOLD = 0.5;
  /** Fewest words a message needs to be judged or compared. */
  static final int MIN_WORDS = 3;

  private static final Set<String> STOP_WORDS = Set.of(
      "a", "an", "the", "and", "or", "but", "if", "then", "so", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as", "into",
      "is", "are", "was", "were", "be", "been", "am", "do", "does", "did", "have", "has", "had", "will", "would", "can", "could",
      "i", "me", "my", "we", "our", "you", "your", "it", "its", "this", "that", "these", "those", "they", "them", "he", "she", "his", "her",
      "not", "no", "yes", "just", "about", "what", "which", "who", "how", "there", "here", "very", "really", "also");

  private RepeatMeasure() {}

  /** A fold: during the turn of user message {@code afterSeq}, messages up to {@code throughSeq} went into the summary. */
  record Fold(int afterSeq, int throughSeq) {}

  /** A user message of the session. */
  record Message(int seq, String text) {
    Message {
      requireNonNull(text, "text is null");
    }
  }

  /** Judged messages and how many of them were repeats. */
  record Counts(long judged, long repeats) {
    static final Counts ZERO = new Counts(0, 0);

    Counts plus(Counts other) {
      return new Counts(judged + other.judged, repeats + other.repeats);
    }
  }

  /**
   * The counts of one session.
   *
   * @param messages the session's user messages, in seq order
   * @param folds the session's folds, in any order
   */
  static Counts count(List<Message> messages, List<Fold> folds) {
    List<Set<String>> words = new ArrayList<>(messages.size());
    for (Message m : messages) {
      words.add(words(m.text()));
    }
    long judged = 0;
    long repeats = 0;
    for (int i = 0; i < messages.size(); i++) {
      int seq = messages.get(i).seq();
      int foldedThrough = 0;
      for (Fold f : folds) {
        if (f.afterSeq() < seq) {
          foldedThrough = Math.max(foldedThrough, f.throughSeq());
        }
      }
      if (foldedThrough == 0 || words.get(i).size() < MIN_WORDS) {
        continue;
      }
      boolean anyFolded = false;
      boolean repeat = false;
      for (int j = 0; j < i && messages.get(j).seq() <= foldedThrough; j++) {
        if (words.get(j).size() >= MIN_WORDS) {
          anyFolded = true;
          repeat |= jaccard(words.get(i), words.get(j)) >= THRESHOLD;
        }
      }
      if (anyFolded) {
        judged++;
        repeats += repeat ? 1 : 0;
      }
    }
    return new Counts(judged, repeats);
  }

  /** The word set of {@code text} (see the class comment). */
  static Set<String> words(String text) {
    Set<String> words = new HashSet<>();
    String lower = text.toLowerCase(Locale.ROOT);
    int start = -1;
    for (int i = 0; i <= lower.length(); i++) {
      boolean wordChar = i < lower.length() && Character.isLetterOrDigit(lower.charAt(i));
      if (wordChar && start < 0) {
        start = i;
      } else if (!wordChar && start >= 0) {
        String w = lower.substring(start, i);
        if (w.length() >= 2 && !STOP_WORDS.contains(w)) {
          words.add(w);
        }
        start = -1;
      }
    }
    return words;
  }

  static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return 0;
    }
    int common = 0;
    for (String w : a) {
      if (b.contains(w)) {
        common++;
      }
    }
    return (double) common / (a.size() + b.size() - common);
  }
}
