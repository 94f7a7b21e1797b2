package dev.parley.store.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.core.error.BadInputException;
import dev.parley.core.error.LineException;
import dev.parley.store.ConversationRepository.Counts;
import dev.parley.store.ConversationRepository;
import dev.parley.store.Database;
import dev.parley.store.Lines;
import dev.parley.store.TenantId;
import dev.parley.store.Tenants;
import dev.parley.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ConversationImporterTest {
  @TempDir Path dir;
  private Database db;
  private ConversationImporter importer;
  private ConversationRepository conversations;

  @BeforeEach
  void open() {
    db = TestDatabase.fresh();
    importer = new ConversationImporter(db.jdbi());
    conversations = new ConversationRepository(db.jdbi());
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void importPath_sameFileTwice_secondImportChangesNothing() {
    Path file = Lines.write(dir.resolve("data.jsonl"), Lines.conversations(12, "x"));

    ImportResult first = importer.importPath(file, "default");
    ImportResult second = importer.importPath(file, "default");

    assertThat(first).isEqualTo(new ImportResult(12, 0, 0));
    assertThat(second).isEqualTo(new ImportResult(0, 0, 12));
    assertThat(conversations.counts(TenantId.DEFAULT)).isEqualTo(new Counts(12, 36));
  }

  @Test
  void importPath_changedConversations_areCountedAsUpdated() {
    importer.importPath(Lines.write(dir.resolve("v1.jsonl"), Lines.conversations(5, "x")), "default");
    List<String> v2 = new ArrayList<>(Lines.conversations(5, "x"));
    v2.set(1, Lines.conversation("c1", 6, "changed"));
    v2.add(Lines.conversation("new", 2, "x"));

    ImportResult result = importer.importPath(Lines.write(dir.resolve("v2.jsonl"), v2), "default");

    assertThat(result).isEqualTo(new ImportResult(1, 1, 4));
    assertThat(conversations.find(TenantId.DEFAULT, "c1").orElseThrow().messages()).hasSize(6);
    assertThat(conversations.counts(TenantId.DEFAULT)).isEqualTo(new Counts(6, 4 * 3 + 6 + 2));
  }

  @Test
  void importPath_malformedThirdLine_storesNothingAndNamesLine3() {
    List<String> lines = new ArrayList<>(Lines.conversations(5, "x"));
    lines.set(2, "{\"id\":\"broken\",\"messages\":[");
    Path file = Lines.write(dir.resolve("data.jsonl"), lines);

    LineException e = assertThrows(LineException.class, () -> importer.importPath(file, "default"));

    assertThat(e.line()).isEqualTo(3);
    assertThat(e.getMessage()).startsWith(file + ":3: malformed JSON");
    assertThat(conversations.counts(TenantId.DEFAULT)).isEqualTo(new Counts(0, 0));
  }

  @Test
  void importPath_unknownSpeaker_isRejectedWithItsLine() {
    List<String> lines = new ArrayList<>(Lines.conversations(3, "x"));
    lines.add(Lines.conversation("bad", 2, "x").replace("\"assistant\"", "\"bot\""));
    Path file = Lines.write(dir.resolve("data.jsonl"), lines);

    LineException e = assertThrows(LineException.class, () -> importer.importPath(file, "default"));

    assertThat(e.line()).isEqualTo(4);
    assertThat(e.problem()).contains("unknown speaker 'bot'");
    assertThat(conversations.counts(TenantId.DEFAULT).conversations()).isZero();
  }

  @Test
  void importPath_emptyMessages_isRejected() {
    Path file = Lines.write(dir.resolve("data.jsonl"), List.of(Lines.conversation("ok", 1, "x"), "{\"id\":\"empty\",\"messages\":[]}"));

    LineException e = assertThrows(LineException.class, () -> importer.importPath(file, "default"));

    assertThat(e.line()).isEqualTo(2);
    assertThat(e.problem()).contains("'messages' is empty");
    assertThat(conversations.counts(TenantId.DEFAULT).conversations()).isZero();
  }

  @Test
  void importPath_textPostgresCannotHold_isALineProblem() {
    Path file = Lines.write(dir.resolve("data.jsonl"), List.of(Lines.conversation("ok", 1, "x"),
        "{\"id\":\"nul\",\"messages\":[{\"speaker\":\"user\",\"text\":\"a\\u0000b\"}]}"));

    LineException e = assertThrows(LineException.class, () -> importer.importPath(file, "default"));

    assertThat(e.line()).isEqualTo(2);
    assertThat(e.problem()).startsWith("cannot be stored");
    assertThat(conversations.counts(TenantId.DEFAULT).conversations()).isZero();
  }

  @Test
  void importPath_folder_importsEveryJsonlFileAndReportsProgressToTheEnd() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("in"));
    Lines.write(folder.resolve("a.jsonl"), Lines.conversations(3, "a"));
    Lines.write(folder.resolve("b.jsonl"), List.of(Lines.conversation("b1", 2, "b"), "", Lines.conversation("b2", 2, "b")));
    Files.writeString(folder.resolve("notes.txt"), "not an input");
    long total = Files.size(folder.resolve("a.jsonl")) + Files.size(folder.resolve("b.jsonl"));
    List<long[]> updates = new ArrayList<>();

    ImportResult result = importer.importPath(folder, "default", (read, all) -> updates.add(new long[] {read, all}));

    assertThat(result).isEqualTo(new ImportResult(5, 0, 0));
    assertThat(updates).isNotEmpty().allSatisfy(u -> assertThat(u[1]).isEqualTo(total));
    assertThat(updates.getLast()[0]).isEqualTo(total);
    assertThat(updates).extracting(u -> u[0]).isSorted();
  }

  @Test
  void importPath_laterBadFileInFolder_keepsEarlierFiles() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("in"));
    Lines.write(folder.resolve("a.jsonl"), Lines.conversations(2, "a"));
    Lines.write(folder.resolve("b.jsonl"), List.of("not json"));

    LineException e = assertThrows(LineException.class, () -> importer.importPath(folder, "default"));

    assertThat(e.source()).endsWith("b.jsonl");
    assertThat(conversations.counts(TenantId.DEFAULT).conversations()).isEqualTo(2);
  }

  @Test
  void importPath_tenantFieldOrDefault_routesConversations() {
    Path file = Lines.write(dir.resolve("data.jsonl"), List.of(
        Lines.conversation("x1", 1, "x"),
        Lines.conversation("y1", 1, "y").replaceFirst("\\{", "{\"tenant\":\"beta\",")));

    ImportResult result = importer.importPath(file, "alpha");

    Tenants tenants = new Tenants(db.jdbi());
    assertThat(result.imported()).isEqualTo(2);
    assertThat(conversations.counts(tenants.find("alpha").orElseThrow()).conversations()).isEqualTo(1);
    assertThat(conversations.find(tenants.find("beta").orElseThrow(), "y1")).isPresent();
    assertThat(conversations.counts(TenantId.DEFAULT).conversations()).isZero();
  }

  @Test
  void importPath_missingFile_isBadInput() {
    assertThrows(BadInputException.class, () -> importer.importPath(dir.resolve("nope.jsonl"), "default"));
  }

  @Test
  void utf8Length_countsMultiByteCharacters() {
    assertThat(ConversationImporter.utf8Length("aé€😀")).isEqualTo(1 + 2 + 3 + 4);
  }
}
