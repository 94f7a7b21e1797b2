package dev.parley.agent.turn;

import static dev.parley.agent.testing.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.parley.agent.Orchestrator;
import dev.parley.agent.definition.AgentCatalog;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.definition.AgentLoader;
import dev.parley.agent.session.Session;
import dev.parley.agent.testing.Fixtures;
import dev.parley.agent.testing.Harness;
import dev.parley.agent.tool.ToolHandler;
import dev.parley.agent.tool.ToolHandlers;
import dev.parley.agent.tool.ToolOutcome;
import dev.parley.core.json.Json;
import dev.parley.fakes.FakeOpenAiServer;
import dev.parley.fakes.FakeReply;
import dev.parley.store.Database;
import dev.parley.store.TenantId;
import dev.parley.testing.TestDatabase;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class HandlersAndProvidersTest {

  private static Path writeAgent(Path dir, String webhookUrl) throws IOException {
    Files.createDirectories(dir.resolve("prompts"));
    Files.createDirectories(dir.resolve("tools"));
    Files.writeString(dir.resolve("agent.yaml"), """
        name: orders
        model: claude-haiku-4-5
        phases: [start, done]
        """);
    Files.writeString(dir.resolve("prompts/00-core.md"), "You help with orders. Phase {{current_phase}}.{{#if order_status}} Status: {{order_status}}.{{/if}}");
    Files.writeString(dir.resolve("prompts/start.md"), "Look the order up, then finish.");
    Files.writeString(dir.resolve("prompts/done.md"), "The order is handled.");
    Files.writeString(dir.resolve("tools/start.json"), """
        [
          {"name": "lookup_order", "description": "Looks an order up.",
           "input_schema": {"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]},
           "handler": {"java": "orders.lookup"}},
          {"name": "finish", "description": "Closes the request.",
           "input_schema": {"type": "object", "properties": {"note": {"type": "string"}}},
           "handler": {"webhook": "%s", "timeout_ms": 5000, "transitions": ["done"]}}
        ]
        """.formatted(webhookUrl));
    return dir;
  }

  @Test
  void send_javaHandlerAndWebhook_runAndApplyTheirResults(@TempDir Path tmp) throws IOException {
    List<String> webhookBodies = new CopyOnWriteArrayList<>();
    HttpServer webhook = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    webhook.createContext("/hook", exchange -> {
      webhookBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] body = "{\"content\":\"closed\",\"set_fields\":{\"closed\":true},\"transition\":\"done\"}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    webhook.start();
    ToolHandler lookup = call -> {
      var set = Json.object().put("order_status", "shipped");
      return new ToolOutcome("order " + call.input().path("order_id").asText() + " shipped", false, set, Optional.empty());
    };
    ToolHandlers handlers = new ToolHandlers(Map.of("orders.lookup", lookup));
    try {
      Path dir = writeAgent(tmp.resolve("orders"), "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook");
      AgentDefinition agent = new AgentLoader(handlers::contains).load(dir);
      try (Harness h = Harness.start(agent, b -> b.handlers(handlers))) {
        Session session = h.newSession("orders");
        h.fake.enqueue(
            FakeReply.toolUse("t1", "lookup_order", json("{\"order_id\":\"A-17\"}")),
            FakeReply.toolUse("t2", "finish", json("{\"note\":\"done\"}")),
            FakeReply.text("Your order A-17 has shipped."));
        TurnReply reply = h.say(session, "Where is order A-17?");
        assertThat(reply.json().at("/tool_calls/0/result").asText()).isEqualTo("order A-17 shipped");
        assertThat(reply.json().at("/tool_calls/1/result").asText()).isEqualTo("closed");
        assertThat(reply.json().at("/session/phase").asText()).isEqualTo("done");
        assertThat(reply.json().at("/session/status").asText()).isEqualTo("complete");
        assertThat(reply.json().at("/session/fields/order_status").asText()).isEqualTo("shipped");
        assertThat(reply.json().at("/session/fields/closed").asBoolean()).isTrue();
        assertThat(h.fake.request(1).systemPrompt()).contains("Status: shipped.");
        assertThat(webhookBodies).singleElement().satisfies(b -> assertThat(Json.parse(b).at("/input/note").asText()).isEqualTo("done"));
      }
    } finally {
      webhook.stop(0);
    }
  }

  @Test
  void send_failingWebhook_errorToolResultAndToolErrorSignal(@TempDir Path tmp) throws IOException {
    Path dir = writeAgent(tmp.resolve("orders"), "http://127.0.0.1:9/unreachable");
    ToolHandlers handlers = new ToolHandlers(Map.of("orders.lookup", call -> { throw new IllegalStateException("database down"); }));
    AgentDefinition agent = new AgentLoader(handlers::contains).load(dir);
    try (Harness h = Harness.start(agent, b -> b.handlers(handlers))) {
      Session session = h.newSession("orders");
      h.fake.enqueue(
          FakeReply.message(new dev.parley.core.chat.ContentBlock.ToolUse("t1", "lookup_order", json("{\"order_id\":\"A\"}")),
              new dev.parley.core.chat.ContentBlock.ToolUse("t2", "finish", json("{}"))),
          FakeReply.text("Sorry, something failed."));
      TurnReply reply = h.say(session, "hi");
      assertThat(reply.json().path("tool_calls")).extracting(n -> n.path("status").asText()).containsExactly("failed", "failed");
      assertThat(reply.json().at("/tool_calls/0/result").asText()).contains("database down");
      assertThat(reply.json().at("/session/phase").asText()).isEqualTo("start");
      var signals = h.db.jdbi().withHandle(x -> dev.parley.agent.persist.SignalRepository.list(x, h.tenant));
      assertThat(signals).extracting(s -> s.signature()).containsExactly("tool_error:orders:lookup_order", "tool_error:orders:finish");
      assertThat(h.registry.find("parley.tool.calls").tag("outcome", "error").counters()).isNotEmpty();
    }
  }

  @Test
  void send_openAiCompatibleProvider_runsTheSameLoop() {
    try (Database db = TestDatabase.fresh(); FakeOpenAiServer fake = FakeOpenAiServer.start();
        Orchestrator orchestrator = Orchestrator.builder(db.jdbi(), AgentCatalog.of(Fixtures.coachMira()), Fixtures.openAi(fake)).build()) {
      Session session = orchestrator.sessions().create(TenantId.DEFAULT, "coachmira", Optional.empty(), Json.object());
      fake.enqueue(
          FakeReply.toolUse("call_1", "complete_profile", json("{\"business_type\":\"health coaching\",\"surface_challenge\":\"burnout\"}")),
          FakeReply.text("Let's explore."));
      TurnReply reply = orchestrator.turns().send(TurnRequest.message(TenantId.DEFAULT, session.id(), "hi"), TurnListener.NONE);
      assertThat(reply.json().at("/session/phase").asText()).isEqualTo("exploration");
      assertThat(fake.request(0).toolNames()).containsExactly("complete_profile");
      assertThat(fake.request(1).toolNames()).containsExactly("submit_hypothesis");
      assertThat(reply.json().at("/session/stats/input_tokens").asLong()).isPositive();
    }
  }
}
