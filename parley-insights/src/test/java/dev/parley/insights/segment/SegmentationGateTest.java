package dev.parley.insights.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

final class SegmentationGateTest {
  @Test
  void boundaries_peaksAboveAdaptiveGate() {
    double[] p = {0.1, 0.9, 0.1, 0.1, 0.8, 0.1};
    assertThat(new SegmentationGate(0.3, 0.5, 1).boundaries(p)).containsExactly(2, 5);
  }

  @Test
  void boundaries_flatConversation_noBoundaryBelowFloor() {
    assertThat(new SegmentationGate(0.5, -1, 1).boundaries(new double[] {0.2, 0.21, 0.2, 0.19})).isEmpty();
  }

  @Test
  void boundaries_minimumLength_dropsTheWeakerNeighbour() {
    double[] p = {0.1, 0.9, 0.85, 0.1, 0.1};
    assertThat(new SegmentationGate(0.3, 0, 2).boundaries(p)).containsExactly(2);
  }

  @Test
  void constructor_floorOutOfRange_rejected() {
    var e = assertThrows(IllegalArgumentException.class, () -> new SegmentationGate(1.5, 0, 1));
    assertThat(e.getMessage()).contains("floor").contains("1.5");
  }
}
