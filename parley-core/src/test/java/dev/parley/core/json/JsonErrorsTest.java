package dev.parley.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every Jackson message Parley users meet, as the one line {@link JsonErrors} makes of it. */
final class JsonErrorsTest {
  private static final ObjectReader JSON = Json.mapper().reader()
      .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final ObjectReader YAML = new ObjectMapper(new YAMLFactory()).reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "{\"id\":\"a\",\"messages\":[{\"speaker\":\"user\"        | malformed JSON at column 40: unexpected end of input",
      "{\"id\":\"a\",\"text\":\"unterminated                    | malformed JSON at column 31: unexpected end of input",
      "{not json                                                | malformed JSON at column 2: unexpected character 'n', expected a key in double quotes",
      "{'a':1}                                                  | malformed JSON at column 2: unexpected character ''', expected a key in double quotes",
      "{\"a\":1,}                                               | malformed JSON at column 8: unexpected character '}', expected a key in double quotes",
      "{\"a\" 1}                                                | malformed JSON at column 6: unexpected character '1', expected ':'",
      "{\"a\":1 \"b\":2}                                        | malformed JSON at column 8: unexpected character '\"', expected ',' or '}'",
      "[1 2]                                                    | malformed JSON at column 4: unexpected character '2', expected ',' or ']'",
      "{\"a\":]                                                 | malformed JSON at column 6: unexpected character ']', expected a value",
      "{\"a\":-}                                                | malformed JSON at column 7: unexpected character '}' in a number",
      "{\"a\":abc}                                              | malformed JSON at column 6: unrecognized token 'abc'",
      "{\"a\":tru}                                              | malformed JSON at column 6: unrecognized token 'tru'",
      "{\"a\":1,\"a\":2}                                        | malformed JSON at column 11: duplicate key 'a'",
      "{\"a\":1}}                                               | malformed JSON at column 8: unexpected '}'",
      "{\"a\":1]                                                | malformed JSON at column 7: unexpected ']', expected '}'",
      "{\"a\":1} {\"b\":2}                                      | malformed JSON at column 9: unexpected content after the JSON value",
      "{\"a\":01}                                               | malformed JSON at column 7: invalid number: leading zeroes are not allowed",
      "{\"a\":NaN}                                              | malformed JSON at column 9: 'NaN' is not a JSON value",
      "{\"a\":\"\\q\"}                                          | malformed JSON at column 8: invalid escape '\\q' in a string",
      "{\"a\":\"\\u12g4\"}                                      | malformed JSON at column 11: unexpected character 'g' in a \\u escape, expected a hex digit",
  })
  void describe_jsonLine_plainProblemAtColumn(String text, String expected) {
    assertThat(JsonErrors.describe(failure(JSON, text.strip()))).isEqualTo(expected);
  }

  @Test
  void describe_controlCharacterInString_namesItsCode() {
    assertThat(JsonErrors.describe(failure(JSON, "{\"a\":\"x\ty\"}")))
        .isEqualTo("malformed JSON at column 8: control character U+0009 in a string: it must be escaped");
  }

  @Test
  void describe_invisibleCharacter_givenAsCodePoint() {
    assertThat(JsonErrors.describe(failure(JSON, "\uFEFF{\"a\":1}"))).isEqualTo("malformed JSON at column 1: unexpected character U+FEFF, expected a value");
  }

  @Test
  void describe_invalidUtf8Bytes_saysInvalidUtf8() {
    byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> JSON.readTree(bytes));
    assertThat(JsonErrors.describe(e)).isEqualTo("malformed JSON at column 9: invalid UTF-8");
  }

  @Test
  void describe_laterLineOfDocument_givesLineAndColumn() {
    assertThat(JsonErrors.describe(failure(JSON, "{\n  \"a\": 1,\n  \"b\": }\n"))).isEqualTo("malformed JSON at line 3, column 8: unexpected character '}', expected a value");
  }

  @Test
  void describe_neverShowsJacksonInternals() {
    for (String text : new String[] {"{\"a\":[{\"b\":1", "{\"a\":1]", "{\"a\":1} 2", "{\"a\":NaN}"}) {
      String line = JsonErrors.describe(failure(JSON, text));
      assertThat(line).doesNotContain("Source", "REDACTED", "`", "line: ", "\n").startsWith("malformed JSON at column ");
    }
  }

  @Test
  void describe_nestingTooDeep_keepsTheLimitDropsTheSetting() {
    String text = "[".repeat(1_001) + "]".repeat(1_001);
    assertThat(JsonErrors.describe(failure(JSON, text)))
        .isEqualTo("malformed JSON: document nesting depth (1001) exceeds the maximum allowed (1000)");
  }

  record Point(int x, List<Integer> ys) {}

  @Test
  void describe_wellFormedButWrongType_givesThePathNotTheColumn() {
    JsonProcessingException e = assertThrows(JsonProcessingException.class,
        () -> Json.mapper().readValue("{\"x\": 1, \"ys\": [1, \"two\"]}", Point.class));
    assertThat(JsonErrors.describe(e)).isEqualTo("invalid value at $.ys[1]: expected an integer");
  }

  @Test
  void problem_leavesOutTheLocation() {
    assertThat(JsonErrors.problem(failure(JSON, "{\"a\":"))).isEqualTo("unexpected end of input");
    assertThat(JsonErrors.location(failure(JSON, "\n\n{\"a\":x}"))).isEqualTo("line 3, column 6");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "a: 1\\nb: [1, 2\\nc: 3\\n     | malformed YAML at line 3, column 2: expected ',' or ']', but got :",
      "a: 1\\n b: 2\\n               | malformed YAML at line 2, column 3: mapping values are not allowed here",
      "a: 'x\\n                     | malformed YAML at line 2, column 1: unexpected end of input",
      "\\tb: 1\\n                    | malformed YAML at column 1: a tab cannot start a token (indent with spaces)",
      "a: 1\\na: 2\\n                | malformed YAML at line 2, column 2: duplicate key 'a'",
  })
  void describe_yaml_problemAtLineAndColumn(String text, String expected) {
    assertThat(JsonErrors.describe(failure(YAML, text.strip().replace("\\n", "\n").replace("\\t", "\t")))).isEqualTo(expected);
  }

  private static JsonProcessingException failure(ObjectReader reader, String text) {
    return assertThrows(JsonProcessingException.class, () -> reader.readTree(text));
  }
}
