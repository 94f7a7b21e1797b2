package dev.parley.insights.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.core.error.BadInputException;
import org.junit.jupiter.api.Test;

final class SegmentationModelJsonTest {
  @Test
  void bundled_loadsWithProvenanceAndCurrentFeatures() {
    SegmentationModel model = SegmentationModelJson.bundled();
    assertThat(model.featureNames()).isEqualTo(GapFeatures.names());
    assertThat(model.provenance().scorerData()).isNotEmpty();
    assertThat(model.provenance().gateData()).noneMatch(s -> s.endsWith(":test"));
  }

  @Test
  void write_thenRead_sameModel() {
    SegmentationModel model = SegmentationModelJson.bundled();
    SegmentationModel again = SegmentationModelJson.read(SegmentationModelJson.write(model), "memory");
    assertThat(again.gate()).isEqualTo(model.gate());
    assertThat(again.scorer().weights()).containsExactly(model.scorer().weights());
    assertThat(again.provenance()).isEqualTo(model.provenance());
  }

  @Test
  void read_otherVersion_rejectedWithExpectedAndFound() {
    String json = SegmentationModelJson.write(SegmentationModelJson.bundled()).replace("\"version\" : 1", "\"version\" : 9");
    var e = assertThrows(BadInputException.class, () -> SegmentationModelJson.read(json, "cal.json"));
    assertThat(e.getMessage()).contains("cal.json").contains("expected 1").contains("found 9");
  }

  @Test
  void read_unknownKey_namesPathAndKnownKeys() {
    String json = SegmentationModelJson.write(SegmentationModelJson.bundled()).replace("\"bias\" :", "\"bais\" : 0, \"bias\" :");
    var e = assertThrows(BadInputException.class, () -> SegmentationModelJson.read(json, "cal.json"));
    assertThat(e.getMessage()).isEqualTo("cal.json: unknown key 'bais' at $.scorer (known: bias, means, scales, weights)");
  }

  @Test
  void read_missingKey_namesPath() {
    String json = SegmentationModelJson.write(SegmentationModelJson.bundled()).replaceAll("\"min_segment_turns\" : \\d+", "\"x\" : 1")
        .replace("\"x\" : 1", "").replaceAll(",\\s*}", "}");
    var e = assertThrows(BadInputException.class, () -> SegmentationModelJson.read(json, "cal.json"));
    assertThat(e.getMessage()).isEqualTo("cal.json: missing required key 'min_segment_turns' at $.gate");
  }

  @Test
  void read_numberAsString_isRefused() {
    String json = SegmentationModelJson.write(SegmentationModelJson.bundled()).replaceAll("\"bias\" : ([-0-9.eE]+)", "\"bias\" : \"$1\"");
    var e = assertThrows(BadInputException.class, () -> SegmentationModelJson.read(json, "cal.json"));
    assertThat(e.getMessage()).startsWith("cal.json: expected a number at $.scorer.bias, found the string \"");
  }

  @Test
  void read_malformed_onePlainLine() {
    var e = assertThrows(BadInputException.class, () -> SegmentationModelJson.read("{\n  \"format\": \n", "cal.json"));
    assertThat(e.getMessage()).isEqualTo("cal.json: malformed JSON at line 3, column 1: unexpected end of input");
  }
}
