package dev.parley.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.json.Json;
import dev.parley.fakes.FakeReply;
import dev.parley.llm.chat.ResilienceConfig;
import dev.parley.store.Database;
import dev.parley.store.StoreConfig;
import dev.parley.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The orchestrator's fault suite ("Orchestrator reliability"), end to end over HTTP: a real server on the embedded
 * PostgreSQL, a fake Anthropic server scripted to fail, and after every fault the store itself is counted, so that
 * nothing the server acknowledged is lost or stored twice: one user message per turn, one turn row per message
 * (a retry resumes it), the session's lease released, and a retry with the same Idempotency-Key answered with the
 * stored reply byte for byte, without a model call.
 *
 * <p>Faults covered here: provider 429 then success (retried within the call), 529 / 500 until the attempts run
 * out, malformed provider bodies (cut off, not JSON, holding a NUL), an error message holding a NUL, a model that
 * hangs past the turn timeout, empty content; NUL and lone surrogates in every client field (text, user, metadata,
 * agent, Idempotency-Key); NUL in model output (text, tool name, tool input); the embedded PostgreSQL killed
 * (SIGKILL) under a running server. The whole class also checks that none of it puts a raw NUL into the log.
 *
 * <p>Covered elsewhere and not repeated: the provider adapters' retry, backoff, timeout and circuit breaker
 * (parley-llm {@code ChatModelContractTest}); the turn engine's handling of the same faults, with events, signals
 * and metrics (parley-agent {@code TurnEngineTest}: NUL and lone surrogates in model output, empty replies,
 * provider failure then retry, idempotency; {@code ReliabilityTest}: timeouts, parallel posts, a process dying
 * mid-turn, late writes fenced; {@code TurnEventsTest}: repaired SSE deltas; {@code TurnRequestTest}); a real
 * {@code kill -9} of a JVM mid-turn (parley-agent {@code CrashRecoveryTest}, a child process); the store alone
 * after its postmaster is killed (parley-store {@code EmbeddedServerTest}); the exact 400 messages for every
 * client field and limit ({@code SessionControllerTest}); 502 then retry and the idempotent replay's header
 * ({@code ParleyServerTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class FaultSuiteTest {
  /**
   * Two attempts per model call, 10 ms apart: a single 429 is retried inside the call, two fail the turn. The
   * circuit breaker never opens (only when 100 calls in a row failed): here every fault is meant to reach the model.
   */
  private static final ResilienceConfig TWO_ATTEMPTS = ResilienceConfig.defaults().withMaxAttempts(2)
      .withBackoff(Duration.ofMillis(10), 1.0, Duration.ofMillis(10)).withBreaker(100f, 100, 100, Duration.ofSeconds(1));

  private ServerHarness h;
  private PrintStream originalErr;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeAll
  void start() {
    // Everything the server logs (slf4j-simple writes to System.err as it is at each call) is kept as well.
    originalErr = System.err;
    System.setErr(new PrintStream(new Tee(originalErr, log), true, UTF_8));
    h = ServerHarness.with(TestDatabase.fresh(), ServerHarness.agentsDir(), TWO_ATTEMPTS);
  }

  @AfterAll
  void stop() {
    try {
      h.close();
    } finally {
      System.setErr(originalErr);
    }
    byte[] written;
    synchronized (log) {
      written = log.toByteArray();
    }
    assertThat(indexOf(written, (byte) 0)).as("a raw NUL in the log:%n%s", new String(written, UTF_8)).isEqualTo(-1);
  }

  @BeforeEach
  void reset() {
    h.fake.reset();
  }

  // ------------------------------------------------------------------ provider faults

  @Test
  void providerRateLimitedOnce_retriedWithinTheCall_oneTurnStoredOnce() {
    String id = h.newSession();
    h.fake.enqueue(FakeReply.rateLimited(), FakeReply.text("Hello Dana!"));
    int calls = h.fake.requestCount();
    Bytes reply = post(h, id, "{\"text\":\"Hi\"}", "rate-1");

    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.json().at("/message/text").asText()).isEqualTo("Hello Dana!");
    assertThat(h.fake.requestCount() - calls).isEqualTo(2);
    assertThat(Stored.of(h.db, id)).isEqualTo(new Stored(List.of("user", "assistant"), List.of("completed"), 1, false));
    assertReplayedByteForByte(h, id, "{\"text\":\"Hi\"}", "rate-1", reply);
  }

  static Stream<Arguments> providerFailures() {
    String cutOffWithNul = "{\"id\":\"msg_1\",\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"a\u0000b";
    return Stream.of(
        Arguments.of("529 overloaded on every attempt", List.of(FakeReply.overloaded(), FakeReply.overloaded())),
        Arguments.of("500 api_error on every attempt", List.of(FakeReply.serverError(), FakeReply.serverError())),
        Arguments.of("529 whose message holds a NUL", List.of(FakeReply.error(529, "overloaded_error", "Over\u0000loaded"),
            FakeReply.error(529, "overloaded_error", "Over\u0000loaded"))),
        Arguments.of("a 200 whose JSON is cut off", List.of(FakeReply.malformed())),
        Arguments.of("a 200 whose JSON is cut off after a NUL", List.of(FakeReply.raw(200, "application/json", cutOffWithNul))),
        Arguments.of("a 200 that is not JSON", List.of(FakeReply.raw(200, "text/html", "<html>\u0000bad gateway</html>"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providerFailures")
  void providerFailure_502AndTheMessageKept_thenTheSameKeyCompletesIt(String fault, List<FakeReply> replies) {
    String id = h.newSession();
    String body = "{\"text\":\"I coach teams.\"}";
    h.fake.enqueue(replies.toArray(FakeReply[]::new));
    int calls = h.fake.requestCount();
    Bytes failed = post(h, id, body, "fail-1");

    assertThat(failed.status()).as(failed.text()).isEqualTo(502);
    assertThat(failed.json().at("/error/code").asText()).isEqualTo("provider_error");
    assertThat(h.fake.requestCount() - calls).as("attempts").isEqualTo(replies.size());
    assertThat(Stored.of(h.db, id)).isEqualTo(new Stored(List.of("user"), List.of("failed"), 1, false));
    assertThat(storedErrorsHoldNoNul(h.db, id)).isTrue();

    h.fake.enqueue(FakeReply.text("Tell me about your teams."));
    Bytes completed = post(h, id, body, "fail-1");
    assertThat(completed.status()).as(completed.text()).isEqualTo(200);
    assertThat(Stored.of(h.db, id)).isEqualTo(new Stored(List.of("user", "assistant"), List.of("completed"), 1, false));
    // The model saw the stored message once.
    assertThat(h.fake.lastRequest().messages()).hasSize(1);
    assertReplayedByteForByte(h, id, body, "fail-1", completed);
  }

  @Test
  void modelHangsPastTheTurnTimeout_504AndTheMessageKept_thenTheSameKeyCompletesIt(@TempDir Path tmp) throws IOException {
    Path agents = copyWithTurnTimeout(tmp, "1");
    try (ServerHarness quick = ServerHarness.with(TestDatabase.fresh(), agents, ServerHarness.singleAttempt())) {
      String id = quick.newSession();
      String body = "{\"text\":\"Hi\"}";
      quick.fake.enqueue(FakeReply.text("Too late.").after(Duration.ofSeconds(4)));
      long t0 = System.nanoTime();
      Bytes timedOut = post(quick, id, body, "slow-1");

      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
      assertThat(timedOut.status()).as(timedOut.text()).isEqualTo(504);
      assertThat(timedOut.json().at("/error/code").asText()).isEqualTo("turn_timeout");
      assertThat(Stored.of(quick.db, id)).isEqualTo(new Stored(List.of("user"), List.of("failed"), 1, false));

      quick.fake.enqueue(FakeReply.text("Hello!"));
      Bytes completed = post(quick, id, body, "slow-1");
      assertThat(completed.status()).as(completed.text()).isEqualTo(200);
      assertThat(completed.json().at("/message/text").asText()).isEqualTo("Hello!");
      assertThat(Stored.of(quick.db, id)).isEqualTo(new Stored(List.of("user", "assistant"), List.of("completed"), 1, false));
      assertReplayedByteForByte(quick, id, body, "slow-1", completed);
    }
  }

  static Stream<Arguments> emptyReplies() {
    return Stream.of(
        Arguments.of("no content blocks", new FakeReply.Message(List.of(), Optional.empty(), Optional.empty())),
        Arguments.of("one empty text block", FakeReply.text("")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("emptyReplies")
  void emptyContent_storedAsTheAnswer_sessionFreeAndTheNextTurnRuns(String what, FakeReply empty) {
    String id = h.newSession();
    h.fake.enqueue(empty);
    Bytes reply = post(h, id, "{\"text\":\"Hello\"}", "empty-1");

    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.json().at("/message/text").asText()).isEmpty();
    assertThat(Stored.of(h.db, id)).isEqualTo(new Stored(List.of("user", "assistant"), List.of("completed"), 1, false));
    assertReplayedByteForByte(h, id, "{\"text\":\"Hello\"}", "empty-1", reply);

    h.fake.enqueue(FakeReply.text("Sorry, hello!"));
    Bytes next = post(h, id, "{\"text\":\"Are you there?\"}", "empty-2");
    assertThat(next.status()).as(next.text()).isEqualTo(200);
    assertThat(Stored.of(h.db, id)).isEqualTo(new Stored(List.of("user", "assistant", "user", "assistant"), List.of("completed", "completed"), 2, false));
  }

  // ------------------------------------------------------------------ client input

  /**
   * Every client field with a NUL or a lone surrogate. Bodies are JSON text, so {@code \\u0000} is JSON's escape of
   * a NUL (which a JSON parser accepts and PostgreSQL refuses). A header has no escapes: its NUL is a raw byte, and
   * its lone surrogate the three bytes UTF-8 would give one (ED A0 80), sent as they are.
   */
  static Stream<Arguments> unstorableClientFields() {
    return Stream.of(
        Arguments.of("create", "{\"agent\":\"coach\\u0000mira\"}", "", "agent"),
        Arguments.of("create", "{\"agent\":\"coachmira\\udc00\"}", "", "agent"),
        Arguments.of("create", "{\"agent\":\"coachmira\",\"user\":\"u-\\u0000\"}", "", "user"),
        Arguments.of("create", "{\"agent\":\"coachmira\",\"user\":\"u-\\ud800\"}", "", "user"),
        Arguments.of("create", "{\"agent\":\"coachmira\",\"metadata\":{\"user_name\":\"Da\\u0000na\"}}", "", "metadata.user_name"),
        Arguments.of("create", "{\"agent\":\"coachmira\",\"metadata\":{\"plan\":{\"note\":\"\\udbff\"}}}", "", "metadata.plan.note"),
        Arguments.of("create", "{\"agent\":\"coachmira\",\"metadata\":{\"k\\u0000\":\"v\"}}", "", "metadata"),
        Arguments.of("message", "{\"text\":\"hi \\u0000 there\"}", "", "text"),
        Arguments.of("message", "{\"text\":\"emoji cut \\ud83d\"}", "", "text"),
        Arguments.of("message", "{\"text\":\"\\ude00 alone\"}", "", "text"),
        Arguments.of("message", "{\"text\":\"hi\"}", "key\u00ed\u00a0\u0080", "Idempotency-Key"));
  }

  @ParameterizedTest(name = "{0} {1} / key {2} -> {3}")
  @MethodSource("unstorableClientFields")
  void unstorableCharacterInAClientField_400NamingTheField_nothingStored(String route, String body, String key, String field) {
    String id = h.newSession();
    Counts before = Counts.of(h.db);
    int calls = h.fake.requestCount();
    JsonNode error = refused(route.equals("create") ? "/v1/sessions" : "/v1/sessions/" + id + "/messages", body, key);

    assertThat(error.at("/error/field").asText()).as(error.toString()).isEqualTo(field);
    assertThat(error.at("/error/message").asText()).as(error.toString()).contains(field);
    assertThat(Counts.of(h.db)).isEqualTo(before);
    assertThat(h.fake.requestCount()).isEqualTo(calls);
  }

  /**
   * HTTP allows no NUL in a header (RFC 9110, 5.5): Jetty refuses the request as malformed before any route sees it,
   * so the 400 (in the API's error shape) cannot name the header, but nothing is stored either.
   */
  @Test
  void nulInTheIdempotencyKeyHeader_400MalformedRequestBeforeRouting_nothingStored() {
    String id = h.newSession();
    Counts before = Counts.of(h.db);
    int calls = h.fake.requestCount();
    JsonNode error = refused("/v1/sessions/" + id + "/messages", "{\"text\":\"hi\"}", "key\u0000one");

    assertThat(error.at("/error/code").asText()).isEqualTo("bad_request");
    assertThat(error.at("/error/message").asText()).isEqualTo("malformed HTTP request: Illegal character CNTL=0x0");
    assertThat(Counts.of(h.db)).isEqualTo(before);
    assertThat(h.fake.requestCount()).isEqualTo(calls);
  }

  /**
   * POSTs {@code body} with {@code key} (when not empty) as raw bytes, expects a 400 and returns its error body. The
   * body is ASCII (JSON escapes), so ISO-8859-1 sends it as it is; each character of the key becomes one byte.
   */
  private JsonNode refused(String path, String body, String key) {
    StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + h.key
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(UTF_8).length + "\r\nConnection: close\r\n");
    if (!key.isEmpty()) {
      request.append("Idempotency-Key: ").append(key).append("\r\n");
    }
    String response = h.raw(request.append("\r\n").append(body).toString());
    assertThat(response).startsWith("HTTP/1.1 400 ").contains("Content-Type: application/json");
    return Json.parse(response.substring(response.indexOf('{'), response.lastIndexOf('}') + 1));
  }

  // ------------------------------------------------------------------ model output

  @Test
  void nulInModelOutput_textToolNameAndToolInputStoredRepaired_sessionFreeAtOnce() {
    String id = h.newSession();
    ObjectNode profile = (ObjectNode) Json.parse("{\"business_type\":\"team\\u0000coaching\",\"surface_challenge\":\"client churn\"}");
    h.fake.enqueue(
        FakeReply.message(new ContentBlock.Text("Noting\u0000 that."), new ContentBlock.ToolUse("toolu_1", "complete_profile", profile),
            new ContentBlock.ToolUse("toolu_2", "drop\u0000tables", (ObjectNode) Json.parse("{\"k\\u0000\":\"v\\u0000\"}"))),
        FakeReply.text("All\u0000 set."));
    String body = "{\"text\":\"I coach teams; clients churn.\"}";
    Bytes reply = post(h, id, body, "nul-1");

    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.json().at("/message/text").asText()).isEqualTo("All\uFFFD set.");
    assertThat(reply.json().at("/session/fields/business_type").asText()).isEqualTo("team\uFFFDcoaching");
    assertThat(reply.json().path("tool_calls")).extracting(c -> c.path("name").asText()).containsExactly("complete_profile", "drop\uFFFDtables");
    assertThat(Stored.of(h.db, id))
        .isEqualTo(new Stored(List.of("user", "assistant", "tool_result", "assistant"), List.of("completed"), 1, false));
    JsonNode messages = h.get("/v1/sessions/" + id + "/messages").json().path("messages");
    assertThat(messages.get(1).toString()).contains("Noting\uFFFD that.").contains("drop\uFFFDtables").contains("team\uFFFDcoaching")
        .contains("k\uFFFD").contains("v\uFFFD");
    assertThat(messages.toString()).doesNotContain("\u0000").doesNotContain("\\u0000");
    assertReplayedByteForByte(h, id, body, "nul-1", reply);

    // Free at once: the next message is answered, not refused as a turn in progress.
    h.fake.enqueue(FakeReply.text("Why do they leave?"));
    long t0 = System.nanoTime();
    Bytes next = post(h, id, "{\"text\":\"Go on.\"}", "nul-2");
    assertThat(next.status()).as(next.text()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(Stored.of(h.db, id).turns()).containsExactly("completed", "completed");
  }

  // ------------------------------------------------------------------ the store dies

  /**
   * The embedded PostgreSQL of a dedicated home (not the test cluster of {@link TestDatabase}) is killed with SIGKILL
   * under a running server: requests fail fast with 503 {@code store_unavailable}, the supervisor restarts it, and the
   * same server answers again without a restart, with everything it acknowledged before.
   *
   * <p>The supervisor restarts PostgreSQL within a few hundred milliseconds, too soon to look at the outage; so the
   * test holds the port (a socket that closes every connection at once) until it has seen the
   * 503s, and the restarts fail until then, as they would while another program held the port.
   */
  @Test
  void embeddedPostgresKilledUnderARunningServer_503WithinTwoSeconds_thenRecoversWithWhatWasAcknowledged(@TempDir Path home) throws Exception {
    try (ServerHarness store = ServerHarness.with(Database.open(StoreConfig.embedded(home)), ServerHarness.agentsDir(), ServerHarness.singleAttempt())) {
      String id = store.newSession();
      store.fake.enqueue(FakeReply.text("Noted: team coaching."));
      Bytes acknowledged = post(store, id, "{\"text\":\"I coach teams.\"}", "before-kill");
      assertThat(acknowledged.status()).as(acknowledged.text()).isEqualTo(200);

      Path data = home.resolve("pg");
      long killed;
      try (HeldPort held = killPostmasterAndHoldItsPort(data)) {
        killed = held.killedPid();
        long t0 = System.nanoTime();
        ServerHarness.Reply during = store.get("/v1/sessions/" + id);
        Duration answeredIn = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(during.status()).as(during.text()).isEqualTo(503);
        assertThat(during.json().at("/error/code").asText()).isEqualTo("store_unavailable");
        assertThat(during.headers()).containsKey("retry-after");
        assertThat(answeredIn).isLessThan(Duration.ofSeconds(2));

        t0 = System.nanoTime();
        Bytes refused = post(store, id, "{\"text\":\"And my prices are low.\"}", "during-outage");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        assertThat(refused.status()).as(refused.text()).isEqualTo(503);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("store_unavailable");
      }

      ServerHarness.Reply after = eventually(Duration.ofSeconds(30), () -> {
        ServerHarness.Reply r = store.get("/v1/sessions/" + id);
        return r.status() == 200 ? r : null;
      });
      assertThat(after.json().path("status").asText()).isEqualTo("active");
      assertThat(postmasterLine(data, 0)).isNotEqualTo(killed);
      assertReplayedByteForByte(store, id, "{\"text\":\"I coach teams.\"}", "before-kill", acknowledged);

      // The message refused during the outage was not acknowledged, nor stored: sent again, it is one turn.
      store.fake.enqueue(FakeReply.text("Why are they low?"));
      Bytes resent = post(store, id, "{\"text\":\"And my prices are low.\"}", "during-outage");
      assertThat(resent.status()).as(resent.text()).isEqualTo(200);
      assertThat(Stored.of(store.db, id))
          .isEqualTo(new Stored(List.of("user", "assistant", "user", "assistant"), List.of("completed", "completed"), 2, false));
      JsonNode messages = store.get("/v1/sessions/" + id + "/messages").json().path("messages");
      assertThat(messages).extracting(m -> m.path("text").asText()).containsExactly("I coach teams.", "Noted: team coaching.", "And my prices are low.",
          "Why are they low?");
    }
  }

  /**
   * The port of a killed postmaster, taken by a listening socket that closes every connection at once: PostgreSQL
   * cannot bind it, so restarts fail until this is closed, and a client is refused without waiting.
   */
  private record HeldPort(ServerSocket socket, long killedPid) implements AutoCloseable {
    HeldPort {
      Thread.ofVirtual().name("held-port-" + socket.getLocalPort()).start(() -> {
        while (!socket.isClosed()) {
          try {
            socket.accept().close();
          } catch (IOException e) {
            // closed: done
          }
        }
      });
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /**
   * Kills the postmaster of {@code data} and its children (SIGKILL) and binds its port before the supervisor restarts
   * it; kills the restarted one (up to five times) when the restart won the race.
   */
  private static HeldPort killPostmasterAndHoldItsPort(Path data) throws IOException, InterruptedException {
    long previous = -1;
    for (int attempt = 1; attempt <= 5; attempt++) {
      long before = previous;
      ProcessHandle postmaster = eventually(Duration.ofSeconds(20), () -> livePostmaster(data).filter(p -> p.pid() != before).orElse(null));
      previous = postmaster.pid();
      int port = (int) postmasterLine(data, 3);
      List<ProcessHandle> children = postmaster.children().toList();
      postmaster.destroyForcibly();
      children.forEach(ProcessHandle::destroyForcibly);
      long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() - deadline < 0) {
        ServerSocket socket = new ServerSocket();
        try {
          // The killed server's connections linger in TIME_WAIT on this port.
          socket.setReuseAddress(true);
          socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        } catch (IOException e) {
          socket.close();
          if (!postmaster.isAlive() && livePostmaster(data).filter(p -> p.pid() != postmaster.pid()).isPresent()) {
            break; // restarted already: kill that one
          }
          Thread.sleep(1);
          continue;
        }
        eventually(Duration.ofSeconds(5), () -> !postmaster.isAlive() && children.stream().noneMatch(ProcessHandle::isAlive) ? true : null);
        return new HeldPort(socket, postmaster.pid());
      }
    }
    throw new AssertionError("could not hold the port of the embedded PostgreSQL of " + data + " after killing it five times");
  }

  /** The live postmaster {@code postmaster.pid} names; empty while it is missing, incomplete or stale. */
  private static Optional<ProcessHandle> livePostmaster(Path data) {
    try {
      return ProcessHandle.of(postmasterLine(data, 0)).filter(ProcessHandle::isAlive);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Line {@code index} of {@code postmaster.pid} as a number: 0 is the process id, 3 the port. */
  private static long postmasterLine(Path data, int index) throws IOException {
    return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(index).strip());
  }

  // ------------------------------------------------------------------ helpers

  /** A reply as bytes (what "byte for byte" compares), with its status and headers. */
  record Bytes(int status, byte[] body, Map<String, String> headers) {
    String text() {
      return new String(body, UTF_8);
    }

    JsonNode json() {
      return Json.parse(text());
    }
  }

  private static Bytes post(ServerHarness server, String session, String body, String key) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.url("/v1/sessions/" + session + "/messages")))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + server.key)
        .header("Idempotency-Key", key)
        .build();
    try {
      HttpResponse<byte[]> r = server.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      Map<String, String> headers = new LinkedHashMap<>();
      r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
      return new Bytes(r.statusCode(), r.body(), headers);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The same request again: the stored reply, byte for byte, without calling the model or storing anything. */
  private static void assertReplayedByteForByte(ServerHarness server, String session, String body, String key, Bytes original) {
    int calls = server.fake.requestCount();
    Stored before = Stored.of(server.db, session);
    Bytes again = post(server, session, body, key);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body()).isEqualTo(original.body());
    assertThat(again.headers()).containsEntry("idempotent-replayed", "true");
    assertThat(server.fake.requestCount()).isEqualTo(calls);
    assertThat(Stored.of(server.db, session)).isEqualTo(before);
  }

  /**
   * What the store holds for one session: message kinds and turn statuses in order, idempotency keys, and whether
   * a turn still holds the session's lease.
   */
  record Stored(List<String> messages, List<String> turns, int keys, boolean leased) {
    static Stored of(Database db, String session) {
      UUID id = UUID.fromString(session);
      return db.jdbi().withHandle(x -> new Stored(
          x.createQuery("SELECT kind FROM agent_messages WHERE session_id = :s ORDER BY seq").bind("s", id).mapTo(String.class).list(),
          x.createQuery("SELECT status FROM agent_turns WHERE session_id = :s ORDER BY seq").bind("s", id).mapTo(String.class).list(),
          x.createQuery("SELECT count(*) FROM idempotency_keys WHERE session_id = :s").bind("s", id).mapTo(Integer.class).one(),
          x.createQuery("SELECT active_turn IS NOT NULL OR lease_token IS NOT NULL FROM sessions WHERE id = :s").bind("s", id)
              .mapTo(Boolean.class).one()));
    }
  }

  /** Rows of every table a request could write to, across all sessions. */
  record Counts(long sessions, long messages, long turns, long keys, long events, long signals) {
    static Counts of(Database db) {
      return db.jdbi().withHandle(x -> x.createQuery("""
          SELECT (SELECT count(*) FROM sessions), (SELECT count(*) FROM agent_messages), (SELECT count(*) FROM agent_turns),
                 (SELECT count(*) FROM idempotency_keys), (SELECT count(*) FROM agent_events), (SELECT count(*) FROM signals)""")
          .map((rs, ctx) -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6))).one());
    }
  }

  /** The failed turn's stored error (turn row and error event) names the failure without the provider's NUL. */
  private static boolean storedErrorsHoldNoNul(Database db, String session) {
    UUID id = UUID.fromString(session);
    return db.jdbi().withHandle(x -> {
      String message = x.createQuery("SELECT error_message FROM agent_turns WHERE session_id = :s").bind("s", id).mapTo(String.class).one();
      List<String> events = x.createQuery("SELECT data::text FROM agent_events WHERE session_id = :s AND type = 'error'").bind("s", id)
          .mapTo(String.class).list();
      return message != null && !message.isBlank() && !message.contains("\u0000") && events.size() == 1 && !events.getFirst().contains("\\u0000");
    });
  }

  /** A copy of the example agents whose {@code turn_timeout_seconds} is {@code seconds}. */
  private static Path copyWithTurnTimeout(Path tmp, String seconds) throws IOException {
    Path source = ServerHarness.agentsDir();
    Path target = tmp.resolve("agents");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : files.toList()) {
        Path to = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    Path yaml = target.resolve("coachmira/agent.yaml");
    String text = Files.readString(yaml);
    assertThat(text).contains("turn_timeout_seconds: 120");
    Files.writeString(yaml, text.replace("turn_timeout_seconds: 120", "turn_timeout_seconds: " + seconds));
    return target;
  }

  /** The first non-null value of {@code attempt} within {@code limit}, polling every 50 ms. */
  private static <T> T eventually(Duration limit, Supplier<@Nullable T> attempt) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() - deadline < 0) {
      T value = attempt.get();
      if (value != null) {
        return value;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("nothing within " + limit.toMillis() + " ms");
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** Writes to {@code first} and keeps a copy in {@code copy}. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final ByteArrayOutputStream copy;

    Tee(OutputStream first, ByteArrayOutputStream copy) {
      this.first = first;
      this.copy = copy;
    }

    @Override
    public void write(int b) throws IOException {
      first.write(b);
      synchronized (copy) {
        copy.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      first.write(b, off, len);
      synchronized (copy) {
        copy.write(b, off, len);
      }
    }

    @Override
    public void flush() throws IOException {
      first.flush();
    }
  }
}
