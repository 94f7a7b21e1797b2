package dev.parley.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.json.Json;
import dev.parley.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code triage} and {@code triage stats} through {@code Main.run}. */
final class TriageCommandTest {
  @TempDir Path dir;

  private Path write(String name, String... lines) throws IOException {
    return Files.write(dir.resolve(name), List.of(lines));
  }

  @Test
  void malformedLine_exit2NamingFileAndLine() throws IOException {
    Path in = write("in.jsonl", "{\"id\":\"a\",\"messages\":[{\"speaker\":\"user\",\"text\":\"hi\"}]}", "{\"id\": oops");
    CliRun r = CliRun.of("triage", "--in", in.toString(), "--out", dir.resolve("o.jsonl").toString(), "--no-store");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(in + ":2:").contains("malformed JSON");
  }

  @Test
  void unknownSpeaker_exit2() throws IOException {
    Path in = write("in.jsonl", "{\"id\":\"a\",\"messages\":[{\"speaker\":\"robot\",\"text\":\"hi\"}]}");
    CliRun r = CliRun.of("triage", "--in", in.toString(), "--out", dir.resolve("o.jsonl").toString(), "--no-store");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(in + ":1:").contains("unknown speaker 'robot'");
  }

  @Test
  void emptyConversation_exit2() throws IOException {
    Path in = write("in.jsonl", "{\"id\":\"a\",\"messages\":[]}");
    CliRun r = CliRun.of("triage", "--in", in.toString(), "--out", dir.resolve("o.jsonl").toString(), "--no-store");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(in + ":1:").contains("'messages' is empty");
  }

  @Test
  void examplesWithoutLabel_exit2() throws IOException {
    Path examples = write("ex.jsonl", "{\"id\":\"1\",\"text\":\"lost card\",\"label\":\"card\"}", "{\"id\":\"2\",\"text\":\"no label here\"}");
    Path in = write("in.jsonl", "{\"id\":\"q\",\"text\":\"where is my card\"}");
    CliRun r = CliRun.of("triage", "--examples", examples.toString(), "--in", in.toString(), "--dry-run");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(examples + ":2:").contains("no 'label'");
  }

  @Test
  void examplesAndItems_dryRunPrintsStage1AndAccuracy() throws IOException {
    Path examples = write("ex.jsonl",
        "{\"id\":\"1\",\"text\":\"I lost my card\",\"label\":\"card_lost\"}",
        "{\"id\":\"2\",\"text\":\"my card is missing\",\"label\":\"card_lost\"}",
        "{\"id\":\"3\",\"text\":\"someone stole my bank card\",\"label\":\"card_lost\"}",
        "{\"id\":\"4\",\"text\":\"how do I top up my account\",\"label\":\"top_up\"}",
        "{\"id\":\"5\",\"text\":\"add money to my balance\",\"label\":\"top_up\"}",
        "{\"id\":\"6\",\"text\":\"my top up failed\",\"label\":\"top_up\"}");
    Path in = write("test.jsonl",
        "{\"id\":\"q1\",\"text\":\"I can't find my card anywhere\",\"label\":\"card_lost\"}",
        "{\"id\":\"q2\",\"text\":\"how can I add funds\",\"label\":\"top_up\"}");
    CliRun r = CliRun.of("triage", "--examples", examples.toString(), "--in", in.toString(), "--dry-run");
    assertThat(r.exit()).as(r.err()).isZero();
    List<JsonNode> lines = r.out().lines().map(Json::parse).toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).get("conversation_id").asText()).isEqualTo("q1");
    assertThat(lines.get(0).get("stage1").get("type").asText()).isEqualTo("card_lost");
    assertThat(lines.get(0).get("stage1").has("routing_team")).isTrue();
    assertThat(lines.get(0).has("stage2")).isFalse();
    assertThat(r.err()).contains("stage-1 accuracy");
  }

  @Test
  void store_rerunUpsertsAndStatsCount() throws IOException {
    String db = TestDatabase.freshUrl();
    Path in = write("in.jsonl",
        "{\"id\":\"a\",\"messages\":[{\"speaker\":\"user\",\"text\":\"I was charged twice this month\"},"
            + "{\"speaker\":\"support\",\"text\":\"I can confirm the double charge; I have issued a refund.\"},{\"speaker\":\"user\",\"text\":\"thanks!\"}]}",
        "{\"id\":\"b\",\"messages\":[{\"speaker\":\"user\",\"text\":\"how do I invite a teammate\"}]}");
    Path out = dir.resolve("triage.jsonl");
    assertThat(CliRun.of("triage", "--db", db, "--in", in.toString(), "--out", out.toString()).exit()).isZero();
    assertThat(CliRun.of("triage", "--db", db, "--in", in.toString(), "--out", out.toString()).exit()).isZero();
    List<JsonNode> lines = Files.readAllLines(out).stream().map(Json::parse).toList();
    assertThat(lines.get(0).get("stage2").get("support_insights").get("issue_confirmed").asBoolean()).isTrue();
    assertThat(lines.get(0).get("resolution").get("status").asText()).isEqualTo("resolved");
    CliRun stats = CliRun.of("triage", "stats", "--db", db, "--json");
    assertThat(stats.exit()).as(stats.err()).isZero();
    JsonNode s = Json.parse(stats.out());
    assertThat(s.get("total").asLong()).isEqualTo(2);
    assertThat(s.get("with_stage2").asLong()).isEqualTo(1);
  }

  @Test
  void outMissingWithoutDryRun_exit2() throws IOException {
    Path in = write("in.jsonl", "{\"id\":\"b\",\"messages\":[{\"speaker\":\"user\",\"text\":\"hi\"}]}");
    CliRun r = CliRun.of("triage", "--in", in.toString(), "--no-store");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--out is required");
  }
}
