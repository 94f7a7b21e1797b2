package dev.parley.server.insights;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.conversation.Conversation;
import dev.parley.core.conversation.ConversationCodec;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.core.json.JsonErrors;
import dev.parley.server.ApiError;
import dev.parley.server.RequestChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Parses the body of {@code POST /v1/conversations}: one conversation object (DESIGN §4), a JSON array of
 * them, or JSON Lines (any whitespace between objects). Every item is validated with
 * {@link ConversationCodec} before anything is stored; the first bad item fails the whole batch with a 400
 * naming its 0-based index (and its line, for JSON Lines).
 */
final class ConversationBatch {
  private final ConversationCodec codec;

  ConversationBatch(ConversationCodec codec) {
    this.codec = requireNonNull(codec, "codec is null");
  }

  /** One parsed item: its index in the body and the line it starts on (1-based). */
  record Item(int index, int line, Conversation conversation) {
    Item {
      requireNonNull(conversation, "conversation is null");
    }

    String where() {
      return "item " + index + " (line " + line + ")";
    }
  }

  List<Item> parse(String body) {
    requireNonNull(body, "body is null");
    if (body.isBlank()) {
      throw ApiError.badRequest("the body is empty: send a conversation object, a JSON array of them, or JSON Lines (DESIGN §4)");
    }
    List<Item> items = new ArrayList<>();
    try (JsonParser parser = Json.mapper().createParser(body)) {
      JsonToken first = next(parser, 0);
      if (first == JsonToken.START_ARRAY) {
        for (JsonToken token = next(parser, 0); token != JsonToken.END_ARRAY; token = next(parser, items.size())) {
          if (token == null) {
            throw ApiError.badRequest("item " + items.size() + ": the JSON array is not closed");
          }
          items.add(item(parser, items.size()));
        }
        if (parser.nextToken() != null) {
          throw ApiError.badRequest("unexpected content after the JSON array at line " + parser.currentTokenLocation().getLineNr()
              + ": send one array, or JSON Lines without an array");
        }
      } else {
        for (JsonToken token = first; token != null; token = next(parser, items.size())) {
          items.add(item(parser, items.size()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a request body held in memory", e);
    }
    return items;
  }

  /** The next token, null at the end of the input (Jackson's contract); malformed JSON there is a problem of item {@code index}. */
  private static @Nullable JsonToken next(JsonParser parser, int index) throws IOException {
    try {
      return parser.nextToken();
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest("item " + index + " (line " + e.getLocation().getLineNr() + "): " + JsonErrors.describe(e));
    }
  }

  private Item item(JsonParser parser, int index) throws IOException {
    int line = parser.currentTokenLocation().getLineNr();
    JsonNode node;
    try {
      node = Json.mapper().readTree(parser);
    } catch (JsonProcessingException e) {
      int at = e.getLocation() == null ? line : e.getLocation().getLineNr();
      throw ApiError.badRequest("item " + index + " (line " + at + "): " + JsonErrors.describe(e));
    }
    try {
      // Before the codec and the store: PostgreSQL refuses a NUL (a 500 mid-batch), and a lone surrogate would be stored as '?'.
      RequestChecks.requireClean(node, "");
    } catch (ApiError e) {
      throw new ApiError(e.status(), e.code(), "item " + index + " (line " + line + "): " + e.getMessage(), e.field());
    }
    try {
      return new Item(index, line, codec.fromJson(node));
    } catch (BadInputException e) {
      throw ApiError.badRequest("item " + index + " (line " + line + "): " + e.getMessage());
    }
  }
}
