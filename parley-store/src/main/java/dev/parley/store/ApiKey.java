package dev.parley.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * An API key as stored: never the key itself, only its display prefix.
 *
 * @param prefix the key's first characters, to tell keys apart in listings
 */
public record ApiKey(long id, TenantId tenant, String prefix, Instant createdAt, Optional<Instant> revokedAt) {
  public ApiKey {
    requireNonNull(tenant, "tenant is null");
    requireNonNull(prefix, "prefix is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(revokedAt, "revokedAt is null");
  }

  public boolean active() {
    return revokedAt.isEmpty();
  }
}
