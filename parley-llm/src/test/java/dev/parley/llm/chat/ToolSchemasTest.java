package dev.parley.llm.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.parley.core.json.Json;
import org.junit.jupiter.api.Test;

class ToolSchemasTest {

  private static JsonNode rendered(ObjectNode schema) {
    return Json.mapper().valueToTree(JsonSchemaElementUtils.toMap(ToolSchemas.topLevel("t", schema)));
  }

  @Test
  void typedKeywordsMapToTypedElementsAndRenderBackUnchanged() {
    ObjectNode schema = (ObjectNode) Json.parse("""
        {"type":"object","description":"A profile",
         "properties":{
           "name":{"type":"string","description":"Full name"},
           "stage":{"type":"string","enum":["idea","growth"],"description":"Stage"},
           "size":{"type":"integer"},
           "revenue":{"type":"number","description":"Yearly"},
           "remote":{"type":"boolean"},
           "tags":{"type":"array","items":{"type":"string"}},
           "nothing":{"type":"null"},
           "either":{"anyOf":[{"type":"string"},{"type":"integer"}]},
           "owner":{"type":"object","properties":{"name":{"type":"string"},"scores":{"type":"array",
             "items":{"type":"object","properties":{"v":{"type":"number"}},"required":["v"]}}},"required":["name"]}
         },
         "required":["name","stage"]}
        """);

    JsonObjectSchema converted = ToolSchemas.topLevel("t", schema);

    assertThat(converted.properties().get("name")).isInstanceOf(JsonStringSchema.class);
    assertThat(converted.properties().get("stage")).isInstanceOf(JsonEnumSchema.class);
    assertThat(converted.properties().get("tags")).isInstanceOf(JsonArraySchema.class);
    assertThat(converted.properties().get("owner")).isInstanceOf(JsonObjectSchema.class);
    assertThat(rendered(schema)).isEqualTo(schema);
  }

  @Test
  void keywordsWithoutATypedElementTravelVerbatim() {
    ObjectNode schema = (ObjectNode) Json.parse("""
        {"type":"object","properties":{
           "score":{"type":"integer","minimum":1,"maximum":10},
           "email":{"type":"string","format":"email","pattern":"^.+@.+$"},
           "level":{"enum":[1,2,3]},
           "maybe":{"type":["string","null"]},
           "fixed":{"const":"x"},
           "list":{"type":"array","items":{"type":"string"},"minItems":1,"uniqueItems":true},
           "open":{"type":"object","additionalProperties":{"type":"string"}},
           "choice":{"oneOf":[{"type":"string"},{"type":"integer"}]},
           "closed":{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false},
           "loose":{"type":"object","properties":{"a":{"type":"string"}}}
         },
         "required":[]}
        """);

    JsonObjectSchema converted = ToolSchemas.topLevel("t", schema);

    assertThat(converted.properties().values()).allSatisfy(e -> assertThat(e).isInstanceOf(JsonRawSchema.class));
    assertThat(rendered(schema)).isEqualTo(schema);
  }

  @Test
  void annotationsAtTheTopAreDroppedAndOtherKeywordsRejected() {
    ObjectNode annotated = (ObjectNode) Json.parse("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
        + "\"title\":\"T\",\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}");
    assertThat(rendered(annotated)).isEqualTo(Json.parse("{\"type\":\"object\",\"properties\":{},\"required\":[]}"));

    assertThatThrownBy(() -> ToolSchemas.topLevel("complete_profile",
        (ObjectNode) Json.parse("{\"type\":\"object\",\"allOf\":[]}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tool 'complete_profile'").hasMessageContaining("'allOf'");
    assertThatThrownBy(() -> ToolSchemas.topLevel("t", (ObjectNode) Json.parse("{\"type\":\"string\"}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be \"object\"");
  }
}
