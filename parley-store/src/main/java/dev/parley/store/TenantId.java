package dev.parley.store;

/**
 * A tenant's id. Every query on tenant data takes one, so data of one tenant never reaches another.
 *
 * @param value the {@code tenants.id} column
 */
public record TenantId(long value) {
  /** The {@code default} tenant, created by migration V1 with id 1: the tenant of the command line. */
  public static final TenantId DEFAULT = new TenantId(1);
  public static final String DEFAULT_NAME = "default";

  public TenantId {
    if (value < 1) {
      throw new IllegalArgumentException("tenant id must be >= 1, was " + value);
    }
  }

  @Override
  public String toString() {
    return "tenant " + value;
  }
}
