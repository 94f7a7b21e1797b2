package dev.parley.pipeline.item;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.conversation.Conversation;
import dev.parley.core.conversation.JsonLines;
import dev.parley.core.conversation.Message;
import dev.parley.core.conversation.Speaker;
import dev.parley.core.conversation.TextItem;
import dev.parley.core.conversation.TextItemCodec;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads conversations from files: conversation JSONL, or text items (one customer message each, read as a
 * one-message conversation). {@code auto} decides per file from its first record ({@code messages} means
 * conversations). Bad lines fail with the file and line (exit 2).
 */
public final class ConversationSources {
  private ConversationSources() {}

  /** Conversations, plus gold labels of labelled text items by id (empty for conversations). */
  public record Loaded(List<Conversation> conversations, Map<String, String> labels) {}

  public static Loaded read(Path in, String format) {
    List<Conversation> conversations = new ArrayList<>();
    Map<String, String> labels = new LinkedHashMap<>();
    for (Path file : JsonLines.inputFiles(in)) {
      String kind = format.equals("auto") ? detect(file) : format;
      switch (kind) {
        case "jsonl" -> conversations.addAll(JsonLines.readConversations(file));
        case "items" -> {
          TextItemCodec codec = new TextItemCodec();
          JsonLines.forEach(file, codec::parse, line -> {
            TextItem item = line.value();
            conversations.add(Conversation.of(item.id(), List.of(Message.of(Speaker.USER, item.text()))));
            item.label().ifPresent(l -> labels.put(item.id(), l));
          });
        }
        default -> throw new BadInputException("unknown input format '" + format + "' (expected auto, jsonl or items)");
      }
    }
    if (conversations.isEmpty()) {
      throw new BadInputException(in + ": no conversations");
    }
    return new Loaded(conversations, labels);
  }

  static String detect(Path file) {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        Optional<JsonNode> node = parse(line);
        return node.isPresent() && node.get().has("text") && !node.get().has("messages") ? "items" : "jsonl";
      }
      return "jsonl";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static Optional<JsonNode> parse(String line) {
    try {
      return Optional.ofNullable(Json.mapper().readTree(line));
    } catch (IOException e) {
      return Optional.empty(); // the real reader reports it with file and line
    }
  }
}
