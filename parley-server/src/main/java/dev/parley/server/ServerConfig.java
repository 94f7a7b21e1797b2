package dev.parley.server;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * HTTP server settings, validated once at start-up.
 *
 * @param port TCP port; 0 picks a free one (tests)
 * @param host interface to bind; {@link #DEFAULT_HOST} (this machine only) unless an operator opens it up
 * @param maxBodyBytes request bodies larger than this are refused with 413
 * @param corsOrigins origins allowed to call the API from a browser; empty = CORS off
 * @param adminToken bearer token of the admin API (flags); empty = admin API off
 * @param recoveryInterval how often turns of dead processes are marked interrupted
 * @param metricsPort serve {@code /metrics} on this port (same host) instead of the API's; 0 picks a free one
 * @param metricsToken bearer token {@code /metrics} requires; empty = open to whoever reaches its port
 * @param flagGuardInterval how often the rollout guard judges the guarded flags (default 30 s)
 */
public record ServerConfig(int port, String host, long maxBodyBytes, List<String> corsOrigins, Optional<String> adminToken, Duration recoveryInterval,
    OptionalInt metricsPort, Optional<String> metricsToken, Duration flagGuardInterval) {
  public static final Duration DEFAULT_FLAG_GUARD_INTERVAL = Duration.ofSeconds(30);
  public static final long DEFAULT_MAX_BODY_BYTES = 256 * 1024;
  /** Loopback: a server reachable from other machines is a decision, made with {@code --host}. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  static final int MIN_TOKEN_CHARS = 16;

  public ServerConfig {
    requireNonNull(host, "host is null");
    corsOrigins = List.copyOf(requireNonNull(corsOrigins, "corsOrigins is null"));
    requireNonNull(adminToken, "adminToken is null");
    requireNonNull(recoveryInterval, "recoveryInterval is null");
    requireNonNull(metricsPort, "metricsPort is null");
    requireNonNull(metricsToken, "metricsToken is null");
    requireNonNull(flagGuardInterval, "flagGuardInterval is null");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
    }
    if (maxBodyBytes < 1_024 || maxBodyBytes > 64L * 1024 * 1024) {
      throw new IllegalArgumentException("maxBodyBytes must be in [1024, 67108864], was " + maxBodyBytes);
    }
    adminToken.ifPresent(t -> checkToken("admin token", t));
    metricsToken.ifPresent(t -> checkToken("metrics token", t));
    if (recoveryInterval.isNegative() || recoveryInterval.isZero()) {
      throw new IllegalArgumentException("recoveryInterval must be > 0, was " + recoveryInterval);
    }
    if (flagGuardInterval.compareTo(Duration.ofSeconds(1)) < 0 || flagGuardInterval.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("flagGuardInterval must be in [1 s, 1 h], was " + flagGuardInterval);
    }
    if (metricsPort.isPresent()) {
      int m = metricsPort.getAsInt();
      if (m < 0 || m > 65_535) {
        throw new IllegalArgumentException("metricsPort must be in [0, 65535], was " + m);
      }
      if (m != 0 && m == port) {
        throw new IllegalArgumentException("metricsPort must differ from port (" + port + "): leave it out to serve /metrics on the API's port");
      }
    }
  }

  private static void checkToken(String what, String token) {
    if (token.length() < MIN_TOKEN_CHARS) {
      throw new IllegalArgumentException(what + " must have at least " + MIN_TOKEN_CHARS + " characters, has " + token.length());
    }
  }

  public static ServerConfig defaults(int port) {
    return new ServerConfig(port, DEFAULT_HOST, DEFAULT_MAX_BODY_BYTES, List.of(), Optional.empty(), Duration.ofSeconds(30), OptionalInt.empty(),
        Optional.empty(), DEFAULT_FLAG_GUARD_INTERVAL);
  }

  public ServerConfig withHost(String value) {
    return new ServerConfig(port, value, maxBodyBytes, corsOrigins, adminToken, recoveryInterval, metricsPort, metricsToken, flagGuardInterval);
  }

  public ServerConfig withMaxBodyBytes(long value) {
    return new ServerConfig(port, host, value, corsOrigins, adminToken, recoveryInterval, metricsPort, metricsToken, flagGuardInterval);
  }

  public ServerConfig withCorsOrigins(List<String> value) {
    return new ServerConfig(port, host, maxBodyBytes, value, adminToken, recoveryInterval, metricsPort, metricsToken, flagGuardInterval);
  }

  public ServerConfig withAdminToken(Optional<String> value) {
    return new ServerConfig(port, host, maxBodyBytes, corsOrigins, value, recoveryInterval, metricsPort, metricsToken, flagGuardInterval);
  }

  public ServerConfig withMetricsPort(OptionalInt value) {
    return new ServerConfig(port, host, maxBodyBytes, corsOrigins, adminToken, recoveryInterval, value, metricsToken, flagGuardInterval);
  }

  public ServerConfig withMetricsToken(Optional<String> value) {
    return new ServerConfig(port, host, maxBodyBytes, corsOrigins, adminToken, recoveryInterval, metricsPort, value, flagGuardInterval);
  }

  public ServerConfig withFlagGuardInterval(Duration value) {
    return new ServerConfig(port, host, maxBodyBytes, corsOrigins, adminToken, recoveryInterval, metricsPort, metricsToken, value);
  }

  @Override
  public String toString() {
    return "ServerConfig[port=" + port + ", host=" + host + ", maxBodyBytes=" + maxBodyBytes + ", corsOrigins=" + corsOrigins
        + ", adminToken=" + adminToken.map(t -> "***").orElse("off") + ", recoveryInterval=" + recoveryInterval
        + ", metricsPort=" + (metricsPort.isPresent() ? Integer.toString(metricsPort.getAsInt()) : "api port")
        + ", metricsToken=" + metricsToken.map(t -> "***").orElse("off") + ", flagGuardInterval=" + flagGuardInterval + "]";
  }
}
