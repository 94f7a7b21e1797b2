package dev.parley.agent.testing;

import dev.parley.agent.Orchestrator;
import dev.parley.agent.definition.AgentCatalog;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.session.Session;
import dev.parley.agent.turn.TurnListener;
import dev.parley.agent.turn.TurnReply;
import dev.parley.agent.turn.TurnRequest;
import dev.parley.core.json.Json;
import dev.parley.fakes.FakeAnthropicServer;
import dev.parley.store.Database;
import dev.parley.store.TenantId;
import dev.parley.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import java.util.function.Consumer;

/** A fresh database, a fake Anthropic server and an orchestrator over them, for one test. */
public final class Harness implements AutoCloseable {
  public final Database db;
  public final FakeAnthropicServer fake;
  public final Orchestrator orchestrator;
  public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  public final TenantId tenant = TenantId.DEFAULT;

  private Harness(AgentDefinition agent, Consumer<Orchestrator.Builder> customize) {
    db = TestDatabase.fresh();
    fake = FakeAnthropicServer.start();
    Orchestrator.Builder builder = Orchestrator.builder(db.jdbi(), AgentCatalog.of(agent), Fixtures.anthropic(fake)).registry(registry);
    customize.accept(builder);
    orchestrator = builder.build();
  }

  public static Harness start(AgentDefinition agent) {
    return new Harness(agent, b -> {});
  }

  public static Harness start(AgentDefinition agent, Consumer<Orchestrator.Builder> customize) {
    return new Harness(agent, customize);
  }

  /** A second orchestrator on the same database and fake (another "process"). */
  public Orchestrator another(AgentDefinition agent, Consumer<Orchestrator.Builder> customize) {
    Orchestrator.Builder builder = Orchestrator.builder(db.jdbi(), AgentCatalog.of(agent), Fixtures.anthropic(fake));
    customize.accept(builder);
    return builder.build();
  }

  public Session newSession(String agent) {
    return orchestrator.sessions().create(tenant, agent, Optional.of("user-1"), Json.object().put("user_name", "Dana"));
  }

  public TurnReply say(Session session, String text) {
    return orchestrator.turns().send(TurnRequest.message(tenant, session.id(), text), TurnListener.NONE);
  }

  public TurnReply say(Session session, String text, String key) {
    return orchestrator.turns().send(new TurnRequest(tenant, session.id(), Optional.of(text), Optional.of(key), false), TurnListener.NONE);
  }

  @Override
  public void close() {
    orchestrator.close();
    fake.close();
    db.close();
  }
}
