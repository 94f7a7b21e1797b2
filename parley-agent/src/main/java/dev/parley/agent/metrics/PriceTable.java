package dev.parley.agent.metrics;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.parley.core.error.BadInputException;
import dev.parley.core.chat.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

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
      return parse(new ObjectMapper(new YAMLFactory()).readTree(requireNonNull(in, "prices.yaml resource missing")), "prices.yaml");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static PriceTable load(Path file) {
    try {
      return parse(new ObjectMapper(new YAMLFactory()).readTree(file.toFile()), file.toString());
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot read price table: " + e.getMessage(), e);
    }
  }

  static PriceTable parse(JsonNode root, String source) {
    Map<String, Price> prices = new LinkedHashMap<>();
    root.path("models").properties().forEach(e -> prices.put(e.getKey(), price(e.getValue(), source + " models." + e.getKey())));
    Price fallback = root.has("default") ? price(root.get("default"), source + " default") : Price.FREE;
    return new PriceTable(prices, fallback);
  }

  private static Price price(JsonNode node, String where) {
    try {
      return new Price(node.path("input").asDouble(0), node.path("output").asDouble(0), node.path("cache_read").asDouble(0),
          node.path("cache_write").asDouble(0));
    } catch (IllegalArgumentException e) {
      throw new BadInputException(where + ": " + e.getMessage(), e);
    }
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
