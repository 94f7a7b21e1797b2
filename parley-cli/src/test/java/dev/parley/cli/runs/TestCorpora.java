package dev.parley.cli.runs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.cli.commands.CliRun;
import dev.parley.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small seeded inputs for the run commands' tests, and an in-process command runner. */
public final class TestCorpora {
  private TestCorpora() {}

  static final String[][] TOPICS = {
      {"My card has not arrived yet", "When will my new card be delivered?", "The card I ordered last week never came",
          "Is there a way to track my card delivery?", "Still waiting for my bank card in the post"},
      {"What exchange rate do you use for euros?", "The currency exchange rate on my transfer looks wrong",
          "How much is the fee to exchange dollars to pounds?", "Why did I get a bad exchange rate abroad?",
          "Which exchange rate applies to card payments in yen?"},
      {"I forgot my password and cannot log in", "The password reset email never arrives",
          "My account is locked after too many login attempts", "How do I change my password?",
          "Two-factor login code is not working"},
      {"I want a refund for a duplicate purchase", "The merchant refund has not reached my account",
          "How long does a refund take?", "I was charged twice and need my money back", "Please cancel and refund my order"},
  };

  /** {@code perTopic} text items per topic, with ids {@code t<topic>-<i>} and the topic as label. */
  public static Path textItems(Path dir, int perTopic) throws IOException {
    SplittableRandom random = new SplittableRandom(3);
    List<String> lines = new ArrayList<>();
    String[] fillers = {"", " please", " thanks", " today", " again", " asap"};
    for (int t = 0; t < TOPICS.length; t++) {
      for (int i = 0; i < perTopic; i++) {
        ObjectNode node = Json.object();
        node.put("id", "t" + t + "-" + i);
        node.put("text", TOPICS[t][random.nextInt(TOPICS[t].length)] + fillers[random.nextInt(fillers.length)] + (i >= TOPICS[t].length ? " #" + i : ""));
        node.put("label", "topic" + t);
        lines.add(Json.write(node));
      }
    }
    Path file = dir.resolve("items.jsonl");
    Files.write(file, lines);
    return file;
  }

  static final String[][] DIALOGUE = {
      {"I need a table for four at an Italian restaurant tonight", "Sure, which city are you in?", "San Jose please",
          "I found Pasta Bella at 7 pm. Shall I book it?", "Yes, book it", "Your table is booked."},
      {"What will the weather be like tomorrow in Boston?", "Tomorrow in Boston: sunny, 21 degrees.",
          "Will it rain on the weekend?", "Light rain is expected on Saturday."},
      {"Find me a flight to Chicago next Friday", "There is a direct flight at 9 am for $240.",
          "Book that flight in economy", "Your flight to Chicago is booked."},
      {"Play some relaxing jazz music", "Playing a relaxing jazz playlist.", "Turn the volume up a bit", "Volume raised."},
  };

  /** {@code count} conversations, each two topics (a booking, then weather, flights or music), 8 users, dated over two weeks. */
  public static Path conversations(Path dir, int count) throws IOException {
    List<String> lines = new ArrayList<>();
    Instant start = Instant.parse("2025-06-02T09:00:00Z");
    for (int c = 0; c < count; c++) {
      ObjectNode node = Json.object();
      node.put("id", "conv-" + c);
      node.put("user", "user-" + (c % 8));
      Instant at = start.plusSeconds(c * 86_400L * 14 / count);
      node.put("started_at", at.toString());
      ArrayNode messages = node.putArray("messages");
      int[] topics = {c % 2 == 0 ? 0 : 2, 1 + (c % 3 == 0 ? 0 : 2)};
      int k = 0;
      for (int topic : topics) {
        String[] turns = DIALOGUE[topic];
        for (int i = 0; i < turns.length; i++) {
          ObjectNode m = messages.addObject();
          m.put("speaker", i % 2 == 0 ? "user" : "assistant");
          m.put("text", turns[i]);
          m.put("at", at.plusSeconds(30L * k++).toString());
        }
      }
      lines.add(Json.write(node));
    }
    Path file = dir.resolve("conversations.jsonl");
    Files.write(file, lines);
    return file;
  }

  public static CliRun run(String... args) {
    return CliRun.withWriters(args);
  }
}
