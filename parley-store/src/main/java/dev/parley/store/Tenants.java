package dev.parley.store;

import static java.util.Objects.requireNonNull;

import dev.parley.core.error.BadInputException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Tenants by name. A tenant is created the first time something names it (an import, an API key). */
public final class Tenants {
  static final int MAX_NAME_LENGTH = 200;

  private final Jdbi jdbi;

  public Tenants(Jdbi jdbi) {
    this.jdbi = requireNonNull(jdbi, "jdbi is null");
  }

  /** The id of tenant {@code name}, creating the tenant if it does not exist. */
  public TenantId ensure(String name) {
    return jdbi.withHandle(handle -> ensure(handle, name));
  }

  /** As {@link #ensure(String)}, inside the caller's transaction. */
  public static TenantId ensure(Handle handle, String name) {
    validateName(name);
    Optional<TenantId> existing = find(handle, name);
    if (existing.isPresent()) {
      return existing.get();
    }
    Optional<Long> created = handle.createQuery("INSERT INTO tenants (name) VALUES (:name) ON CONFLICT (name) DO NOTHING RETURNING id")
        .bind("name", name)
        .mapTo(Long.class)
        .findOne();
    // Empty when another transaction created it meanwhile: it is visible now.
    return created.map(TenantId::new).orElseGet(() -> find(handle, name)
        .orElseThrow(() -> new IllegalStateException("tenant '" + name + "' was neither created nor found")));
  }

  public Optional<TenantId> find(String name) {
    requireNonNull(name, "name is null");
    return jdbi.withHandle(handle -> find(handle, name));
  }

  static Optional<TenantId> find(Handle handle, String name) {
    return handle.createQuery("SELECT id FROM tenants WHERE name = :name")
        .bind("name", name)
        .mapTo(Long.class)
        .findOne()
        .map(TenantId::new);
  }

  public Optional<String> name(TenantId id) {
    requireNonNull(id, "id is null");
    return jdbi.withHandle(handle -> name(handle, id));
  }

  static Optional<String> name(Handle handle, TenantId id) {
    return handle.createQuery("SELECT name FROM tenants WHERE id = :id")
        .bind("id", id.value())
        .mapTo(String.class)
        .findOne();
  }

  public List<Tenant> list() {
    return jdbi.withHandle(handle -> handle.createQuery("SELECT id, name, created_at FROM tenants ORDER BY id")
        .map((rs, ctx) -> new Tenant(new TenantId(rs.getLong("id")), rs.getString("name"),
            rs.getObject("created_at", OffsetDateTime.class).toInstant()))
        .list());
  }

  /** Tenant names come from command lines and files: non-blank, at most 200 characters, no control characters. */
  public static void validateName(String name) {
    requireNonNull(name, "name is null");
    if (name.isBlank()) {
      throw new BadInputException("tenant name is blank");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw new BadInputException("tenant name must have at most " + MAX_NAME_LENGTH + " characters, has " + name.length());
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw new BadInputException("tenant name must not contain control characters: " + name.strip());
    }
  }
}
