package dev.parley.pipeline.item;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.conversation.Conversation;
import dev.parley.core.conversation.ConversationCodec;
import dev.parley.core.conversation.JsonLines;
import dev.parley.core.conversation.TextItemCodec;
import dev.parley.core.error.BadInputException;
import dev.parley.core.hash.ContentHash;
import dev.parley.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Reads what {@code ./parley cluster} accepts, and fingerprints inputs. */
public final class Inputs {
  private Inputs() {}

  /** SHA-256 of the input files' bytes, in name order (each file's name and length framed in). */
  public static String hash(Path fileOrDir) {
    MessageDigest digest = ContentHash.newDigest();
    for (Path file : JsonLines.inputFiles(fileOrDir)) {
      try (InputStream in = Files.newInputStream(file)) {
        digest.update((file.getFileName().toString() + ":" + Files.size(file) + ":").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, n);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * Items to cluster from text items ({@code {"id","text"}}), conversations (the user's messages joined:
   * one item per conversation) or segmentation output with summaries (one item per segment). The kind is
   * decided per line, so the files of a folder may differ.
   */
  public static List<ClusterItem> clusterItems(Path fileOrDir) {
    List<ClusterItem> items = new ArrayList<>();
    ConversationCodec conversations = new ConversationCodec();
    TextItemCodec texts = new TextItemCodec();
    for (Path file : JsonLines.inputFiles(fileOrDir)) {
      JsonLines.forEach(file, line -> parse(line, conversations, texts), line -> items.addAll(line.value()));
    }
    if (items.isEmpty()) {
      throw new BadInputException("no items to cluster in " + fileOrDir);
    }
    List<String> duplicates = items.stream().collect(Collectors.groupingBy(ClusterItem::id, Collectors.counting()))
        .entrySet().stream().filter(e -> e.getValue() > 1).map(java.util.Map.Entry::getKey).sorted().limit(3).toList();
    if (!duplicates.isEmpty()) {
      throw new BadInputException("duplicate item ids in " + fileOrDir + ": " + String.join(", ", duplicates));
    }
    return items;
  }

  private static List<ClusterItem> parse(String line, ConversationCodec conversations, TextItemCodec texts) {
    JsonNode node = Json.parseInput(line);
    if (node != null && node.has("messages")) {
      Conversation c = conversations.fromJson(node);
      String text = ConversationText.of(c)
          .orElseThrow(() -> new BadInputException("conversation '" + c.id() + "' has no user message to cluster"));
      return List.of(new ClusterItem(c.id(), text, c.user().orElse(""), c.id(), c.effectiveStart()));
    }
    if (node != null && node.has("segments") && node.has("conversation_id")) {
      String conversation = node.get("conversation_id").asText();
      List<ClusterItem> items = new ArrayList<>();
      int index = 0;
      for (JsonNode segment : node.get("segments")) {
        JsonNode summary = segment.get("summary");
        if (summary == null || !summary.isTextual() || summary.asText().isBlank()) {
          throw new BadInputException("conversation '" + conversation + "' segment " + index
              + ": no 'summary' (cluster needs segment summaries; ./parley segment writes them)");
        }
        items.add(new ClusterItem(conversation + "#" + index, summary.asText(), node.path("user").asText(""), conversation, Optional.empty()));
        index++;
      }
      return items;
    }
    var item = texts.parse(line);
    return List.of(new ClusterItem(item.id(), item.text(), "", item.id(), Optional.empty()));
  }
}
