package dev.parley.core.conversation;

import dev.parley.core.error.BadInputException;
import dev.parley.core.error.LineException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Streams a JSON Lines file record by record in constant memory. Blank lines are skipped; a line that
 * fails to parse raises a {@link LineException} naming the file and the 1-based line number.
 */
public final class JsonLines {
  private JsonLines() {}

  /** A record and where it came from. */
  public record Line<T>(long number, T value) {}

  /** Visits every record in order; stops at the first bad line. */
  public static <T> long forEach(Path file, Function<String, T> parser, java.util.function.Consumer<Line<T>> consumer) {
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    long lineNumber = 0;
    long count = 0;
    try (BufferedReader reader = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder), 1 << 16)) {
      String line;
      while (true) {
        try {
          line = reader.readLine();
        } catch (CharacterCodingException e) {
          throw new LineException(file.toString(), lineNumber + 1, "not valid UTF-8");
        }
        if (line == null) {
          break;
        }
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        T value;
        try {
          value = parser.apply(line);
        } catch (BadInputException e) {
          throw new LineException(file.toString(), lineNumber, String.valueOf(e.getMessage()));
        }
        consumer.accept(new Line<>(lineNumber, value));
        count++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return count;
  }

  /** Reads a whole (small) file into memory. */
  public static <T> List<T> readAll(Path file, Function<String, T> parser) {
    List<T> values = new ArrayList<>();
    forEach(file, parser, line -> values.add(line.value()));
    return values;
  }

  public static List<Conversation> readConversations(Path file) {
    return readAll(file, new ConversationCodec()::parse);
  }

  public static List<TextItem> readTextItems(Path file) {
    return readAll(file, new TextItemCodec()::parse);
  }

  /** The {@code .jsonl}/{@code .json} files of a folder, sorted by name, or the file itself. */
  public static List<Path> inputFiles(Path fileOrDir) {
    if (!Files.exists(fileOrDir)) {
      throw new BadInputException("no such file or directory: " + fileOrDir);
    }
    if (!Files.isDirectory(fileOrDir)) {
      return List.of(fileOrDir);
    }
    try (Stream<Path> files = Files.list(fileOrDir)) {
      List<Path> found = files
          .filter(p -> Files.isRegularFile(p) && (p.toString().endsWith(".jsonl") || p.toString().endsWith(".ndjson")))
          .sorted()
          .toList();
      if (found.isEmpty()) {
        throw new BadInputException("no .jsonl files in " + fileOrDir);
      }
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + fileOrDir, e);
    }
  }
}
