package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.json.Json;
import dev.parley.fakes.FakeReply;
import dev.parley.fakes.RecordedRequest;
import dev.parley.store.ApiKeys;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The "Done when", black-box over HTTP against a scripted fake Anthropic server. */
final class ParleyServerTest {
  private ServerHarness h;

  @BeforeEach
  void start() {
    h = new ServerHarness(c -> c.withAdminToken(Optional.of("admin-token-0123456789")));
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private static ObjectNode input(String json) {
    return (ObjectNode) Json.parse(json);
  }

  @Test
  void doneWhen_phaseToolsGuardValidationTransitionAndRebuild() {
    String id = h.newSession();
    // 1. Out-of-phase call: blocked with is_error, no phase change.
    h.fake.enqueue(
        FakeReply.toolUse("toolu_a", "identify_constraint", input("{\"constraint\":\"Pricing too low\",\"category\":\"strategy\"}")),
        FakeReply.text("Let's first talk about your business. What kind of coaching do you do?"));
    ServerHarness.Reply first = h.post("/v1/sessions/" + id + "/messages", "{\"text\":\"Just tell me my constraint.\"}");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().at("/session/phase").asText()).isEqualTo("context");
    assertThat(first.json().at("/tool_calls/0/status").asText()).isEqualTo("blocked");
    assertThat(h.fake.request(0).toolNames()).containsExactly("complete_profile");
    JsonNode blockedResult = h.fake.request(1).messages().get(2).at("/content/0");
    assertThat(blockedResult.path("is_error").asBoolean()).isTrue();
    String blockedText = blockedResult.path("content").isTextual() ? blockedResult.path("content").asText() : blockedResult.path("content").toString();
    assertThat(blockedText).contains("complete_profile").doesNotContain("identify_constraint").doesNotContain("submit_hypothesis");

    // 2. Invalid input: rejected, nothing stored.
    h.fake.enqueue(
        FakeReply.toolUse("toolu_b", "complete_profile", input("{\"business_type\":\"x\"}")),
        FakeReply.text("And what is the main challenge?"));
    ServerHarness.Reply second = h.post("/v1/sessions/" + id + "/messages", "{\"text\":\"I do executive coaching.\"}");
    assertThat(second.json().at("/tool_calls/0/status").asText()).isEqualTo("invalid");
    assertThat(second.json().at("/session/fields").has("business_type")).isFalse();

    // 3. Valid complete_profile: fields stored, phase exploration, next request rebuilt.
    h.fake.enqueue(
        FakeReply.message(new ContentBlock.Text("Noted."),
            new ContentBlock.ToolUse("toolu_c", "complete_profile", input("{\"business_type\":\"executive coaching\",\"surface_challenge\":\"not enough clients\"}"))),
        FakeReply.text("Let's explore. Who is your ideal client?"));
    ServerHarness.Reply third = h.post("/v1/sessions/" + id + "/messages", "{\"text\":\"My challenge is getting enough clients.\"}");
    assertThat(third.json().at("/session/phase").asText()).isEqualTo("exploration");
    assertThat(third.json().at("/session/fields/surface_challenge").asText()).isEqualTo("not enough clients");
    RecordedRequest before = h.fake.request(4);
    RecordedRequest after = h.fake.request(5);
    assertThat(before.toolNames()).containsExactly("complete_profile");
    assertThat(after.toolNames()).containsExactly("submit_hypothesis");
    assertThat(before.systemPrompt()).contains("**context** phase");
    assertThat(after.systemPrompt()).contains("**exploration** phase").contains("explore what lies under");

    ServerHarness.Reply session = h.get("/v1/sessions/" + id);
    assertThat(session.json().path("id").asText()).isEqualTo(id);
    assertThat(session.json().path("agent").asText()).isEqualTo("coachmira");
    assertThat(session.json().path("status").asText()).isEqualTo("active");
    assertThat(session.json().at("/fields/business_type").asText()).isEqualTo("executive coaching");
    ServerHarness.Reply messages = h.get("/v1/sessions/" + id + "/messages");
    assertThat(messages.json().path("messages")).hasSize(3 * 4);
    ServerHarness.Reply events = h.get("/v1/sessions/" + id + "/events");
    List<String> types = events.json().path("events").findValuesAsText("type");
    assertThat(types).contains("conversation_start", "llm_request", "guard_block", "tool_execution", "phase_change", "turn_complete");
  }

  @Test
  void doneWhen_idempotentRetryCallsModelOnceAndStoresUserMessageOnce() {
    String id = h.newSession();
    h.fake.enqueue(FakeReply.text("Hello Dana!"));
    Map<String, String> key = Map.of("Idempotency-Key", "abc-123");
    ServerHarness.Reply first = h.post("/v1/sessions/" + id + "/messages", "{\"text\":\"Hi\"}", key);
    ServerHarness.Reply again = h.post("/v1/sessions/" + id + "/messages", "{\"text\":\"Hi\"}", key);
    assertThat(first.status()).isEqualTo(200);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.text()).isEqualTo(first.text());
    assertThat(again.headers()).containsEntry("idempotent-replayed", "true");
    assertThat(h.fake.requestCount()).isEqualTo(1);
    assertThat(h.get("/v1/sessions/" + id + "/messages").json().path("messages").findValuesAsText("kind")).containsExactly("user", "assistant");
    ServerHarness.Reply reused = h.post("/v1/sessions/" + id + "/messages", "{\"text\":\"Other\"}", key);
    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.json().at("/error/code").asText()).isEqualTo("idempotency_key_reused");
  }

  @Test
  void doneWhen_crossTenant404AndMissingKey401() {
    String id = h.newSession();
    String otherKey = new ApiKeys(h.db.jdbi()).create("globex").key();
    Map<String, String> other = Map.of("Authorization", "Bearer " + otherKey);
    assertThat(h.send("GET", "/v1/sessions/" + id, Optional.empty(), other).status()).isEqualTo(404);
    ServerHarness.Reply post = h.send("POST", "/v1/sessions/" + id + "/messages", Optional.of("{\"text\":\"hi\"}"), other);
    assertThat(post.status()).isEqualTo(404);
    assertThat(post.json().at("/error/code").asText()).isEqualTo("not_found");
    assertThat(h.send("GET", "/v1/sessions/" + id + "/events", Optional.empty(), other).status()).isEqualTo(404);
    assertThat(h.fake.requestCount()).isZero();

    ServerHarness.Reply none = h.send("GET", "/v1/sessions/" + id, Optional.empty(), Map.of());
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.json().at("/error/code").asText()).isEqualTo("unauthorized");
    assertThat(h.send("POST", "/v1/sessions", Optional.of("{\"agent\":\"coachmira\"}"), Map.of("Authorization", "Bearer pk_nope")).status())
        .isEqualTo(401);
    assertThat(h.get("/v1/sessions/not-a-uuid").status()).isEqualTo(404);
  }

  @Test
  void doneWhen_metricsExposeGenAiTokenUsageAndOperationDuration() {
    String id = h.newSession();
    h.fake.enqueue(FakeReply.text("Hello!"));
    h.post("/v1/sessions/" + id + "/messages", "{\"text\":\"Hi\"}");
    ServerHarness.Reply metrics = h.send("GET", "/metrics", Optional.empty(), Map.of());
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.text()).contains("gen_ai_client_token_usage").contains("gen_ai_client_operation_duration")
        .contains("gen_ai_token_type=\"input\"").contains("gen_ai_token_type=\"output\"").contains("parley_turn_overhead");
    assertThat(h.send("GET", "/health", Optional.empty(), Map.of()).json().path("status").asText()).isEqualTo("ok");
  }

  @Test
  void post_sse_streamsTextToolCallsPhaseAndDone() {
    String id = h.newSession();
    h.fake.enqueue(
        FakeReply.toolUse("t1", "complete_profile", input("{\"business_type\":\"team coaching\",\"surface_challenge\":\"churn\"}")),
        FakeReply.text("Great, now let's explore your client churn."));
    ServerHarness.Reply sse = h.post("/v1/sessions/" + id + "/messages", "{\"text\":\"hi\"}", Map.of("Accept", "text/event-stream"));
    assertThat(sse.status()).isEqualTo(200);
    assertThat(sse.headers().get("content-type")).startsWith("text/event-stream");
    assertThat(sse.text()).contains("event: tool_call").contains("event: phase").contains("event: text").contains("event: done");
    StringBuilder text = new StringBuilder();
    Optional<JsonNode> lastDone = Optional.empty();
    String[] events = sse.text().split("\n\n");
    for (String e : events) {
      String name = e.lines().filter(l -> l.startsWith("event: ")).findFirst().orElse("").substring(7);
      String data = e.lines().filter(l -> l.startsWith("data: ")).findFirst().orElse("data: {}").substring(6);
      if (name.equals("text")) {
        text.append(Json.parse(data).path("delta").asText());
      } else if (name.equals("done")) {
        lastDone = Optional.of(Json.parse(data));
      }
    }
    assertThat(lastDone).isPresent();
    JsonNode done = lastDone.orElseThrow();
    assertThat(text.toString()).isEqualTo(done.at("/message/text").asText());
    assertThat(done.at("/session/phase").asText()).isEqualTo("exploration");
  }

  @Test
  void post_providerFailure_502WithClearErrorAndRetriable() {
    String id = h.newSession();
    h.fake.enqueue(FakeReply.overloaded());
    ServerHarness.Reply failed = h.post("/v1/sessions/" + id + "/messages", "{\"text\":\"Hi\"}", Map.of("Idempotency-Key", "k1"));
    assertThat(failed.status()).isEqualTo(502);
    assertThat(failed.json().at("/error/code").asText()).isEqualTo("provider_error");
    assertThat(failed.json().at("/error/message").asText()).contains("model provider failed");
    assertThat(h.get("/v1/sessions/" + id).json().at("/last_turn/status").asText()).isEqualTo("failed");
    h.fake.enqueue(FakeReply.text("Hi!"));
    ServerHarness.Reply retried = h.post("/v1/sessions/" + id + "/messages", "{\"text\":\"Hi\"}", Map.of("Idempotency-Key", "k1"));
    assertThat(retried.status()).isEqualTo(200);
    assertThat(h.get("/v1/sessions/" + id + "/messages").json().path("messages")).hasSize(2);
  }

  @Test
  void requests_badBodiesOversizeAndUnknownAgent_clearErrors() {
    assertThat(h.post("/v1/sessions", "{\"agent\":\"nobody\"}").json().at("/error/message").asText()).contains("unknown agent 'nobody'");
    assertThat(h.post("/v1/sessions", "not json").status()).isEqualTo(400);
    String id = h.newSession();
    assertThat(h.post("/v1/sessions/" + id + "/messages", "{}").json().at("/error/code").asText()).isEqualTo("invalid_field");
    String huge = "{\"text\":\"" + "x".repeat(300 * 1024) + "\"}";
    ServerHarness.Reply tooBig = h.post("/v1/sessions/" + id + "/messages", huge);
    assertThat(tooBig.status()).isEqualTo(413);
    assertThat(h.get("/v1/nothing").status()).isEqualTo(404);
    // CORS is off unless configured.
    ServerHarness.Reply preflight = h.send("OPTIONS", "/v1/sessions", Optional.empty(),
        Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "POST"));
    assertThat(preflight.headers()).doesNotContainKey("access-control-allow-origin");
  }

  @Test
  void chunkedBody_withoutContentLength_refusedBeforeItIsRead() throws Exception {
    // Javalin checks maxRequestSize against Content-Length only; a chunked body would be read unbounded.
    String id = h.newSession();
    URI uri = URI.create(h.url("/v1/sessions/" + id + "/messages"));
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      OutputStream out = socket.getOutputStream();
      String chunk = "{\"text\":\"hi\"}";
      out.write(("POST " + uri.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Authorization: Bearer " + h.key + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
          + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 411").contains("length_required");
    }
  }

  @Test
  void adminFlags_changeAtRunTimeWithAdminTokenOnly() {
    Map<String, String> admin = Map.of("Authorization", "Bearer admin-token-0123456789");
    ServerHarness.Reply put = h.send("PUT", "/v1/admin/flags/modular_prompts", Optional.of("{\"enabled\":false}"), admin);
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.json().path("enabled").asBoolean()).isFalse();
    assertThat(h.send("GET", "/v1/admin/flags", Optional.empty(), admin).json().path("flags")).hasSize(3);
    assertThat(h.send("PUT", "/v1/admin/flags/modular_prompts", Optional.of("{\"enabled\":true}"),
        Map.of("Authorization", "Bearer " + h.key)).status()).isEqualTo(401);
    String id = h.newSession();
    h.fake.enqueue(FakeReply.text("ok"));
    h.post("/v1/sessions/" + id + "/messages", "{\"text\":\"hi\"}");
    assertThat(h.fake.lastRequest().toolNames()).hasSize(4);
    assertThat(h.send("PUT", "/v1/admin/flags/nope", Optional.of("{\"rollout\":5}"), admin).status()).isEqualTo(400);
  }

  @Test
  void cors_configuredOrigin_allowedOthersNot() {
    try (ServerHarness cors = new ServerHarness(c -> c.withCorsOrigins(List.of("https://app.example")))) {
      ServerHarness.Reply allowed = cors.send("OPTIONS", "/v1/sessions", Optional.empty(),
          Map.of("Origin", "https://app.example", "Access-Control-Request-Method", "POST"));
      assertThat(allowed.headers()).containsEntry("access-control-allow-origin", "https://app.example");
      ServerHarness.Reply other = cors.send("OPTIONS", "/v1/sessions", Optional.empty(),
          Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "POST"));
      assertThat(other.headers()).doesNotContainKey("access-control-allow-origin");
    }
  }

  @Test
  void extension_routesGetTenantAuthAndErrorMapping() {
    ParleyServer.RouteExtension things = auth -> {
      io.javalin.apibuilder.ApiBuilder.before("/v1/things*", auth);
      io.javalin.apibuilder.ApiBuilder.get("/v1/things", ctx -> ctx.json(Json.object().put("tenant", ParleyServer.tenantOf(ctx).value())));
    };
    try (ServerHarness ext = new ServerHarness(c -> c, things)) {
      assertThat(ext.send("GET", "/v1/things", Optional.empty(), Map.of()).status()).isEqualTo(401);
      ServerHarness.Reply ok = ext.get("/v1/things");
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.json().path("tenant").asLong()).isPositive();
    }
  }

  @Test
  void health_publicStatusOnly_agentsModelsAndToolsWhenAuthenticated() {
    ServerHarness.Reply open = h.send("GET", "/health", Optional.empty(), Map.of());
    assertThat(open.status()).isEqualTo(200);
    assertThat(open.json()).isEqualTo(Json.parse("{\"status\":\"ok\"}"));
    assertThat(h.send("GET", "/health", Optional.empty(), Map.of("Authorization", "Bearer pk_wrong")).json().has("agents")).isFalse();
    for (String token : List.of(h.key, "admin-token-0123456789")) {
      ServerHarness.Reply detailed = h.send("GET", "/health", Optional.empty(), Map.of("Authorization", "Bearer " + token));
      assertThat(detailed.json().path("status").asText()).isEqualTo("ok");
      assertThat(detailed.json().at("/agents/0/name").asText()).isEqualTo("coachmira");
      assertThat(detailed.json().at("/agents/0/model").asText()).isNotBlank();
      assertThat(detailed.json().at("/agents/0/tools")).extracting(JsonNode::asText).contains("complete_profile");
    }
  }

  @Test
  void health_databaseDown_503AndConnectionFailuresCounted() {
    try (ServerHarness down = ServerHarness.withServerJdbi(org.jdbi.v3.core.Jdbi.create("jdbc:postgresql://127.0.0.1:1/parley?connectTimeout=2"))) {
      ServerHarness.Reply health = down.send("GET", "/health", Optional.empty(), Map.of());
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.json().path("status").asText()).isEqualTo("unavailable");
      assertThat(health.json().at("/error/code").asText()).isEqualTo("store_unavailable");
      assertThat(health.headers()).containsKey("retry-after");
      ServerHarness.Reply request = down.get("/v1/sessions/" + java.util.UUID.randomUUID());
      assertThat(request.status()).isEqualTo(503);
      assertThat(request.json().at("/error/code").asText()).isEqualTo("store_unavailable");
      String scrape = down.scrape();
      assertThat(scrape).contains("parley_db_up 0.0").containsPattern("parley_db_connection_failures_total\\{source=\"probe\"} [1-9]")
          .containsPattern("parley_db_connection_failures_total\\{source=\"request\"} [1-9]");
    }
    assertThat(h.scrape()).contains("parley_db_up 1.0").contains("parley_db_connection_failures_total{source=\"probe\"} 0.0");
  }

  @Test
  void metricsToken_scrapeNeedsItComparedExactly() {
    try (ServerHarness guarded = new ServerHarness(c -> c.withMetricsToken(Optional.of("metrics-token-0123456789")))) {
      ServerHarness.Reply none = guarded.send("GET", "/metrics", Optional.empty(), Map.of());
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.json().at("/error/code").asText()).isEqualTo("unauthorized");
      assertThat(guarded.send("GET", "/metrics", Optional.empty(), Map.of("Authorization", "Bearer metrics-token-012345678")).status()).isEqualTo(401);
      assertThat(guarded.send("GET", "/metrics", Optional.empty(), Map.of("Authorization", "Bearer " + guarded.key)).status()).isEqualTo(401);
      ServerHarness.Reply ok = guarded.send("GET", "/metrics", Optional.empty(), Map.of("Authorization", "Bearer metrics-token-0123456789"));
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.text()).contains("parley_db_up");
    }
  }

  @Test
  void metricsPort_scrapeOnlyThere() throws Exception {
    try (ServerHarness split = new ServerHarness(c -> c.withMetricsPort(java.util.OptionalInt.of(0)))) {
      assertThat(split.send("GET", "/metrics", Optional.empty(), Map.of()).status()).isEqualTo(404);
      int port = split.server.metricsPort().orElseThrow();
      assertThat(port).isNotEqualTo(split.server.port());
      java.net.http.HttpResponse<String> scrape = split.http.send(
          java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.body()).contains("http_server_requests_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\"}");
      java.net.http.HttpResponse<String> other = split.http.send(
          java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/sessions")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(other.statusCode()).isEqualTo(404);
      assertThat(Json.parse(other.body()).at("/error/code").asText()).isEqualTo("not_found");
    }
  }
}
