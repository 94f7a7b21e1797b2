package dev.parley.agent.turn;

import dev.parley.agent.Orchestrator;
import dev.parley.agent.definition.AgentCatalog;
import dev.parley.agent.testing.Fixtures;
import dev.parley.core.chat.ChatModel;
import dev.parley.llm.chat.ChatModels;
import dev.parley.llm.chat.ResilienceConfig;
import dev.parley.store.Database;
import dev.parley.store.StoreConfig;
import dev.parley.store.TenantId;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The process {@link CrashRecoveryTest} kills: an orchestrator that sends one message to a session and
 * waits for the model, which never answers in time. Arguments: JDBC URL, fake Anthropic base URL,
 * session id, home folder.
 */
final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) {
    Database db = Database.open(new StoreConfig(Optional.of(args[0]), Path.of(args[3])));
    ChatModel model = ChatModels.fromSpec("anthropic", Map.of("ANTHROPIC_BASE_URL", args[1], "ANTHROPIC_API_KEY", "test-key"),
        ResilienceConfig.defaults().withMaxAttempts(1));
    Orchestrator orchestrator = Orchestrator.builder(db.jdbi(), AgentCatalog.of(Fixtures.coachMira()), model).build();
    orchestrator.turns().send(TurnRequest.message(TenantId.DEFAULT, UUID.fromString(args[2]), "Hello from the process that dies"),
        TurnListener.NONE);
    System.out.println("the turn completed, which it should not have");
  }
}
