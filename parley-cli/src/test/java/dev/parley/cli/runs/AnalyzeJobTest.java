package dev.parley.cli.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.cli.commands.CliRun;
import dev.parley.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./parley analyze} end to end on a few small conversations, twice: the second run resumes. */
final class AnalyzeJobTest {
  @TempDir Path dir;

  private static final List<String> RESUMABLE = List.of("import", "triage", "segment", "summarize", "embed", "cluster", "label");

  @Test
  void analyze_twice_secondRunReusesEveryStage() throws Exception {
    Path in = TestCorpora.conversations(dir, 16);
    Path out = dir.resolve("out");
    String[] args = {"analyze", in.toString(), "--out", out.toString(), "--no-store", "--min-users", "2", "--min-conversations", "3", "--json"};

    CliRun first = TestCorpora.run(args);

    assertThat(first.exit()).as(first.err()).isZero();
    JsonNode summary = Json.parse(first.out());
    assertThat(summary.path("conversations").asInt()).isEqualTo(16);
    assertThat(summary.path("segments").asInt()).isGreaterThanOrEqualTo(16);
    assertThat(Files.exists(out.resolve("report.html"))).isTrue();
    for (String stage : RESUMABLE) {
      assertThat(StageRunner.entry(out.resolve("stages"), stage).path("runs").asInt()).as(stage).isEqualTo(1);
    }
    List<String> segmentIds = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("stages/summaries.jsonl"))) {
      JsonNode node = Json.parse(line);
      for (int i = 0; i < node.path("segments").size(); i++) {
        segmentIds.add(node.path("conversation_id").asText() + "#" + i);
      }
    }
    RunFolderAssertions.assertValidRunFolder(out, segmentIds);

    CliRun second = TestCorpora.run(args);

    assertThat(second.exit()).as(second.err()).isZero();
    for (String stage : RESUMABLE) {
      assertThat(StageRunner.entry(out.resolve("stages"), stage).path("runs").asInt()).as(stage).isEqualTo(1);
      assertThat(second.err()).contains(stage + ": reused");
    }
    assertThat(Json.parse(second.out()).path("leaves").asInt()).isEqualTo(summary.path("leaves").asInt());
    RunFolderAssertions.assertValidRunFolder(out, segmentIds);
  }

  @Test
  void analyze_changedPrivacyRule_rerunsLabelsOnly() throws Exception {
    Path in = TestCorpora.conversations(dir, 12);
    Path out = dir.resolve("out");
    TestCorpora.run("analyze", in.toString(), "--out", out.toString(), "--no-store", "--min-users", "2", "--min-conversations", "3");

    CliRun again = TestCorpora.run("analyze", in.toString(), "--out", out.toString(), "--no-store", "--min-users", "3", "--min-conversations", "3");

    assertThat(again.exit()).as(again.err()).isZero();
    Path stages = out.resolve("stages");
    assertThat(StageRunner.entry(stages, "cluster").path("runs").asInt()).isEqualTo(1);
    assertThat(StageRunner.entry(stages, "label").path("runs").asInt()).isEqualTo(2);
  }

  @Test
  void analyze_withStore_importsConversationsAndSavesRun() throws Exception {
    Path in = TestCorpora.conversations(dir, 10);
    String url = dev.parley.testing.TestDatabase.freshUrl();

    CliRun result = TestCorpora.run("analyze", in.toString(), "--out", dir.resolve("out").toString(), "--db", url,
        "--min-users", "2", "--min-conversations", "3", "--json");

    assertThat(result.exit()).as(result.err()).isZero();
    String runId = Json.parse(result.out()).path("run_id").asText();
    try (dev.parley.store.Database db = dev.parley.store.Database.open(
        new dev.parley.store.StoreConfig(java.util.Optional.of(url), dir))) {
      assertThat(new dev.parley.store.ConversationRepository(db.jdbi()).counts(dev.parley.store.TenantId.DEFAULT).conversations()).isEqualTo(10);
      var run = new dev.parley.store.runs.ClusterRunRepository(db.jdbi()).find(dev.parley.store.TenantId.DEFAULT, runId).orElseThrow();
      assertThat(run.kind()).isEqualTo("analyze");
      assertThat(run.outputDir()).isPresent();
    }
  }

  @Test
  void analyze_missingInput_exit2() {
    CliRun result = TestCorpora.run("analyze", dir.resolve("nope.jsonl").toString(), "--out", dir.resolve("o").toString(), "--no-store");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("no such file");
  }
}
