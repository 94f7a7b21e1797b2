package dev.parley.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.json.Json;
import dev.parley.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/** {@code bench orchestrator} in-process, on a small run against the fake Anthropic server. */
final class BenchOrchestratorCommandTest {
  @Test
  void benchOrchestrator_smallRun_reportsEveryPartWithoutErrors() {
    BenchRun run = BenchRun.of("bench", "orchestrator", "--agents", BenchRun.repo().resolve("examples/agents").toString(),
        "--turns", "5", "--sizes", "10", "--sessions", "5", "--session-turns", "1", "--latency-ms", "50", "--json",
        "--db", TestDatabase.freshUrl());
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode json = Json.parse(run.out().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
    assertThat(json.at("/overhead/rows")).hasSize(2);
    assertThat(json.at("/concurrency/errors").asInt()).isZero();
    assertThat(json.at("/prompt_tokens/rows")).hasSize(4);
  }
}
