package dev.parley.cli.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.cli.commands.CliRun;
import dev.parley.core.json.Json;
import dev.parley.pipeline.stage.StageRunner;
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
    JsonNode firstRun = Json.mapper().readTree(out.resolve("run.json").toFile());

    CliRun second = TestCorpora.run(args);

    assertThat(second.exit()).as(second.err()).isZero();
    for (String stage : RESUMABLE) {
      assertThat(StageRunner.entry(out.resolve("stages"), stage).path("runs").asInt()).as(stage).isEqualTo(1);
      assertThat(second.err()).contains(stage + ": reused");
    }
    assertThat(Json.parse(second.out()).path("leaves").asInt()).isEqualTo(summary.path("leaves").asInt());
    RunFolderAssertions.assertValidRunFolder(out, segmentIds);
    // A resumed run writes the run.json of the run it resumes, but for its own id, time and timings.
    JsonNode secondRun = Json.mapper().readTree(out.resolve("run.json").toFile());
    assertThat(withoutRunIdentity(secondRun)).isEqualTo(withoutRunIdentity(firstRun));
    assertThat(secondRun.path("clustering").path("micro_clusters").asInt()).isPositive();
  }

  private static JsonNode withoutRunIdentity(JsonNode runJson) {
    var copy = runJson.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove(List.of("id", "created_at", "timings_ms"));
    return copy;
  }

  @Test
  void analyze_withTenant_storesEverythingUnderThatTenantOnly() throws Exception {
    Path in = TestCorpora.conversations(dir, 10);
    String url = dev.parley.testing.TestDatabase.freshUrl();

    CliRun result = TestCorpora.run("analyze", in.toString(), "--out", dir.resolve("out").toString(), "--db", url, "--tenant", "acme",
        "--min-users", "2", "--min-conversations", "3", "--json");

    assertThat(result.exit()).as(result.err()).isZero();
    String runId = Json.parse(result.out()).path("run_id").asText();
    try (dev.parley.store.Database db = dev.parley.store.Database.open(
        new dev.parley.store.StoreConfig(java.util.Optional.of(url), dir))) {
      var acme = new dev.parley.store.Tenants(db.jdbi()).find("acme").orElseThrow();
      var conversations = new dev.parley.store.ConversationRepository(db.jdbi());
      var runs = new dev.parley.store.runs.ClusterRunRepository(db.jdbi());
      assertThat(conversations.counts(acme).conversations()).isEqualTo(10);
      assertThat(conversations.counts(dev.parley.store.TenantId.DEFAULT).conversations()).isZero();
      assertThat(runs.find(dev.parley.store.TenantId.DEFAULT, runId)).isEmpty();
      var run = runs.find(acme, runId).orElseThrow();
      assertThat(run.manifest().orElseThrow().path("tenant").asText()).isEqualTo("acme");
      var leaves = runs.clusters(acme, runId).stream().filter(c -> c.centroid().isPresent()).toList();
      assertThat(leaves).isNotEmpty().allSatisfy(leaf -> assertThat(leaf.admissionThreshold()).isPresent());
    }
    assertThat(Json.mapper().readTree(dir.resolve("out/run.json").toFile()).path("tenant").asText()).isEqualTo("acme");
  }

  @Test
  void analyze_lineNamingAnotherTenant_exit2NamingFileAndLine() throws Exception {
    Path in = TestCorpora.conversations(dir, 4);
    List<String> lines = new ArrayList<>(Files.readAllLines(in));
    lines.set(2, lines.get(2).replaceFirst("^\\{", "{\"tenant\":\"globex\","));
    Files.write(in, lines);

    CliRun result = TestCorpora.run("analyze", in.toString(), "--out", dir.resolve("out").toString(), "--no-store", "--tenant", "acme");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains(in + ":3:").contains("tenant 'globex'").contains("tenant 'acme'");
    assertThat(dir.resolve("out/run.json")).doesNotExist();
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
