package dev.parley.cli.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.fakes.FakeAnthropicServer;
import dev.parley.fakes.FakeReply;
import dev.parley.insights.privacy.PrivacyRule;
import dev.parley.pipeline.AnalyzePipeline;
import dev.parley.pipeline.PipelineComponents;
import dev.parley.pipeline.PipelineConfig;
import dev.parley.pipeline.stage.StageListener;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code analyze --llm anthropic} against the fake Anthropic server over real HTTP, garbage answers included. */
final class AnalyzeWithLlmTest {
  @TempDir Path dir;

  private AnalyzePipeline.Result analyze(FakeAnthropicServer server, Path out) throws Exception {
    Map<String, String> env = new HashMap<>(server.env("test-key"));
    env.put("PARLEY_LLM_MAX_ATTEMPTS", "1");
    Path in = TestCorpora.conversations(dir, 16);
    PipelineConfig config = PipelineConfig.builder().llm("anthropic").privacy(new PrivacyRule(2, 3)).env(env).build();
    try (PipelineComponents components = PipelineComponents.open(config)) {
      return new AnalyzePipeline(components, StageListener.NONE).run(in, out, false);
    }
  }

  @Test
  void analyze_llmLabels_usedAndCounted() throws Exception {
    try (FakeAnthropicServer server = FakeAnthropicServer.start()) {
      server.respondWith(r -> r.lastMessageText().contains("Name the 1 to 3 themes")
          ? FakeReply.text("{\"themes\": [\"planning a trip\"]}")
          : FakeReply.text("{\"label\": \"Plan a trip\", \"description\": \"Users plan a trip.\"}"));

      AnalyzePipeline.Result result = analyze(server, dir.resolve("out"));

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

      AnalyzePipeline.Result result = analyze(server, dir.resolve("out"));

      JsonNode labelling = result.finished().runJson().path("summary").path("labelling");
      assertThat(labelling.path("sources").has("llm")).isFalse();
      assertThat(labelling.path("sources").path("offline-fallback").asInt()).isPositive();
      assertThat(result.finished().run().clusters()).allSatisfy(c -> assertThat(c.label()).isNotBlank());
    }
  }
}
