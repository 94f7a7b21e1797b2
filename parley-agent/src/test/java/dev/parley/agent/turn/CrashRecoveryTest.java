package dev.parley.agent.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.agent.AgentException;
import dev.parley.agent.Orchestrator;
import dev.parley.agent.definition.AgentCatalog;
import dev.parley.agent.session.Session;
import dev.parley.agent.session.StoredMessage;
import dev.parley.agent.testing.Fixtures;
import dev.parley.core.json.Json;
import dev.parley.fakes.FakeAnthropicServer;
import dev.parley.fakes.FakeReply;
import dev.parley.store.Database;
import dev.parley.store.StoreConfig;
import dev.parley.store.TenantId;
import dev.parley.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real crash: a child JVM is killed with SIGKILL mid-turn, and the session answers the next message at once. */
final class CrashRecoveryTest {
  @Test
  void send_afterTheProcessRunningATurnIsKilled_nextMessageAcceptedWithinFiveSeconds(@TempDir Path tmp) throws Exception {
    String url = TestDatabase.freshUrl();
    try (FakeAnthropicServer fake = FakeAnthropicServer.start();
        Database db = Database.open(new StoreConfig(Optional.of(url), tmp))) {
      Orchestrator orchestrator = Orchestrator.builder(db.jdbi(), AgentCatalog.of(Fixtures.coachMira()), Fixtures.anthropic(fake)).build();
      try (orchestrator) {
        Session session = orchestrator.sessions().create(TenantId.DEFAULT, "coachmira", Optional.empty(), Json.object());
        fake.enqueue(FakeReply.text("never sent").after(Duration.ofSeconds(120)));
        Path log = tmp.resolve("child.log");
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), url, fake.baseUrl(),
            session.id().toString(), tmp.resolve("child-home").toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
          while (fake.requestCount() == 0) {
            assertThat(child.isAlive()).as("the child exited early:%n%s", read(log)).isTrue();
            assertThat(System.nanoTime()).as("the child never called the model:%n%s", read(log)).isLessThan(deadline);
            Thread.sleep(20);
          }
        } finally {
          // kill -9: no shutdown hook, no connection closed politely.
          child.destroyForcibly();
          assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        fake.enqueue(FakeReply.text("Hello again."));
        long t0 = System.nanoTime();
        TurnReply reply = null;
        int refused = 0;
        while (reply == null) {
          try {
            reply = orchestrator.turns().send(TurnRequest.message(TenantId.DEFAULT, session.id(), "Are you still there?"), TurnListener.NONE);
          } catch (AgentException e) {
            // Only while PostgreSQL has not yet noticed the dead connection (milliseconds after the kill).
            assertThat(e.kind()).isEqualTo(AgentException.Kind.TURN_IN_PROGRESS);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            refused++;
            Thread.sleep(100);
          }
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(refused).isLessThan(50);
        assertThat(reply.json().at("/message/text").asText()).isEqualTo("Hello again.");
        List<StoredMessage> messages = orchestrator.sessions().messages(TenantId.DEFAULT, session.id());
        assertThat(messages).extracting(StoredMessage::text)
            .containsExactly("Hello from the process that dies", "Are you still there?", "Hello again.");
        assertThat(orchestrator.sessions().turns(TenantId.DEFAULT, session.id())).extracting(t -> t.status().wire())
            .containsExactly("interrupted", "completed");
      }
    }
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "(no output)";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }
}
