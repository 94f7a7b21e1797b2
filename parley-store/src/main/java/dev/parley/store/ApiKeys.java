package dev.parley.store;

import static java.util.Objects.requireNonNull;

import dev.parley.core.hash.ContentHash;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * API keys of the HTTP API. A key is {@code pk_} followed by 32 random bytes (base64url, no padding);
 * only its SHA-256 is stored, so the key is shown once, when created, and a copy of the database
 * grants nothing. A plain (unsalted) hash is enough: the key has 256 random bits, nothing to guess.
 */
public final class ApiKeys {
  static final String PREFIX = "pk_";
  static final int RANDOM_BYTES = 32;
  /** {@code pk_} + 43 base64url characters. */
  static final int KEY_LENGTH = PREFIX.length() + 43;
  /** Characters kept for display: {@code pk_} and 8 of the random part. */
  static final int DISPLAY_PREFIX_LENGTH = PREFIX.length() + 8;

  private final Jdbi jdbi;
  private final SecureRandom random;

  public ApiKeys(Jdbi jdbi) {
    this(jdbi, new SecureRandom());
  }

  public ApiKeys(Jdbi jdbi, SecureRandom random) {
    this.jdbi = requireNonNull(jdbi, "jdbi is null");
    this.random = requireNonNull(random, "random is null");
  }

  /** A new key, in plain text only in this value. */
  public record CreatedKey(ApiKey stored, String key) {
    public CreatedKey {
      requireNonNull(stored, "stored is null");
      requireNonNull(key, "key is null");
    }

    @Override
    public String toString() {
      return "CreatedKey[" + stored + "]"; // never the key itself
    }
  }

  /** Creates a key for tenant {@code tenantName} (creating the tenant if missing). */
  public CreatedKey create(String tenantName) {
    Tenants.validateName(tenantName);
    byte[] bytes = new byte[RANDOM_BYTES];
    random.nextBytes(bytes);
    String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    String prefix = key.substring(0, DISPLAY_PREFIX_LENGTH);
    return jdbi.inTransaction(handle -> {
      TenantId tenant = Tenants.ensure(handle, tenantName);
      ApiKey stored = handle.createQuery("""
              INSERT INTO api_keys (tenant_id, key_hash, prefix) VALUES (:tenant, :hash, :prefix)
              RETURNING id, tenant_id, prefix, created_at, revoked_at""")
          .bind("tenant", tenant.value())
          .bind("hash", hash(key))
          .bind("prefix", prefix)
          .map((rs, ctx) -> row(rs))
          .one();
      return new CreatedKey(stored, key);
    });
  }

  /** The tenant of an active key; empty for an unknown, revoked or malformed key. */
  public Optional<TenantId> authenticate(String key) {
    if (key == null || key.length() != KEY_LENGTH || !key.startsWith(PREFIX)) {
      return Optional.empty(); // not a key: no query
    }
    return jdbi.withHandle(handle -> handle.createQuery("SELECT tenant_id FROM api_keys WHERE key_hash = :hash AND revoked_at IS NULL")
        .bind("hash", hash(key))
        .mapTo(Long.class)
        .findOne()
        .map(TenantId::new));
  }

  /** Revokes key {@code id} of {@code tenant}; false when the tenant has no such active key. */
  public boolean revoke(TenantId tenant, long id) {
    requireNonNull(tenant, "tenant is null");
    return jdbi.withHandle(handle -> handle.createUpdate("UPDATE api_keys SET revoked_at = now() WHERE tenant_id = :tenant AND id = :id AND revoked_at IS NULL")
        .bind("tenant", tenant.value())
        .bind("id", id)
        .execute()) == 1;
  }

  /** The tenant's keys, oldest first (revoked ones included). */
  public List<ApiKey> list(TenantId tenant) {
    requireNonNull(tenant, "tenant is null");
    return jdbi.withHandle(handle -> handle.createQuery("SELECT id, tenant_id, prefix, created_at, revoked_at FROM api_keys WHERE tenant_id = :tenant ORDER BY id")
        .bind("tenant", tenant.value())
        .map((rs, ctx) -> row(rs))
        .list());
  }

  /** SHA-256 hex of the whole key, as stored in {@code api_keys.key_hash}. */
  static String hash(String key) {
    return ContentHash.sha256Hex(key);
  }

  private static ApiKey row(ResultSet rs) throws SQLException {
    OffsetDateTime revoked = rs.getObject("revoked_at", OffsetDateTime.class);
    return new ApiKey(
        rs.getLong("id"),
        new TenantId(rs.getLong("tenant_id")),
        rs.getString("prefix"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        Optional.ofNullable(revoked).map(OffsetDateTime::toInstant));
  }
}
