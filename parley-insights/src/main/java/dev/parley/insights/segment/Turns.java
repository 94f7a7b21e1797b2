package dev.parley.insights.segment;

import dev.parley.core.conversation.Message;
import dev.parley.core.conversation.Speaker;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups messages into turns: consecutive messages of the same side (user, or responders: assistant and
 * support together) form one turn. System messages carry no topic; they join the turn that follows them
 * (or the last turn) so that every message index stays covered. A conversation whose messages all come
 * from one side (a transcript without speaker roles) is read as a two-party dialogue taking turns: one
 * turn per message, sides alternating from the first message's, so it can still be cut.
 */
public final class Turns {
  private Turns() {}

  public static List<Turn> of(List<Message> messages) {
    long users = messages.stream().filter(m -> m.speaker() == Speaker.USER).count();
    long responders = messages.stream().filter(m -> m.speaker().isResponder()).count();
    if (users + responders > 1 && (users == 0 || responders == 0)) {
      return perMessage(messages);
    }
    List<Turn> turns = new ArrayList<>();
    int i = 0;
    int n = messages.size();
    int pendingStart = -1; // first index of leading system messages not yet attached
    while (i < n) {
      Message m = messages.get(i);
      if (m.speaker() == Speaker.SYSTEM) {
        if (pendingStart < 0) {
          pendingStart = i;
        }
        i++;
        continue;
      }
      boolean user = m.speaker() == Speaker.USER;
      int start = pendingStart >= 0 ? pendingStart : i;
      pendingStart = -1;
      StringBuilder text = new StringBuilder();
      int j = i;
      while (j < n && (messages.get(j).speaker() == Speaker.SYSTEM || (messages.get(j).speaker() == Speaker.USER) == user)) {
        if (messages.get(j).speaker() != Speaker.SYSTEM) {
          if (!text.isEmpty()) {
            text.append('\n');
          }
          text.append(messages.get(j).text());
        }
        j++;
      }
      // Trailing system messages inside the run belong to the next turn when one follows.
      int end = j;
      while (end > i + 1 && messages.get(end - 1).speaker() == Speaker.SYSTEM && j < n) {
        end--;
      }
      if (end < j) {
        pendingStart = end;
      }
      turns.add(new Turn(user, text.toString(), start, end));
      i = j;
    }
    if (pendingStart >= 0) {
      if (turns.isEmpty()) {
        turns.add(new Turn(false, "", pendingStart, n));
      } else {
        Turn last = turns.removeLast();
        turns.add(new Turn(last.user(), last.text(), last.messageStart(), n));
      }
    }
    return turns;
  }

  /** One turn per non-system message, sides alternating; system messages join the next turn (or the last). */
  private static List<Turn> perMessage(List<Message> messages) {
    List<Turn> turns = new ArrayList<>();
    boolean firstIsUser = messages.stream().filter(m -> m.speaker() != Speaker.SYSTEM).findFirst().orElseThrow().speaker() == Speaker.USER;
    int start = 0;
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      if (m.speaker() != Speaker.SYSTEM) {
        turns.add(new Turn(firstIsUser == (turns.size() % 2 == 0), m.text(), start, i + 1));
        start = i + 1;
      }
    }
    if (start < messages.size()) {
      Turn last = turns.removeLast();
      turns.add(new Turn(last.user(), last.text(), last.messageStart(), messages.size()));
    }
    return turns;
  }
}
