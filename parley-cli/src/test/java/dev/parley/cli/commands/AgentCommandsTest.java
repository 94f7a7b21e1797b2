package dev.parley.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.json.Json;
import dev.parley.fakes.FakeAnthropicServer;
import dev.parley.fakes.FakeReply;
import dev.parley.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code flags} in-process and {@code serve} as a real child process ({@code simulate} and {@code bench orchestrator}
 * are tested in parley-bench).
 */
final class AgentCommandsTest {
  private String db;

  @BeforeEach
  void freshStore() {
    db = TestDatabase.freshUrl();
  }

  static Path repo() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("examples/agents/coachmira"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("repository root not found");
    }
    return dir;
  }

  @Test
  void flags_setRolloutThenList_showsStoredValues() {
    CliRun set = ImportCommandTest.run("flags", "set", "context_window", "--rollout", "25", "--db", db);
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.out()).contains("context_window").contains("rollout  25 %");
    CliRun off = ImportCommandTest.run("flags", "set", "modular_prompts", "--off", "--db", db);
    assertThat(off.exit()).isZero();
    CliRun list = ImportCommandTest.run("flags", "list", "--json", "--db", db);
    List<JsonNode> flags = list.out().lines().map(Json::parse).toList();
    assertThat(flags).extracting(f -> f.path("name").asText()).containsExactly("modular_prompts", "context_window", "prompt_caching");
    assertThat(flags.get(0).path("enabled").asBoolean()).isFalse();
    assertThat(flags.get(1).path("rollout").asInt()).isEqualTo(25);
    CliRun bad = ImportCommandTest.run("flags", "set", "context_windw", "--on", "--db", db);
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("unknown flag 'context_windw'");
  }

  @Test
  void flags_setGuard_storedShownAndValidated() {
    CliRun set = ImportCommandTest.run("flags", "set", "context_window", "--rollout", "25", "--guard-max-error-rate", "0.02",
        "--guard-min-turns", "40", "--guard-window", "10m", "--json", "--db", db);
    assertThat(set.exit()).as(set.err()).isZero();
    JsonNode stored = Json.parse(set.out().strip());
    assertThat(stored.path("rollout").asInt()).isEqualTo(25);
    assertThat(stored.path("guard").toString()).isEqualTo("{\"enabled\":true,\"max_error_rate\":0.02,\"min_turns\":40,\"window_seconds\":600}");
    // A guard change alone keeps the rollout; --no-guard keeps the settings.
    CliRun off = ImportCommandTest.run("flags", "set", "context_window", "--no-guard", "--db", db);
    assertThat(off.exit()).as(off.err()).isZero();
    assertThat(off.out()).contains("rollout  25 %").doesNotContain("[guard:");
    CliRun on = ImportCommandTest.run("flags", "set", "context_window", "--guard", "--db", db);
    assertThat(on.out()).contains("rollout  25 %").contains("[guard: rollback above 2.00 % errors of >= 40 turns in 600 s]");
    CliRun list = ImportCommandTest.run("flags", "list", "--json", "--db", db);
    assertThat(list.out().lines().map(Json::parse).filter(f -> f.path("name").asText().equals("context_window")).findFirst().orElseThrow()
        .at("/guard/enabled").asBoolean()).isTrue();
    CliRun badRate = ImportCommandTest.run("flags", "set", "context_window", "--guard-max-error-rate", "1.5", "--db", db);
    assertThat(badRate.exit()).isEqualTo(2);
    assertThat(badRate.err()).contains("--guard-max-error-rate must be in [0, 1], was 1.5");
    CliRun badWindow = ImportCommandTest.run("flags", "set", "context_window", "--guard-window", "soon", "--db", db);
    assertThat(badWindow.exit()).isEqualTo(2);
    assertThat(badWindow.err()).contains("--guard-window must be a duration");
    CliRun nothing = ImportCommandTest.run("flags", "set", "context_window", "--db", db);
    assertThat(nothing.exit()).isEqualTo(2);
    assertThat(nothing.err()).contains("--guard option");
  }

  @Test
  void gate_emptyStore_tableAndJsonWithSampleSizes() {
    CliRun table = ImportCommandTest.run("gate", "--db", db);
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out()).contains("Decision gate: flag context_window, agent (all), sessions since (all time)")
        .contains("turns / completed session avg").contains("repeats of folded information: 0 of 0 user messages (n/a)");
    CliRun json = ImportCommandTest.run("gate", "--agent", "coachmira", "--flag", "modular_prompts", "--since", "2025-06-01", "--json", "--db", db);
    assertThat(json.exit()).as(json.err()).isZero();
    JsonNode report = Json.parse(json.out().strip());
    assertThat(report.path("flag").asText()).isEqualTo("modular_prompts");
    assertThat(report.path("agent").asText()).isEqualTo("coachmira");
    assertThat(report.path("since").asText()).isEqualTo("2025-06-01T00:00:00Z");
    assertThat(report.at("/arms/all/sessions").asLong()).isZero();
    assertThat(report.at("/arms/off/tokens_per_conversation/n").asLong()).isZero();
    assertThat(report.at("/repeats/user_messages").asLong()).isZero();
    CliRun bad = ImportCommandTest.run("gate", "--since", "last week", "--db", db);
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("since must be an ISO-8601 instant");
  }

  /** The black-box check: {@code serve} in its own JVM, the provider found through ANTHROPIC_BASE_URL. */
  @Test
  void serve_childProcessAgainstFakeAnthropic_doneWhen() throws Exception {
    CliRun keys = ImportCommandTest.run("keys", "create", "--tenant", "acme", "--db", db);
    assertThat(keys.exit()).isZero();
    String key = keys.outLines().get(keys.outLines().size() - 1);
    String otherKey = last(ImportCommandTest.run("keys", "create", "--tenant", "globex", "--db", db).outLines());
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (FakeAnthropicServer fake = FakeAnthropicServer.start()) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.parley.cli.Main", "serve",
          "--port", Integer.toString(port), "--host", "127.0.0.1", "--agents", repo().resolve("examples/agents").toString(), "--db", db);
      pb.environment().put("ANTHROPIC_BASE_URL", fake.baseUrl());
      pb.environment().put("ANTHROPIC_API_KEY", "test-key");
      pb.environment().put("PARLEY_LLM_MAX_ATTEMPTS", "1");
      pb.redirectErrorStream(true);
      Process process = pb.start();
      List<String> output = new ArrayList<>();
      try {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
          output.add(line);
          if (line.contains("Parley API listening on")) {
            break;
          }
        }
        assertThat(output).as("server output").anyMatch(l -> l.contains("Parley API listening on"));
        Thread drain = Thread.ofVirtual().start(() -> reader.lines().forEach(l -> { }));
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;

        JsonNode session = Json.parse(send(http, "POST", base + "/v1/sessions", key, "{\"agent\":\"coachmira\"}", 201, null));
        String id = session.path("id").asText();
        assertThat(session.path("phase").asText()).isEqualTo("context");

        fake.enqueue(
            FakeReply.toolUse("t1", "submit_scores", (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse("{\"scores\":{\"importance\":1,\"confidence\":1,\"commitment\":1}}")),
            FakeReply.toolUse("t2", "complete_profile", (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse("{\"business_type\":\"x\"}")),
            FakeReply.message(new ContentBlock.ToolUse("t3", "complete_profile",
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse("{\"business_type\":\"team coaching\",\"surface_challenge\":\"churn\"}"))),
            FakeReply.text("Let's explore."));
        JsonNode reply = Json.parse(send(http, "POST", base + "/v1/sessions/" + id + "/messages", key, "{\"text\":\"hi\"}", 200, "k-1"));
        assertThat(reply.path("tool_calls").findValuesAsText("status")).containsExactly("blocked", "invalid", "executed");
        assertThat(reply.at("/session/phase").asText()).isEqualTo("exploration");
        assertThat(fake.request(0).toolNames()).containsExactly("complete_profile");
        assertThat(fake.request(3).toolNames()).containsExactly("submit_hypothesis");
        assertThat(fake.request(3).systemPrompt()).contains("**exploration** phase");
        assertThat(fake.request(1).messages().get(2).at("/content/0/is_error").asBoolean()).isTrue();

        String again = send(http, "POST", base + "/v1/sessions/" + id + "/messages", key, "{\"text\":\"hi\"}", 200, "k-1");
        assertThat(Json.parse(again)).isEqualTo(reply);
        assertThat(fake.requestCount()).isEqualTo(4);
        JsonNode messages = Json.parse(send(http, "GET", base + "/v1/sessions/" + id + "/messages", key, null, 200, null));
        assertThat(messages.path("messages").findValuesAsText("kind").stream().filter("user"::equals)).hasSize(1);

        send(http, "GET", base + "/v1/sessions/" + id, otherKey, null, 404, null);
        send(http, "GET", base + "/v1/sessions/" + id, null, null, 401, null);
        String metrics = send(http, "GET", base + "/metrics", null, null, 200, null);
        assertThat(metrics).contains("gen_ai_client_token_usage").contains("gen_ai_client_operation_duration");
        drain.interrupt();
      } finally {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
  }

  private static String last(List<String> lines) {
    return lines.get(lines.size() - 1);
  }

  /** A null key, body or idempotency key is left out of the request. */
  private static String send(HttpClient http, String method, String url, @Nullable String key, @Nullable String body, int expected,
      @Nullable String idempotencyKey)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + url + ": " + r.body()).isEqualTo(expected);
    return r.body();
  }
}
