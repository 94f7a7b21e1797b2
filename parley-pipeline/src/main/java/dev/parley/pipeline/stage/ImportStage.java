package dev.parley.pipeline.stage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.conversation.Conversation;
import dev.parley.core.conversation.ConversationCodec;
import dev.parley.core.conversation.JsonLines;
import dev.parley.core.error.BadInputException;
import dev.parley.core.error.LineException;
import dev.parley.core.json.Json;
import dev.parley.pipeline.folder.JsonlFiles;
import dev.parley.store.Database;
import dev.parley.store.importer.ConversationImporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the conversations of a run and stores them under the run's tenant. A line that names another tenant
 * is refused with its file and line (as the HTTP ingest refuses it), and so is a conversation id seen twice:
 * a run belongs to one tenant, whole.
 */
public final class ImportStage implements Stage<List<Conversation>> {
  private final Path in;
  private final String tenant;
  private final Optional<Database> database;
  private final ConversationCodec codec = new ConversationCodec();

  public ImportStage(Path in, String tenant, Optional<Database> database) {
    this.in = requireNonNull(in, "in is null");
    this.tenant = requireNonNull(tenant, "tenant is null");
    this.database = requireNonNull(database, "database is null");
  }

  @Override
  public String name() {
    return "import";
  }

  @Override
  public String artefact() {
    return "conversations.jsonl";
  }

  @Override
  public JsonNode parameters() {
    return Json.object().put("store", database.isPresent()).put("tenant", tenant);
  }

  @Override
  public List<Conversation> compute(Path artefact) throws IOException {
    List<Conversation> all = read(in, tenant);
    database.ifPresent(db -> new ConversationImporter(db.jdbi()).importPath(in, tenant));
    JsonlFiles.write(artefact, all.stream().map(codec::toLine).toList());
    return all;
  }

  @Override
  public List<Conversation> read(Path artefact) {
    return JsonLines.readConversations(artefact);
  }

  @Override
  public String describe(List<Conversation> result) {
    return result.size() + " conversations, " + result.stream().mapToInt(c -> c.messages().size()).sum() + " messages";
  }

  /** Every conversation of {@code in}, checked: each belongs to {@code tenant} and no id appears twice. */
  static List<Conversation> read(Path in, String tenant) {
    ConversationCodec codec = new ConversationCodec();
    List<Conversation> all = new ArrayList<>();
    Map<String, String> firstSeen = new HashMap<>();
    for (Path file : JsonLines.inputFiles(in)) {
      JsonLines.forEach(file, codec::parse, line -> {
        Conversation c = line.value();
        String named = c.tenant().orElse(tenant);
        if (!named.equals(tenant)) {
          throw new LineException(file.toString(), line.number(), "conversation '" + c.id() + "' names tenant '" + named
              + "' but this run belongs to tenant '" + tenant + "'; run it with --tenant " + named + " or leave 'tenant' out");
        }
        String where = file + ":" + line.number();
        String earlier = firstSeen.putIfAbsent(c.id(), where);
        if (earlier != null) {
          throw new LineException(file.toString(), line.number(), "duplicate conversation id '" + c.id() + "' (first at " + earlier + ")");
        }
        all.add(c);
      });
    }
    if (all.isEmpty()) {
      throw new BadInputException("no conversations in " + in);
    }
    return all;
  }
}
