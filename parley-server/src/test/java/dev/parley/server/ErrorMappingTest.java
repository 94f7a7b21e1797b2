package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.json.Json;
import io.javalin.apibuilder.ApiBuilder;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every error the API returns, from a route or from Javalin, is {@code {"error":{"code","message"}}} with a stable code. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class ErrorMappingTest {
  private ServerHarness h;

  @BeforeAll
  void start() {
    ParleyServer.RouteExtension failing = auth -> {
      ApiBuilder.get("/v1/test/internal", ctx -> {
        throw new IllegalStateException("dev.parley.secret.Thing broke at /srv/parley/x");
      });
      ApiBuilder.get("/v1/test/database", ctx -> {
        throw new IllegalStateException("pool", new SQLException("Connection to 127.0.0.1:5432 refused", "08001", new ConnectException("refused")));
      });
      ApiBuilder.get("/v1/test/wrapped", ctx -> {
        throw new dev.parley.core.error.BadInputException("bad: java.io.UncheckedIOException: java.net.SocketException: reset");
      });
    };
    h = new ServerHarness(c -> c, failing);
  }

  @AfterAll
  void stop() {
    h.close();
  }

  private static void assertShape(ServerHarness.Reply r, int status, String code) {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.headers().get("content-type")).as(r.text()).startsWith("application/json");
    assertThat(r.json().at("/error/code").asText()).as(r.text()).isEqualTo(code);
    assertThat(r.json().at("/error/message").asText()).as(r.text()).isNotBlank().doesNotContain("Exception").doesNotContain("java.");
  }

  @Test
  void unknownRoute_404() {
    assertShape(h.get("/v1/nothing"), 404, "not_found");
    assertShape(h.send("GET", "/", Optional.empty(), Map.of()), 404, "not_found");
  }

  @Test
  void knownRouteWrongMethod_405() {
    assertShape(h.send("DELETE", "/v1/sessions", Optional.empty(), Map.of("Authorization", "Bearer " + h.key)), 405, "method_not_allowed");
    assertShape(h.send("POST", "/health", Optional.of("{}"), Map.of()), 405, "method_not_allowed");
  }

  @Test
  void chunkedBody_411InTheShape() {
    String chunk = "{\"agent\":\"coachmira\"}";
    String response = h.raw("POST /v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer " + h.key
        + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 411").containsIgnoringCase("content-type: application/json");
    assertThat(Json.parse(response.substring(response.indexOf("\r\n\r\n") + 4)).at("/error/code").asText()).isEqualTo("length_required");
  }

  @Test
  void bodyOverTheLimit_413() {
    assertShape(h.post("/v1/sessions", "{\"agent\":\"" + "x".repeat(300 * 1024) + "\"}"), 413, "payload_too_large");
  }

  @Test
  void internalError_500WithAnIncidentIdAndNoClassOrDetail() {
    ServerHarness.Reply r = h.get("/v1/test/internal");
    assertShape(r, 500, "internal_error");
    assertThat(r.json().at("/error/message").asText()).matches("internal error [0-9a-f-]{36}; the server log has the details")
        .doesNotContain("IllegalState").doesNotContain("secret");
  }

  @Test
  void databaseUnreachable_503DatabaseUnavailableAndCounted() {
    ServerHarness.Reply r = h.get("/v1/test/database");
    assertShape(r, 503, "store_unavailable");
    assertThat(r.headers()).containsEntry("retry-after", "5");
    assertThat(h.scrape()).containsPattern("parley_db_connection_failures_total\\{source=\"request\"} [1-9]");
  }

  @Test
  void classNamesInAMessageFromBelow_removed() {
    ServerHarness.Reply r = h.get("/v1/test/wrapped");
    assertShape(r, 400, "bad_request");
    assertThat(r.json().at("/error/message").asText()).isEqualTo("bad: reset");
  }

  @Test
  void clientMessage_keepsWordsThatOnlyLookLikeNames() {
    assertThat(ErrorMapping.clientMessage("unknown flag 'MyError'")).isEqualTo("unknown flag 'MyError'");
    assertThat(ErrorMapping.clientMessage("failed: IllegalArgumentException: x")).isEqualTo("failed: x");
  }
}
