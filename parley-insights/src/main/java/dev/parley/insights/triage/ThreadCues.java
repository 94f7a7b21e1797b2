package dev.parley.insights.triage;

import dev.parley.core.conversation.Message;
import dev.parley.core.conversation.Speaker;
import dev.parley.insights.text.Sentences;
import dev.parley.insights.text.Tokens;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Offline reading of a support thread by cue phrases: what support's replies reveal
 * ({@link #insights}) and where the thread ended ({@link #resolution}). Phrase lists are small and
 * explicit so that a wrong call can be traced to the phrase that made it; with an LLM configured these
 * come from the model instead.
 */
public final class ThreadCues {
  private static final List<String> CONFIRMED = List.of(
      "i can confirm", "we can confirm", "we are aware", "we're aware", "known issue", "this is a bug", "is a bug",
      "i can see", "i see that", "we see that", "looks like", "you're right", "you are right", "sorry for the trouble",
      "sorry about that", "apologies for", "we're investigating", "we are investigating", "looking into");
  private static final List<String> CAUSE = List.of("because", "due to", "caused by", "the reason", "as a result of", "the cause");
  private static final List<String> ESCALATED = List.of(
      "escalate", "escalated", "escalating", "forwarded", "passed this", "pass this on", "specialist", "engineering team", "our team will");
  private static final List<String> ACTION = List.of(
      "please try", "try", "you can", "go to", "click", "tap", "restart", "reinstall", "update the", "clear your", "reset your", "follow these");
  private static final List<String> THANKS = List.of(
      "thank you", "thanks", "that worked", "it worked", "works now", "working now", "fixed", "solved", "resolved", "sorted",
      "perfect", "got it", "all good", "great help", "appreciate", "that's all", "that is all", "no thanks", "nothing else");
  private static final List<String> NEGATIVE = List.of(
      "still not", "still doesn't", "still does not", "still can't", "still cannot", "doesn't work", "does not work", "didn't work",
      "did not work", "didn't help", "not resolved", "still having", "still waiting", "useless", "not fixed", "same problem", "same issue");
  private static final List<String> SUPPORT_CLOSED = List.of(
      "glad i could help", "glad that helped", "glad to hear", "you're all set", "you are all set", "has been resolved",
      "is now resolved", "has been fixed", "has been refunded", "happy to help", "have a great day", "have a nice day",
      "have a good day", "you're welcome", "you are welcome", "enjoy your");
  private static final List<String> SUPPORT_PENDING = List.of(
      "get back to you", "look into", "looking into", "investigating", "will update", "follow up", "dm us", "send us a dm",
      "direct message", "could you", "can you send", "please send", "please provide", "let us know", "let me know");

  /** Actions, most specific first: the first whose cue appears in support's or the assistant's text wins. */
  private static final List<String[]> ACTIONS = List.of(
      new String[] {"refund", "refund"},
      new String[] {"replacement", "replacement", "send a new", "ship a new"},
      new String[] {"account_reset", "reset your password", "password reset", "unlocked your", "reactivated"},
      new String[] {"escalated", "escalate", "forwarded", "passed this", "specialist", "engineering team"},
      new String[] {"requested_information", "dm us", "send us a dm", "direct message", "could you", "can you send", "please send", "please provide"},
      new String[] {"troubleshooting", "restart", "reinstall", "clear your", "try", "update the app", "log out and"},
      new String[] {"information_provided", "http", "here's how", "here is how", "you can", "go to", "follow these"});

  private ThreadCues() {}

  public static SupportInsights insights(String supportText) {
    String lower = supportText.toLowerCase(Locale.ROOT);
    Optional<String> cause = Optional.empty();
    Optional<String> action = Optional.empty();
    boolean asked = false;
    for (String sentence : Sentences.split(supportText)) {
      String s = sentence.toLowerCase(Locale.ROOT);
      if (cause.isEmpty() && containsAny(s, CAUSE)) {
        cause = Optional.of(shorten(sentence));
      }
      if (action.isEmpty() && containsAny(s, ACTION)) {
        action = Optional.of(shorten(sentence));
      }
      asked |= sentence.endsWith("?");
    }
    return new SupportInsights(containsAny(lower, CONFIRMED), cause, asked, containsAny(lower, ESCALATED), action);
  }

  /** Where a thread ended, from its last messages. */
  public static Resolution resolution(List<Message> tail) {
    String lastUser = "";
    String lastResponder = "";
    Speaker lastSpeaker = Speaker.SYSTEM;
    for (Message m : tail) {
      if (m.speaker() == Speaker.USER) {
        lastUser = m.text();
      } else if (m.speaker().isResponder()) {
        lastResponder = m.text();
      }
      if (m.speaker() != Speaker.SYSTEM) {
        lastSpeaker = m.speaker();
      }
    }
    String responderAll = String.join("\n", tail.stream().filter(m -> m.speaker().isResponder()).map(Message::text).toList());
    String action = action(responderAll);
    String user = lastUser.toLowerCase(Locale.ROOT);
    String responder = lastResponder.toLowerCase(Locale.ROOT);
    if (lastSpeaker == Speaker.USER && containsAny(user, NEGATIVE)) {
      return new Resolution(Resolution.Status.UNRESOLVED, action, shorten(lastUser));
    }
    if (lastSpeaker == Speaker.USER && containsAny(user, THANKS)) {
      return new Resolution(Resolution.Status.RESOLVED, action, shorten(lastUser));
    }
    if (lastSpeaker.isResponder() && containsAny(responder, SUPPORT_CLOSED)) {
      return new Resolution(Resolution.Status.RESOLVED, action, shorten(lastResponder));
    }
    if (lastSpeaker.isResponder() && containsAny(responder, SUPPORT_PENDING)) {
      return new Resolution(Resolution.Status.PENDING, action, shorten(lastResponder));
    }
    if (containsAny(user, NEGATIVE)) {
      return new Resolution(Resolution.Status.UNRESOLVED, action, shorten(lastUser));
    }
    // The responder answered and the customer has not come back: waiting on the customer.
    return new Resolution(Resolution.Status.PENDING, action, shorten(lastSpeaker == Speaker.USER ? lastUser : lastResponder));
  }

  static String action(String responderText) {
    for (String[] a : ACTIONS) {
      if (containsAny(responderText, List.of(a).subList(1, a.length))) {
        return a[0];
      }
    }
    return "none";
  }

  /** Whether any phrase occurs on word boundaries ("fixed" does not fire on "prefixed"); "http" matches links. */
  private static boolean containsAny(String text, List<String> phrases) {
    String lower = text.toLowerCase(Locale.ROOT);
    String padded = " " + String.join(" ", Tokens.words(lower)) + " ";
    for (String phrase : phrases) {
      if (phrase.equals("http")) {
        if (lower.contains("http")) {
          return true;
        }
        continue;
      }
      String p = String.join(" ", Tokens.words(phrase));
      if (!p.isEmpty() && padded.contains(" " + p + " ")) {
        return true;
      }
    }
    return false;
  }

  private static String shorten(String text) {
    String s = text.strip().replaceAll("\\s+", " ");
    return s.length() <= 200 ? s : s.substring(0, 199) + "\u2026";
  }
}
