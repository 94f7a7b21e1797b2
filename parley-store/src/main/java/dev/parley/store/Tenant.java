package dev.parley.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** A row of {@code tenants}. */
public record Tenant(TenantId id, String name, Instant createdAt) {
  public Tenant {
    requireNonNull(id, "id is null");
    requireNonNull(name, "name is null");
    requireNonNull(createdAt, "createdAt is null");
  }
}
