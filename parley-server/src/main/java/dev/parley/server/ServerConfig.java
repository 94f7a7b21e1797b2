package dev.parley.server;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * HTTP server settings, validated once at start-up.
 *
 * @param port TCP port; 0 picks a free one (tests)
 * @param host interface to bind
 * @param maxBodyBytes request bodies larger than this are refused with 413
 * @param corsOrigins origins allowed to call the API from a browser; empty = CORS off
 * @param adminToken bearer token of the admin API (flags); empty = admin API off
 * @param recoveryInterval how often turns of dead processes are marked interrupted
 */
public record ServerConfig(int port, String host, long maxBodyBytes, List<String> corsOrigins, Optional<String> adminToken, Duration recoveryInterval) {
  public static final long DEFAULT_MAX_BODY_BYTES = 256 * 1024;

  public ServerConfig {
    requireNonNull(host, "host is null");
    corsOrigins = List.copyOf(requireNonNull(corsOrigins, "corsOrigins is null"));
    requireNonNull(adminToken, "adminToken is null");
    requireNonNull(recoveryInterval, "recoveryInterval is null");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
    }
    if (maxBodyBytes < 1_024 || maxBodyBytes > 64L * 1024 * 1024) {
      throw new IllegalArgumentException("maxBodyBytes must be in [1024, 67108864], was " + maxBodyBytes);
    }
    adminToken.ifPresent(t -> {
      if (t.length() < 16) {
        throw new IllegalArgumentException("admin token must have at least 16 characters, has " + t.length());
      }
    });
    if (recoveryInterval.isNegative() || recoveryInterval.isZero()) {
      throw new IllegalArgumentException("recoveryInterval must be > 0, was " + recoveryInterval);
    }
  }

  public static ServerConfig defaults(int port) {
    return new ServerConfig(port, "0.0.0.0", DEFAULT_MAX_BODY_BYTES, List.of(), Optional.empty(), Duration.ofSeconds(30));
  }

  public ServerConfig withHost(String value) {
    return new ServerConfig(port, value, maxBodyBytes, corsOrigins, adminToken, recoveryInterval);
  }

  public ServerConfig withMaxBodyBytes(long value) {
    return new ServerConfig(port, host, value, corsOrigins, adminToken, recoveryInterval);
  }

  public ServerConfig withCorsOrigins(List<String> value) {
    return new ServerConfig(port, host, maxBodyBytes, value, adminToken, recoveryInterval);
  }

  public ServerConfig withAdminToken(Optional<String> value) {
    return new ServerConfig(port, host, maxBodyBytes, corsOrigins, value, recoveryInterval);
  }

  @Override
  public String toString() {
    return "ServerConfig[port=" + port + ", host=" + host + ", maxBodyBytes=" + maxBodyBytes + ", corsOrigins=" + corsOrigins
        + ", adminToken=" + adminToken.map(t -> "***").orElse("off") + ", recoveryInterval=" + recoveryInterval + "]";
  }
}
