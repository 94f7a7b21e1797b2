package dev.parley.agent.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.core.json.Json;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

final class FlagGuardTest {
  @Test
  void toJson_fromJson_roundTrips() {
    FlagGuard guard = new FlagGuard(true, 0.02, 80, Duration.ofMinutes(10));
    assertThat(Json.write(guard.toJson())).isEqualTo("{\"v\":1,\"enabled\":true,\"max_error_rate\":0.02,\"min_turns\":80,\"window_seconds\":600}");
    assertThat(FlagGuard.fromJson(guard.toJson(), "test")).isEqualTo(guard);
  }

  @Test
  void fromJson_unknownVersionOrKeyOrBadValue_rejectedNamingTheSource() {
    IllegalStateException version = assertThrows(IllegalStateException.class, () -> FlagGuard.fromJson(Json.parse(
        "{\"v\":2,\"enabled\":true,\"max_error_rate\":0.01,\"min_turns\":50,\"window_seconds\":900}"), "flags.guard of 'x'"));
    assertThat(version).hasMessage("flags.guard of 'x': expected guard version 1, found 2");
    IllegalStateException key = assertThrows(IllegalStateException.class, () -> FlagGuard.fromJson(Json.parse(
        "{\"v\":1,\"enabled\":true,\"max_error_rate\":0.01,\"min_turns\":50,\"window_seconds\":900,\"mode\":\"x\"}"), "src"));
    assertThat(key).hasMessageStartingWith("src: unknown guard keys [mode]");
    IllegalStateException range = assertThrows(IllegalStateException.class, () -> FlagGuard.fromJson(Json.parse(
        "{\"v\":1,\"enabled\":true,\"max_error_rate\":1.5,\"min_turns\":50,\"window_seconds\":900}"), "src"));
    assertThat(range).hasMessage("src: max error rate must be in [0, 1], was 1.5");
  }

  @Test
  void constructor_outOfRange_messageNamesBoundAndValue() {
    assertThat(assertThrows(IllegalArgumentException.class, () -> new FlagGuard(true, Double.NaN, 50, Duration.ofMinutes(1))))
        .hasMessage("max error rate must be in [0, 1], was NaN");
    assertThat(assertThrows(IllegalArgumentException.class, () -> new FlagGuard(true, 0.01, 0, Duration.ofMinutes(1))))
        .hasMessage("min turns must be in [1, 1000000], was 0");
    assertThat(assertThrows(IllegalArgumentException.class, () -> new FlagGuard(true, 0.01, 5, Duration.ofDays(31))))
        .hasMessageStartingWith("window must be in [1 s, 30 days]");
    assertThat(assertThrows(IllegalArgumentException.class, () -> new FlagGuard(true, 0.01, 5, Duration.ofMillis(1500))))
        .hasMessageStartingWith("window must be whole seconds");
  }

  @Test
  void with_aSettingWithoutEnabled_turnsTheGuardOnAndKeepsTheRest() {
    FlagGuard on = FlagGuard.OFF.with(Optional.empty(), OptionalDouble.of(0.05), OptionalInt.empty(), Optional.empty());
    assertThat(on).isEqualTo(new FlagGuard(true, 0.05, FlagGuard.DEFAULT_MIN_TURNS, FlagGuard.DEFAULT_WINDOW));
    FlagGuard off = on.with(Optional.of(false), OptionalDouble.empty(), OptionalInt.of(10), Optional.empty());
    assertThat(off).isEqualTo(new FlagGuard(false, 0.05, 10, FlagGuard.DEFAULT_WINDOW));
    assertThat(off.with(Optional.empty(), OptionalDouble.empty(), OptionalInt.empty(), Optional.empty())).isEqualTo(off);
  }
}
