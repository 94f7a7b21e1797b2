package dev.parley.cli.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.cli.commands.CliRun;
import dev.parley.core.json.Json;
import dev.parley.pipeline.folder.CentroidFiles;
import dev.parley.store.Database;
import dev.parley.store.StoreConfig;
import dev.parley.store.TenantId;
import dev.parley.store.runs.ClusterRunRepository;
import dev.parley.store.runs.StoredRun;
import dev.parley.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./parley cluster} in-process, with the real embedding model. */
final class ClusterCommandTest {
  @TempDir Path dir;

  @Test
  void cluster_textItems_writesValidRunFolder() throws Exception {
    Path in = TestCorpora.textItems(dir, 30);
    Path out = dir.resolve("run");

    CliRun result = TestCorpora.run("cluster", "--in", in.toString(), "--out", out.toString(), "--no-store", "--json");

    assertThat(result.exit()).as(result.err()).isZero();
    JsonNode summary = Json.parse(result.out());
    assertThat(summary.path("items").asInt()).isEqualTo(120);
    assertThat(summary.path("report").asText()).endsWith("report.html");
    List<String> ids = Files.readAllLines(in).stream().map(l -> Json.parse(l).path("id").asText()).toList();
    RunFolderAssertions.assertValidRunFolder(out, ids);
    assertThat(CentroidFiles.read(out).dimension()).isEqualTo(384);
  }

  @Test
  void cluster_withStore_savesRunRow() throws Exception {
    Path in = TestCorpora.textItems(dir, 15);
    Path out = dir.resolve("run");
    String url = TestDatabase.freshUrl();

    CliRun result = TestCorpora.run("cluster", "--in", in.toString(), "--out", out.toString(), "--db", url, "--json");

    assertThat(result.exit()).as(result.err()).isZero();
    String runId = Json.parse(result.out()).path("run_id").asText();
    try (Database db = Database.open(new StoreConfig(Optional.of(url), dir))) {
      ClusterRunRepository repository = new ClusterRunRepository(db.jdbi());
      StoredRun run = repository.find(TenantId.DEFAULT, runId).orElseThrow();
      assertThat(run.items()).isEqualTo(60);
      assertThat(repository.clusters(TenantId.DEFAULT, runId)).hasSize(run.clusters());
    }
  }

  @Test
  void cluster_malformedInput_exit2WithLine() throws Exception {
    Path in = dir.resolve("bad.jsonl");
    Files.writeString(in, "{\"id\":\"a\",\"text\":\"fine\"}\n{not json\n");

    CliRun result = TestCorpora.run("cluster", "--in", in.toString(), "--out", dir.resolve("run").toString(), "--no-store");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("bad.jsonl:2");
  }
}
