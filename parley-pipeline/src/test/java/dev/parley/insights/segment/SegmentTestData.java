package dev.parley.insights.segment;

import dev.parley.core.conversation.Message;
import dev.parley.core.conversation.Speaker;
import java.util.ArrayList;
import java.util.List;

/** A small two-topic conversation: a lost card, then booking a restaurant table. */
final class SegmentTestData {
  private SegmentTestData() {}

  static List<Message> twoTopics() {
    String[][] lines = {
        {"user", "Hi, I lost my debit card yesterday and I think someone may have used it."},
        {"assistant", "I'm sorry to hear that. I have frozen the card. Do you see any payments you don't recognise?"},
        {"user", "Yes, there is a payment of 80 euros at a petrol station I never visited."},
        {"assistant", "I've flagged that payment as fraud and ordered a replacement card, which arrives in 5 days."},
        {"user", "Thanks. Can you also book me a table for two at an Italian restaurant tonight?"},
        {"assistant", "Sure. I found Trattoria Roma at 8 pm. Shall I reserve it?"},
        {"user", "Yes please, book the table at Trattoria Roma for 8 pm."},
        {"assistant", "Your table for two at Trattoria Roma is booked for 8 pm tonight."}};
    List<Message> out = new ArrayList<>();
    for (String[] l : lines) {
      out.add(Message.of(l[0].equals("user") ? Speaker.USER : Speaker.ASSISTANT, l[1]));
    }
    return out;
  }
}
