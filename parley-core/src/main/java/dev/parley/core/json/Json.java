package dev.parley.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.error.BadInputException;
import java.io.UncheckedIOException;

/** The one Jackson configuration Parley uses everywhere (files, HTTP, store jsonb). */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
  private static final ObjectReader INPUT = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * Parses JSON text we wrote ourselves (the store, our own artefacts); throws {@link JsonProcessingException}
   * wrapped as unchecked with Jackson's location. For text a user gave, use {@link #parseInput}.
   */
  public static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses one JSON document a user gave (a JSON Lines line, a request body). Malformed text, or
   * anything after the first value ({@code {"a":1} {"b":2}} on one line), is a {@link BadInputException}
   * whose message is one plain line, e.g. {@code malformed JSON at column 32: unexpected end of input}
   * ({@link JsonErrors#describe}); the caller adds the file and line. Empty text gives a missing node.
   */
  public static JsonNode parseInput(String text) {
    try {
      return INPUT.readTree(text);
    } catch (JsonProcessingException e) {
      throw new BadInputException(JsonErrors.describe(e), e);
    }
  }
}
