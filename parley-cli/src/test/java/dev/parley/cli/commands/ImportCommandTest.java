package dev.parley.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.cli.Main;
import dev.parley.store.ApiKeys;
import dev.parley.store.Database;
import dev.parley.store.StoreConfig;
import dev.parley.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import}, {@code stats} and {@code keys} through {@link Main#run}, on a real PostgreSQL. */
final class ImportCommandTest {
  @TempDir Path dir;
  private String db;

  @BeforeEach
  void freshStore() {
    db = TestDatabase.freshUrl();
  }

  static CliRun run(String... args) {
    return CliRun.of(args);
  }

  static String conversation(String id, String text) {
    return "{\"id\":\"" + id + "\",\"messages\":[{\"speaker\":\"user\",\"text\":\"" + text + "\"},{\"speaker\":\"assistant\",\"text\":\"ok\"}]}";
  }

  private Path file(String name, List<String> lines) throws IOException {
    return Files.write(dir.resolve(name), lines);
  }

  private List<String> conversations(int n, String text) {
    return IntStream.range(0, n).mapToObj(i -> conversation("c" + i, text)).toList();
  }

  @Test
  void import_json_printsOneLineAndReimportChangesNothing() throws IOException {
    Path data = file("data.jsonl", conversations(6, "hello"));

    CliRun first = run("import", data.toString(), "--json", "--db", db);
    CliRun second = run("import", data.toString(), "--json", "--db", db);

    assertThat(first.exit()).isZero();
    assertThat(first.outLines()).containsExactly("{\"imported\":6,\"updated\":0,\"unchanged\":0}");
    assertThat(second.outLines()).containsExactly("{\"imported\":0,\"updated\":0,\"unchanged\":6}");
    assertThat(run("stats", "--json", "--db", db).outLines()).singleElement().asString()
        .startsWith("{\"conversations\":6,\"messages\":12,\"tenants\":1,\"embeddings_cached\":0");
  }

  @Test
  void import_changedFile_reportsUpdates() throws IOException {
    run("import", file("v1.jsonl", conversations(3, "hello")).toString(), "--db", db);
    List<String> v2 = new ArrayList<>(conversations(3, "hello"));
    v2.set(0, conversation("c0", "changed"));

    CliRun run = run("import", file("v2.jsonl", v2).toString(), "--json", "--db", db);

    assertThat(run.outLines()).containsExactly("{\"imported\":0,\"updated\":1,\"unchanged\":2}");
  }

  @Test
  void import_withoutJson_printsAHumanLine() throws IOException {
    CliRun run = run("import", file("data.jsonl", conversations(2, "hi")).toString(), "--db", db, "--tenant", "acme");

    assertThat(run.exit()).isZero();
    assertThat(run.outLines()).singleElement().asString().startsWith("2 imported, 0 updated, 0 unchanged").contains("acme");
  }

  @Test
  void import_malformedThirdLine_exits2WithOneLineAndStoresNothing() throws IOException {
    List<String> lines = new ArrayList<>(conversations(5, "hello"));
    lines.set(2, "{\"id\":\"x\",\"messages\":[{\"speaker\":\"user\"");
    Path data = file("data.jsonl", lines);

    CliRun run = run("import", data.toString(), "--json", "--db", db);

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).singleElement().asString().startsWith("parley: " + data + ":3: malformed JSON");
    assertThat(run("stats", "--json", "--db", db).out()).startsWith("{\"conversations\":0,\"messages\":0,");
  }

  @Test
  void import_unknownSpeaker_exits2NamingTheLine() throws IOException {
    Path data = file("data.jsonl", List.of(conversation("a", "x"), conversation("b", "y").replace("assistant", "robot")));

    CliRun run = run("import", data.toString(), "--db", db);

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.errLines()).singleElement().asString().startsWith("parley: " + data + ":2: ").contains("unknown speaker 'robot'");
  }

  @Test
  void import_missingFileOrBadFormat_exits2() {
    assertThat(run("import", dir.resolve("none.jsonl").toString(), "--db", db).exit()).isEqualTo(2);
    CliRun intercom = run("import", dir.toString(), "--format", "intercom", "--db", db);
    assertThat(intercom.exit()).isEqualTo(2);
    assertThat(intercom.err()).contains("not supported yet for import");
    assertThat(run("import", dir.toString(), "--format", "csv", "--db", db).exit()).isEqualTo(2);
  }

  @Test
  void keysCreate_printsAKeyThatAuthenticates() {
    CliRun run = run("keys", "create", "--tenant", "acme", "--db", db);

    assertThat(run.exit()).isZero();
    String key = run.outLines().getLast();
    assertThat(key).matches("pk_[A-Za-z0-9_-]{43}");
    try (Database store = Database.open(new StoreConfig(Optional.of(db), dir))) {
      assertThat(new ApiKeys(store.jdbi()).authenticate(key)).isPresent();
    }
    CliRun list = run("keys", "list", "--tenant", "acme", "--db", db);
    assertThat(list.out()).contains(key.substring(0, 11)).doesNotContain(key);
    assertThat(run("keys", "revoke", "1", "--tenant", "acme", "--db", db).exit()).isZero();
    assertThat(run("keys", "revoke", "1", "--tenant", "acme", "--db", db).exit()).isEqualTo(2);
  }

  @Test
  void stats_human_listsCounts() {
    CliRun run = run("stats", "--db", db);

    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("conversations").contains("tenants            1");
  }

  @Test
  void import_embeddedStore_keepsDataUnderHome() throws IOException {
    Path home = dir.resolve("home");
    Path data = file("data.jsonl", conversations(4, "hello"));

    CliRun imported = run("import", data.toString(), "--json", "--home", home.toString());
    CliRun stats = run("stats", "--json", "--home", home.toString());

    assertThat(imported.exit()).isZero();
    assertThat(imported.outLines()).containsExactly("{\"imported\":4,\"updated\":0,\"unchanged\":0}");
    assertThat(stats.out()).startsWith("{\"conversations\":4,");
    assertThat(home.resolve("pg/PG_VERSION")).exists();
  }
}
