package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code PUT /v1/admin/flags/{name}}: strict types, so a typo never flips a flag. */
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
}
