package dev.parley.server;

import static java.util.Objects.requireNonNull;

import dev.parley.store.ApiKeys;
import dev.parley.store.TenantId;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/** Bearer API keys (hashed at rest by {@link ApiKeys}); the tenant goes on the request. */
final class Auth {
  static final String TENANT = "parley.tenant";

  private final ApiKeys keys;
  private final Optional<String> adminToken;

  Auth(ApiKeys keys, Optional<String> adminToken) {
    this.keys = requireNonNull(keys, "keys is null");
    this.adminToken = requireNonNull(adminToken, "adminToken is null");
  }

  /** Before-handler of the tenant API: 401 without a valid key. */
  void tenant(Context ctx) {
    if (ctx.method().name().equals("OPTIONS")) {
      return; // CORS preflight carries no credentials
    }
    String key = bearer(ctx).orElseThrow(() -> new ApiError(401, "unauthorized", "missing API key: send Authorization: Bearer <key>"));
    TenantId tenant = keys.authenticate(key).orElseThrow(() -> new ApiError(401, "unauthorized", "invalid or revoked API key"));
    ctx.attribute(TENANT, tenant);
  }

  /** Before-handler of the admin API: the configured admin token, compared in constant time. */
  void admin(Context ctx) {
    if (adminToken.isEmpty()) {
      throw new ApiError(403, "forbidden", "the admin API is off: start the server with PARLEY_ADMIN_TOKEN set");
    }
    String presented = bearer(ctx).orElseThrow(() -> new ApiError(401, "unauthorized", "missing admin token: send Authorization: Bearer <token>"));
    if (!sameToken(presented, adminToken.get())) {
      throw new ApiError(401, "unauthorized", "invalid admin token");
    }
  }

  /**
   * Whether the request carries a valid tenant API key or the admin token; never throws for a missing or
   * wrong one (the routes that ask show less instead of refusing).
   */
  boolean authenticated(Context ctx) {
    Optional<String> presented = bearer(ctx);
    if (presented.isEmpty()) {
      return false;
    }
    if (adminToken.isPresent() && sameToken(presented.get(), adminToken.get())) {
      return true;
    }
    return keys.authenticate(presented.get()).isPresent();
  }

  /** A before-handler requiring {@code token} as the bearer token (the metrics scrape). */
  static io.javalin.http.Handler requireToken(String token, String what) {
    requireNonNull(token, "token is null");
    return ctx -> {
      String presented = bearer(ctx).orElseThrow(() -> new ApiError(401, "unauthorized", "missing " + what + " token: send Authorization: Bearer <token>"));
      if (!sameToken(presented, token)) {
        throw new ApiError(401, "unauthorized", "invalid " + what + " token");
      }
    };
  }

  /**
   * Compares in constant time. Both sides are hashed first: {@link MessageDigest#isEqual} takes time that
   * depends on the lengths when they differ, and a digest's length is fixed.
   */
  static boolean sameToken(String presented, String expected) {
    return MessageDigest.isEqual(sha256(presented), sha256(expected));
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  static TenantId tenantOf(Context ctx) {
    TenantId tenant = ctx.attribute(TENANT);
    if (tenant == null) {
      throw new IllegalStateException("no tenant on the request: the auth before-handler did not run for " + ctx.path());
    }
    return tenant;
  }

  private static Optional<String> bearer(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String value = header.substring(7).strip();
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }
}
