package dev.parley.insights.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

final class VectorOpsTest {
  @Test
  void scalar_passesTheContract() {
    VectorOpsContract.check(VectorizationProvider.scalar());
  }

  @Test
  void panama_passesTheContract() {
    // The test JVM runs with --add-modules jdk.incubator.vector (root POM argLine).
    VectorOps simd = VectorizationProvider.panama().orElseThrow();
    assertThat(simd.name()).isEqualTo("panama");
    VectorOpsContract.check(simd);
  }

  @Test
  void ops_followsTheParleyVectorProperty() {
    // The scalar-mode surefire execution sets parley.vector=scalar (parley-insights/pom.xml).
    String mode = System.getProperty("parley.vector", "auto");
    assertThat(VectorizationProvider.ops().name()).isEqualTo(mode.equals("scalar") ? "scalar" : "panama");
    VectorOpsContract.check(VectorizationProvider.ops());
  }

  @Test
  void choose_modes() {
    assertThat(VectorizationProvider.choose("scalar").name()).isEqualTo("scalar");
    assertThat(VectorizationProvider.choose("panama").name()).isEqualTo("panama");
    var e = assertThrows(IllegalArgumentException.class, () -> VectorizationProvider.choose("gpu"));
    assertThat(e.getMessage()).contains("parley.vector").contains("gpu");
  }
}
