package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.core.error.BadInputException;
import dev.parley.core.hash.ContentHash;
import dev.parley.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class ApiKeysTest {
  private Database db;
  private ApiKeys keys;

  @BeforeEach
  void open() {
    db = TestDatabase.fresh();
    keys = new ApiKeys(db.jdbi());
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void create_newTenant_createsTenantAndAuthenticates() {
    ApiKeys.CreatedKey created = keys.create("acme");

    TenantId acme = new Tenants(db.jdbi()).find("acme").orElseThrow();
    assertThat(created.stored().tenant()).isEqualTo(acme);
    assertThat(keys.authenticate(created.key())).contains(acme);
  }

  @Test
  void create_key_hasFormatAndDisplayPrefix() {
    ApiKeys.CreatedKey created = keys.create("default");

    assertThat(created.key()).matches("pk_[A-Za-z0-9_-]{43}");
    assertThat(created.stored().prefix()).isEqualTo(created.key().substring(0, 11));
    assertThat(created.stored().tenant()).isEqualTo(TenantId.DEFAULT);
    assertThat(created.toString()).doesNotContain(created.key());
  }

  @Test
  void create_key_storesOnlyItsHash() {
    ApiKeys.CreatedKey created = keys.create("acme");

    List<Map<String, Object>> rows = db.jdbi().withHandle(h -> h.createQuery("SELECT * FROM api_keys").mapToMap().list());
    assertThat(rows).hasSize(1);
    assertThat(rows.getFirst().values()).noneSatisfy(value -> assertThat(String.valueOf(value)).contains(created.key().substring(3)));
    assertThat(rows.getFirst().get("key_hash")).isEqualTo(ContentHash.sha256Hex(created.key()));
  }

  @Test
  void authenticate_revokedKey_fails() {
    ApiKeys.CreatedKey created = keys.create("acme");

    assertThat(keys.revoke(created.stored().tenant(), created.stored().id())).isTrue();

    assertThat(keys.authenticate(created.key())).isEmpty();
    assertThat(keys.revoke(created.stored().tenant(), created.stored().id())).isFalse();
    assertThat(keys.list(created.stored().tenant())).singleElement().satisfies(k -> assertThat(k.active()).isFalse());
  }

  @Test
  void revoke_otherTenantsKey_isRefused() {
    ApiKeys.CreatedKey created = keys.create("acme");

    assertThat(keys.revoke(TenantId.DEFAULT, created.stored().id())).isFalse();

    assertThat(keys.authenticate(created.key())).isPresent();
  }

  @Test
  void authenticate_unknownOrMalformedKey_fails() {
    ApiKeys.CreatedKey created = keys.create("acme");
    String tampered = created.key().substring(0, created.key().length() - 1) + (created.key().endsWith("A") ? "B" : "A");

    assertThat(keys.authenticate(tampered)).isEmpty();
    assertThat(keys.authenticate("")).isEmpty();
    assertThat(keys.authenticate("Bearer " + created.key())).isEmpty();
  }

  @Test
  void create_twoKeys_differ() {
    assertThat(keys.create("acme").key()).isNotEqualTo(keys.create("acme").key());
    assertThat(keys.list(new Tenants(db.jdbi()).ensure("acme"))).hasSize(2);
  }

  @Test
  void create_blankTenant_isBadInput() {
    assertThrows(BadInputException.class, () -> keys.create(" "));
  }
}
