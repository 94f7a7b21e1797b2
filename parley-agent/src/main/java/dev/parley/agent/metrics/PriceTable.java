package dev.parley.agent.metrics;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.chat.Usage;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** USD per million tokens by model, matched by the longest model-name prefix; unknown models cost the default. */
public final class PriceTable {
  /** Prices of one model, USD per million tokens. */
  public record Price(double input, double output, double cacheRead, double cacheWrite) {
    public static final Price FREE = new Price(0, 0, 0, 0);

    public Price {
      if (input < 0 || output < 0 || cacheRead < 0 || cacheWrite < 0) {
        throw new IllegalArgumentException("prices must be >= 0, were " + input + "/" + output + "/" + cacheRead + "/" + cacheWrite);
      }
    }

    public double cost(Usage usage) {
      return (usage.inputTokens() * input + usage.outputTokens() * output + usage.cacheReadTokens() * cacheRead
          + usage.cacheWriteTokens() * cacheWrite) / 1_000_000.0;
    }
  }

  private final Map<String, Price> byPrefix;
  private final Price fallback;

  public PriceTable(Map<String, Price> byPrefix, Price fallback) {
    this.byPrefix = Map.copyOf(requireNonNull(byPrefix, "byPrefix is null"));
    this.fallback = requireNonNull(fallback, "fallback is null");
  }

  /** The table shipped with Parley. */
  public static PriceTable defaults() {
    try (InputStream in = PriceTable.class.getResourceAsStream("/dev/parley/agent/prices.yaml")) {
      String text = new String(requireNonNull(in, "prices.yaml resource missing").readAllBytes(), StandardCharsets.UTF_8);
      return parse(StrictJson.parseYaml(text, "prices.yaml"), "prices.yaml");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The table in {@code file} (the format of the shipped {@code prices.yaml}). Strict: an unknown key, a
   * price without all of input, output, cache_read and cache_write, or a value that is not a number is
   * a {@link BadInputException} naming the file and the JSON path.
   */
  public static PriceTable load(Path file) {
    return parse(StrictJson.readYaml(file), file.toString());
  }

  static PriceTable parse(JsonNode root, String source) {
    StrictJson.checkKeys(root, source, "$", Set.of("models"), Set.of("default"));
    JsonNode models = root.get("models");
    if (!models.isObject()) {
      throw new BadInputException(source + ": expected a mapping of model-name prefix to prices at $.models, found " + StrictJson.kind(models));
    }
    Map<String, Price> prices = new LinkedHashMap<>();
    models.properties().forEach(e -> prices.put(e.getKey(), StrictJson.bind(e.getValue(), Price.class, source, StrictJson.key("$.models", e.getKey()))));
    Price fallback = root.hasNonNull("default") ? StrictJson.bind(root.get("default"), Price.class, source, "$.default") : Price.FREE;
    return new PriceTable(prices, fallback);
  }

  public Price price(String model) {
    requireNonNull(model, "model is null");
    return byPrefix.entrySet().stream()
        .filter(e -> model.startsWith(e.getKey()))
        .max(Comparator.comparingInt(e -> e.getKey().length()))
        .map(Map.Entry::getValue)
        .orElse(fallback);
  }

  public double cost(String model, Usage usage) {
    return price(model).cost(usage);
  }
}
