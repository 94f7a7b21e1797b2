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
}
