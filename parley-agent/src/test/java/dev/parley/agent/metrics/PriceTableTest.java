package dev.parley.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.core.error.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class PriceTableTest {
  @TempDir Path dir;

  @Test
  void defaults_longestPrefixWins() {
    PriceTable table = PriceTable.defaults();
    assertThat(table.price("gpt-4o-mini-2024").input()).isEqualTo(0.15);
    assertThat(table.price("gpt-4o-2024").input()).isEqualTo(2.50);
    assertThat(table.price("unknown-model")).isEqualTo(PriceTable.Price.FREE);
  }

  @Test
  void load_unknownKey_namesFileAndPath() throws Exception {
    Path file = dir.resolve("prices.yaml");
    Files.writeString(file, "models:\n  my-model: {input: 1, output: 2, cache_read: 0, cache_write: 0, cache_hit: 1}\n");

    BadInputException e = assertThrows(BadInputException.class, () -> PriceTable.load(file));
    assertThat(e.getMessage()).isEqualTo(file + ": unknown key 'cache_hit' at $.models.my-model (known: cache_read, cache_write, input, output)");
  }

  @Test
  void load_missingPriceOrWrongType_isRefused() throws Exception {
    Path file = dir.resolve("prices.yaml");
    Files.writeString(file, "models:\n  my-model: {input: 1, output: 2, cache_read: 0}\n");
    assertThat(assertThrows(BadInputException.class, () -> PriceTable.load(file)).getMessage())
        .isEqualTo(file + ": missing required key 'cache_write' at $.models.my-model");

    Files.writeString(file, "models: {}\ndefault: {input: free, output: 0, cache_read: 0, cache_write: 0}\n");
    assertThat(assertThrows(BadInputException.class, () -> PriceTable.load(file)).getMessage())
        .isEqualTo(file + ": expected a number at $.default.input, found the string \"free\"");
  }

  @Test
  void load_malformedYaml_onePlainLine() throws Exception {
    Path file = dir.resolve("prices.yaml");
    Files.writeString(file, "models:\n  a: {input: 1\n");

    BadInputException e = assertThrows(BadInputException.class, () -> PriceTable.load(file));
    assertThat(e.getMessage()).startsWith(file + ": malformed YAML at line ").doesNotContain("\n");
  }
}
