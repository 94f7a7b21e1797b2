package dev.parley.cli.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.cli.CommonOptions;
import dev.parley.core.json.Json;
import dev.parley.insights.privacy.PrivacyRule;
import dev.parley.fakes.FakeAnthropicServer;
import dev.parley.fakes.FakeReply;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code analyze --llm anthropic} against the fake Anthropic server over real HTTP, garbage answers included. */
final class AnalyzeWithLlmTest {
  @TempDir Path dir;

  private AnalyzeJob.Result analyze(FakeAnthropicServer server, Path out) throws Exception {
    CommonOptions common = CommandLine.populateCommand(new CommonOptions(), "--llm", "anthropic");
    Map<String, String> env = new HashMap<>(server.env("test-key"));
    env.put("PARLEY_LLM_MAX_ATTEMPTS", "1");
    Path in = TestCorpora.conversations(dir, 16);
    try (RunServices services = new RunServices(common, false, env)) {
      return new AnalyzeJob(in, out, ClusterSettings.defaults(42, new PrivacyRule(2, 3)), services, new HierarchyEngine(),
          new PrintWriter(new StringWriter()), false).run();
    }
  }

  @Test
  void analyze_llmLabels_usedAndCounted() throws Exception {
    try (FakeAnthropicServer server = FakeAnthropicServer.start()) {
      server.respondWith(r -> r.lastMessageText().contains("Name the 1 to 3 themes")
          ? FakeReply.text("{\"themes\": [\"planning a trip\"]}")
          : FakeReply.text("{\"label\": \"Plan a trip\", \"description\": \"Users plan a trip.\"}"));

      AnalyzeJob.Result result = analyze(server, dir.resolve("out"));

      JsonNode labelling = result.finished().runJson().path("summary").path("labelling");
      // The summaries' calls (answered here with a label, so invalid: they fall back to extractive) come first.
      assertThat(labelling.path("llm_calls").asInt()).isPositive().isLessThan(server.requestCount());
      assertThat(server.requests()).anySatisfy(r -> assertThat(r.systemPrompt()).contains("You summarise segments"));
      assertThat(labelling.path("sources").path("llm").asInt()).isPositive();
      assertThat(result.finished().run().clusters()).anySatisfy(c -> assertThat(c.label()).isEqualTo("Plan a trip"));
    }
  }

  @Test
  void analyze_garbageLlm_finishesWithOfflineLabels() throws Exception {
    try (FakeAnthropicServer server = FakeAnthropicServer.start()) {
      server.respondWith(r -> FakeReply.text("lol no"));

      AnalyzeJob.Result result = analyze(server, dir.resolve("out"));

      JsonNode labelling = result.finished().runJson().path("summary").path("labelling");
      assertThat(labelling.path("sources").has("llm")).isFalse();
      assertThat(labelling.path("sources").path("offline-fallback").asInt()).isPositive();
      assertThat(result.finished().run().clusters()).allSatisfy(c -> assertThat(c.label()).isNotBlank());
    }
  }
}
