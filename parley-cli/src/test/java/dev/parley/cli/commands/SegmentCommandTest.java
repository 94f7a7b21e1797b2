package dev.parley.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code segment} through {@code Main.run}. */
final class SegmentCommandTest {
  @TempDir Path dir;

  @Test
  void segment_writesSegmentsCoveringEveryMessageWithExtractiveSummaries() throws IOException {
    Path in = Files.write(dir.resolve("in.jsonl"), List.of(
        "{\"id\":\"c1\",\"messages\":["
            + "{\"speaker\":\"user\",\"text\":\"I lost my debit card yesterday and someone used it.\"},"
            + "{\"speaker\":\"assistant\",\"text\":\"I froze the card. Do you see unknown payments?\"},"
            + "{\"speaker\":\"user\",\"text\":\"Yes, 80 euros at a petrol station I never visited.\"},"
            + "{\"speaker\":\"assistant\",\"text\":\"I flagged it as fraud and ordered a new card.\"},"
            + "{\"speaker\":\"user\",\"text\":\"Can you also book a table for two at an Italian restaurant tonight?\"},"
            + "{\"speaker\":\"assistant\",\"text\":\"Trattoria Roma has a table at 8 pm. Shall I book it?\"},"
            + "{\"speaker\":\"user\",\"text\":\"Yes please book Trattoria Roma for 8 pm.\"},"
            + "{\"speaker\":\"assistant\",\"text\":\"Booked: Trattoria Roma, 8 pm, two people.\"}]}",
        "{\"id\":\"c2\",\"messages\":[{\"speaker\":\"user\",\"text\":\"hello\"}]}"));
    Path out = dir.resolve("seg.jsonl");
    CliRun r = CliRun.of("segment", "--in", in.toString(), "--out", out.toString(), "--no-store", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    List<JsonNode> lines = Files.readAllLines(out).stream().map(Json::parse).toList();
    assertThat(lines).hasSize(2);
    JsonNode segments = lines.get(0).get("segments");
    assertThat(segments.get(0).get("start").asInt()).isZero();
    assertThat(segments.get(segments.size() - 1).get("end").asInt()).isEqualTo(8);
    for (int i = 1; i < segments.size(); i++) {
      assertThat(segments.get(i).get("start").asInt()).isEqualTo(segments.get(i - 1).get("end").asInt());
    }
    assertThat(segments.get(0).get("summary_kind").asText()).isEqualTo("extractive");
    assertThat(lines.get(0).get("summary").asText()).isNotBlank();
    assertThat(Json.parse(r.out()).get("conversations").asInt()).isEqualTo(2);
  }

  @Test
  void segment_llmGarbage_perSegmentErrorAndExit0() throws IOException {
    try (dev.parley.fakes.FakeAnthropicServer server = dev.parley.fakes.FakeAnthropicServer.start()) {
      server.respondWith(request -> dev.parley.fakes.FakeReply.text("no JSON here, sorry"));
      server.env("k").forEach((k, v) -> System.setProperty("parley.env." + k, v));
      try {
        Path in = Files.write(dir.resolve("in.jsonl"), List.of("{\"id\":\"c\",\"messages\":[{\"speaker\":\"user\",\"text\":\"my card is blocked\"}]}"));
        Path out = dir.resolve("seg.jsonl");
        CliRun r = CliRun.of("segment", "--in", in.toString(), "--out", out.toString(), "--no-store", "--llm", "anthropic");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode segment = Json.parse(Files.readString(out).strip()).get("segments").get(0);
        assertThat(segment.get("summary_kind").asText()).isEqualTo("llm");
        assertThat(segment.get("summary_error").asText()).contains("invalid LLM output after one retry");
        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(r.out()).contains("LLM summaries: 2 calls");
      } finally {
        server.env("k").keySet().forEach(k -> System.clearProperty("parley.env." + k));
      }
    }
  }

  @Test
  void segment_badInput_exit2() throws IOException {
    Path in = Files.write(dir.resolve("bad.jsonl"), List.of("{\"id\":\"x\"}"));
    CliRun r = CliRun.of("segment", "--in", in.toString(), "--out", dir.resolve("o.jsonl").toString(), "--no-store");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(in + ":1:").contains("missing field 'messages'");
  }
}
