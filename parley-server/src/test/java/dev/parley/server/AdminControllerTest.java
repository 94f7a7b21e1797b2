package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.agent.flags.FlagRepository;
import dev.parley.fakes.FakeReply;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code PUT /v1/admin/flags/{name}}: strict types, so a typo never flips a flag; rollout guards; the
 * decision gate {@code GET /v1/admin/gate}; the server's scheduled rollout guard.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class AdminControllerTest {
  private static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer admin-token-0123456789");

  private ServerHarness h;

  @BeforeAll
  void start() {
    h = new ServerHarness(c -> c.withAdminToken(Optional.of("admin-token-0123456789")));
  }

  @AfterAll
  void stop() {
    h.close();
  }

  private ServerHarness.Reply put(String flag, String body) {
    return h.send("PUT", "/v1/admin/flags/" + flag, Optional.of(body), ADMIN);
  }

  private boolean enabled(String flag) {
    for (var f : h.send("GET", "/v1/admin/flags", Optional.empty(), ADMIN).json().path("flags")) {
      if (f.path("name").asText().equals(flag)) {
        return f.path("enabled").asBoolean();
      }
    }
    throw new AssertionError("no flag " + flag);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"enabled\":\"yes\"}", "{\"enabled\":\"false\"}", "{\"enabled\":0}", "{\"enabled\":[]}"})
  void put_enabledNotABoolean_400AndFlagUnchanged(String body) {
    assertThat(put("modular_prompts", "{\"enabled\":true}").status()).isEqualTo(200);
    ServerHarness.Reply r = put("modular_prompts", body);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("invalid_field");
    assertThat(r.json().at("/error/field").asText()).isEqualTo("enabled");
    assertThat(r.json().at("/error/message").asText()).startsWith("'enabled' must be true or false");
    assertThat(enabled("modular_prompts")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"rollout\":5.5}", "{\"rollout\":\"5\"}", "{\"rollout\":101}", "{\"rollout\":-1}", "{\"rollout\":1e2}",
      "{\"rollout\":99999999999}"})
  void put_rolloutNotAnIntegerInRange_400(String body) {
    ServerHarness.Reply r = put("context_window", body);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().at("/error/field").asText()).isEqualTo("rollout");
    assertThat(r.json().at("/error/message").asText()).startsWith("'rollout' must be an integer in [0, 100]");
  }

  @Test
  void put_unknownFieldOrNothingToChange_400() {
    ServerHarness.Reply unknown = put("context_window", "{\"enabled\":true,\"rolout\":5}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().at("/error/code").asText()).isEqualTo("unknown_field");
    assertThat(unknown.json().at("/error/field").asText()).isEqualTo("rolout");
    assertThat(put("context_window", "{}").status()).isEqualTo(400);
    assertThat(put("context_window", "").status()).isEqualTo(400);
    assertThat(put("context_window", "true").json().at("/error/code").asText()).isEqualTo("bad_request");
  }

  @Test
  void put_valid_changesOnlyWhatWasSent() {
    ServerHarness.Reply rollout = put("prompt_caching", "{\"rollout\":25}");
    assertThat(rollout.status()).isEqualTo(200);
    assertThat(rollout.json().path("rollout").asInt()).isEqualTo(25);
    ServerHarness.Reply off = put("prompt_caching", "{\"enabled\":false}");
    assertThat(off.json().path("enabled").asBoolean()).isFalse();
    assertThat(off.json().path("rollout").asInt()).isEqualTo(25);
  }

  @Test
  void put_guard_storedListedAndChangedPiecewise() {
    ServerHarness.Reply r = put("prompt_caching", "{\"rollout\":40,\"guard\":{\"max_error_rate\":0.02,\"min_turns\":10}}");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().path("rollout").asInt()).isEqualTo(40);
    assertThat(r.json().path("guard").toString())
        .isEqualTo("{\"enabled\":true,\"max_error_rate\":0.02,\"min_turns\":10,\"window_seconds\":900}");
    ServerHarness.Reply off = put("prompt_caching", "{\"guard\":{\"enabled\":false,\"window_seconds\":60}}");
    assertThat(off.status()).isEqualTo(200);
    assertThat(off.json().path("rollout").asInt()).isEqualTo(40);
    assertThat(off.json().path("guard").toString())
        .isEqualTo("{\"enabled\":false,\"max_error_rate\":0.02,\"min_turns\":10,\"window_seconds\":60}");
    JsonNode listed = flag("prompt_caching");
    assertThat(listed.path("guard")).isEqualTo(off.json().path("guard"));
    // A change without "guard" keeps the guard.
    assertThat(put("prompt_caching", "{\"rollout\":50}").json().path("guard")).isEqualTo(off.json().path("guard"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"guard\":{\"max_error_rate\":\"0.01\"}}|invalid_field|guard.max_error_rate",
      "{\"guard\":{\"max_error_rate\":1.5}}|invalid_field|guard.max_error_rate",
      "{\"guard\":{\"min_turns\":0}}|invalid_field|guard.min_turns",
      "{\"guard\":{\"min_turns\":2.5}}|invalid_field|guard.min_turns",
      "{\"guard\":{\"window_seconds\":2592001}}|invalid_field|guard.window_seconds",
      "{\"guard\":{\"enabled\":\"true\"}}|invalid_field|guard.enabled",
      "{\"guard\":{\"windows\":5}}|unknown_field|guard.windows",
      "{\"guard\":true}|invalid_field|guard",
      "{\"guard\":{}}|invalid_field|guard"})
  void put_guardInvalid_400NamingTheFieldAndFlagUnchanged(String body, String code, String field) {
    JsonNode before = flag("modular_prompts");
    ServerHarness.Reply r = put("modular_prompts", body);
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.json().at("/error/code").asText()).isEqualTo(code);
    assertThat(r.json().at("/error/field").asText()).isEqualTo(field);
    assertThat(flag("modular_prompts").path("guard")).isEqualTo(before.path("guard"));
  }

  @Test
  void gate_adminToken_figuresOfTheStoredSessions() {
    assertThat(h.send("GET", "/v1/admin/gate", Optional.empty(), Map.of()).status()).isEqualTo(401);
    assertThat(h.get("/v1/admin/gate").status()).isEqualTo(401); // a tenant's API key is not the admin token
    ServerHarness.Reply r = h.send("GET", "/v1/admin/gate?agent=no-such-agent&since=2025-01-01", Optional.empty(), ADMIN);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().path("flag").asText()).isEqualTo("context_window");
    assertThat(r.json().path("agent").asText()).isEqualTo("no-such-agent");
    assertThat(r.json().path("since").asText()).isEqualTo("2025-01-01T00:00:00Z");
    assertThat(r.json().at("/arms/all/sessions").asLong()).isZero();
    assertThat(r.json().at("/arms/on/turns_per_completed_session/avg").isNull()).isTrue();
    assertThat(r.json().at("/repeats/method").asText()).isEqualTo("token_jaccard");
    ServerHarness.Reply modular = h.send("GET", "/v1/admin/gate?flag=modular_prompts", Optional.empty(), ADMIN);
    assertThat(modular.status()).isEqualTo(200);
    assertThat(modular.json().path("flag").asText()).isEqualTo("modular_prompts");
    assertThat(modular.json().path("agent").isNull()).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"flag=context_windw|flag", "since=yesterday|since", "sinse=2025-01-01|sinse"})
  void gate_badQuery_400NamingTheParameter(String query, String field) {
    ServerHarness.Reply r = h.send("GET", "/v1/admin/gate?" + query, Optional.empty(), ADMIN);
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.json().at("/error/field").asText()).isEqualTo(field);
  }

  /** The server runs the rollout guard on its own: failing turns with the flag on step it back to 0 %. */
  @Test
  void server_guardedFlagWithFailingTurns_rolledBackByTheScheduledGuard() throws InterruptedException {
    try (ServerHarness s = new ServerHarness(c -> c.withAdminToken(Optional.of("admin-token-0123456789")).withFlagGuardInterval(Duration.ofSeconds(1)))) {
      ServerHarness.Reply set = s.send("PUT", "/v1/admin/flags/context_window",
          Optional.of("{\"rollout\":100,\"guard\":{\"max_error_rate\":0.5,\"min_turns\":3}}"), ADMIN);
      assertThat(set.status()).as(set.text()).isEqualTo(200);
      s.fake.respondWith(req -> FakeReply.serverError());
      String session = s.newSession();
      for (int i = 0; i < 3; i++) {
        assertThat(s.post("/v1/sessions/" + session + "/messages", "{\"text\":\"hello " + i + "\"}").status()).isEqualTo(502);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      int rollout = 100;
      while (rollout != 0 && System.nanoTime() < deadline) {
        Thread.sleep(200);
        for (JsonNode f : s.send("GET", "/v1/admin/flags", Optional.empty(), ADMIN).json().path("flags")) {
          if (f.path("name").asText().equals("context_window")) {
            rollout = f.path("rollout").asInt();
          }
        }
      }
      assertThat(rollout).isZero();
      assertThat(new FlagRepository(s.db.jdbi()).events("context_window")).singleElement()
          .satisfies(e -> assertThat(e.data().path("errors").asLong()).isEqualTo(3));
      assertThat(s.scrape()).contains("parley_flag_rollbacks_total{parley_flag=\"context_window\"} 1.0");
    }
  }

  private JsonNode flag(String name) {
    for (JsonNode f : h.send("GET", "/v1/admin/flags", Optional.empty(), ADMIN).json().path("flags")) {
      if (f.path("name").asText().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no flag " + name);
  }
}
