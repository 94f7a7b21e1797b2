package dev.parley.server;

import static java.util.Objects.requireNonNull;

import dev.parley.store.ApiKeys;
import dev.parley.store.TenantId;
import io.javalin.http.Context;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
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
    if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), adminToken.get().getBytes(StandardCharsets.UTF_8))) {
      throw new ApiError(401, "unauthorized", "invalid admin token");
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
