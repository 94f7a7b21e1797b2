package dev.parley.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Small generated conversation JSON Lines for tests. */
public final class Lines {
  private Lines() {}

  /** A conversation line with {@code messages} alternating user / assistant messages. */
  public static String conversation(String id, int messages, String salt) {
    String body = IntStream.range(0, messages)
        .mapToObj(i -> "{\"speaker\":\"" + (i % 2 == 0 ? "user" : "assistant") + "\",\"text\":\"" + salt + " message " + i + " of " + id + "\",\"at\":\"2024-05-01T10:00:0" + (i % 10) + "Z\"}")
        .collect(Collectors.joining(","));
    return "{\"id\":\"" + id + "\",\"user\":\"u-" + id + "\",\"started_at\":\"2024-05-01T10:00:00Z\",\"messages\":[" + body + "],\"metadata\":{\"channel\":\"web\",\"n\":" + messages + "},\"source\":\"test\"}";
  }

  /** {@code count} conversations c0..c(count-1) of 3 messages each. */
  public static List<String> conversations(int count, String salt) {
    return IntStream.range(0, count).mapToObj(i -> conversation("c" + i, 3, salt)).toList();
  }

  public static Path write(Path file, List<String> lines) {
    try {
      return Files.write(file, lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
