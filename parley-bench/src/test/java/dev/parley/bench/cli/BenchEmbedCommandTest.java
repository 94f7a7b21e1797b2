package dev.parley.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench embed} in-process on a tiny CSV (the PostgreSQL pass starts a throwaway embedded store). */
final class BenchEmbedCommandTest {
  @TempDir Path dir;

  private static BenchRun run(String... args) {
    return BenchRun.of(args);
  }

  private Path csv() throws IOException {
    Path file = dir.resolve("texts.csv");
    Files.writeString(file, """
        text,category
        How do I locate my card?,card_arrival
        "I still have not received my new card, I ordered over a week ago.",card_arrival
        "He said ""hi""
        on two lines",other
        ,blank
        Can I top up with Apple Pay?,top_up
        Why was I charged a fee?,fees
        my transfer is pending,transfer
        """);
    return file;
  }

  @Test
  void reportsBothImplementationsAndAFullyCachedSecondPass() throws IOException {
    BenchRun r = run("bench", "embed", "--texts", "6", "--rounds", "1", "--model", "local:minilm", "--batch-size", "4",
        "--data", csv().toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode json = Json.parse(r.out().strip());
    assertThat(json.get("texts").asInt()).isEqualTo(6);
    JsonNode impls = json.get("models").get(0).get("implementations");
    assertThat(json.get("models").get(0).get("model").asText()).isEqualTo("local:all-minilm-l6-v2-q");
    assertThat(impls).hasSize(3);
    assertThat(impls.get(0).get("implementation").asText()).startsWith("LangChain4j");
    assertThat(impls.get(1).get("min_cosine_vs_langchain4j").asDouble()).isGreaterThan(0.999);
    assertThat(impls.get(1).get("texts_per_second").asDouble()).isPositive();
    List<String> caches = json.get("cache").findValuesAsText("cache");
    assertThat(caches).containsExactly("InMemoryEmbeddingCache", "PgEmbeddingCache");
    for (JsonNode pass : json.get("cache")) {
      assertThat(pass.get("pass1_embedded").asInt()).isEqualTo(6);
      assertThat(pass.get("pass2_embedded").asInt()).isZero();
      assertThat(pass.get("pass2_hits").asInt()).isEqualTo(6);
    }
  }

  @Test
  void tableOutput() throws IOException {
    BenchRun r = run("bench", "embed", "--texts", "3", "--rounds", "1", "--model", "local:minilm", "--batch-size", "0",
        "--no-store", "--data", csv().toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("LangChain4j embedAll", "Parley exact (default)", "pass 2: embedded 0, cache hits 3")
        .doesNotContain("batched", "PgEmbeddingCache");
  }

  @Test
  void badInputExitsTwo() throws IOException {
    assertThat(run("bench", "embed", "--texts", "0").exit()).isEqualTo(2);
    BenchRun model = run("bench", "embed", "--model", "glove", "--no-store");
    assertThat(model.exit()).isEqualTo(2);
    assertThat(model.err()).contains("--model must be local, local:minilm or both, was 'glove'");
    BenchRun tooMany = run("bench", "embed", "--texts", "50", "--no-store", "--data", csv().toString());
    assertThat(tooMany.exit()).isEqualTo(2);
    assertThat(tooMany.err()).contains("asks for more than the 6 non-blank texts");
    assertThat(run("bench").exit()).isEqualTo(2);
  }
}
