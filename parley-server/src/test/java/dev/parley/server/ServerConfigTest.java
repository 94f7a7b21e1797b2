package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

final class ServerConfigTest {
  @Test
  void defaults_bindLoopbackOnly() throws Exception {
    assertThat(ServerConfig.defaults(8080).host()).isEqualTo(ServerConfig.DEFAULT_HOST);
    assertThat(InetAddress.getByName(ServerConfig.DEFAULT_HOST).isLoopbackAddress()).isTrue();
    assertThat(ServerConfig.defaults(8080).metricsPort()).isEmpty();
    assertThat(ServerConfig.defaults(8080).metricsToken()).isEmpty();
  }

  @Test
  void metricsPort_sameAsTheApisOrOutOfRange_refused() {
    assertThatThrownBy(() -> ServerConfig.defaults(8080).withMetricsPort(OptionalInt.of(8080)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metricsPort must differ from port (8080)");
    assertThatThrownBy(() -> ServerConfig.defaults(8080).withMetricsPort(OptionalInt.of(70_000)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("metricsPort must be in [0, 65535], was 70000");
    assertThat(ServerConfig.defaults(0).withMetricsPort(OptionalInt.of(0)).metricsPort()).hasValue(0);
  }

  @Test
  void metricsToken_tooShort_refusedAndMaskedWhenShown() {
    assertThatThrownBy(() -> ServerConfig.defaults(0).withMetricsToken(Optional.of("short")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("metrics token must have at least 16 characters, has 5");
    String shown = ServerConfig.defaults(0).withMetricsToken(Optional.of("metrics-token-0123456789")).toString();
    assertThat(shown).contains("metricsToken=***").doesNotContain("metrics-token-0123456789");
  }

  @Test
  void host_blank_refused() {
    assertThatThrownBy(() -> ServerConfig.defaults(0).withHost(" ")).isInstanceOf(IllegalArgumentException.class).hasMessage("host must not be blank");
  }
}
