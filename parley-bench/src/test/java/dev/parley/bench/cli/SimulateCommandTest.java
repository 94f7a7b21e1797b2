package dev.parley.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.json.Json;
import dev.parley.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate} in-process: the scripted model is served by a local fake Anthropic server over real HTTP. */
final class SimulateCommandTest {
  @TempDir Path tmp;
  private String db;

  @BeforeEach
  void freshStore() {
    db = TestDatabase.freshUrl();
  }

  @Test
  void simulate_adversarialScripts_zeroExecutedViolations() throws IOException {
    Path report = tmp.resolve("report.json");
    BenchRun run = BenchRun.of("simulate", "--agent", BenchRun.repo().resolve("examples/agents/coachmira").toString(),
        "--script", BenchRun.repo().resolve("examples/simulations/coachmira-adversarial.jsonl").toString(), "--json",
        "--out", report.toString(), "--db", db);
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode json = Json.parse(run.out());
    assertThat(json.path("conversations").asInt()).isEqualTo(100);
    assertThat(json.path("executed_violations").asInt()).isZero();
    assertThat(json.path("expectations_met").asInt()).isEqualTo(json.path("expectations_checked").asInt()).isEqualTo(300);
    assertThat(json.path("blocked").asInt() + json.path("invalid").asInt()).isGreaterThan(500);
    assertThat(Json.parse(Files.readString(report)).path("executed_violations").asInt()).isZero();
  }

  @Test
  void simulate_missingMode_exit2() {
    BenchRun run = BenchRun.of("simulate", "--agent", BenchRun.repo().resolve("examples/agents/coachmira").toString(), "--db", db);
    assertThat(run.exit()).isEqualTo(2);
  }
}
