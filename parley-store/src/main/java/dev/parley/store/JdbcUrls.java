package dev.parley.store;

import static java.util.Objects.requireNonNull;

import dev.parley.core.error.BadInputException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Splits the credentials out of a PostgreSQL URL, so that the URL handed to the pool, the driver and
 * every log line or exception message never carries the password.
 *
 * <p>Accepts {@code jdbc:postgresql://host[:port]/db?user=..&password=..} and the libpq URI form
 * {@code postgresql://user:password@host[:port]/db?..} (also {@code postgres://}, as many hosting
 * services print it), with or without the {@code jdbc:} prefix.
 */
final class JdbcUrls {
  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&;]password=)[^&;#]*");
  private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/@:?#]*:)[^/@?#]*@");

  private JdbcUrls() {}

  /** A JDBC URL without credentials, and the credentials it carried. */
  record Parsed(String url, Optional<String> user, Optional<String> password) {
    Parsed {
      requireNonNull(url, "url is null");
      requireNonNull(user, "user is null");
      requireNonNull(password, "password is null");
    }

    /** Never the password: a record's default toString would print it. */
    @Override
    public String toString() {
      return "Parsed[url=" + url + ", user=" + user.orElse("none") + ", password=" + password.map(p -> "****").orElse("none") + "]";
    }
  }

  static Parsed parse(String raw) {
    requireNonNull(raw, "raw is null");
    String url = raw.strip();
    String rest;
    if (url.startsWith("jdbc:postgresql://")) {
      rest = url.substring("jdbc:postgresql://".length());
    } else if (url.startsWith("postgresql://")) {
      rest = url.substring("postgresql://".length());
    } else if (url.startsWith("postgres://")) {
      rest = url.substring("postgres://".length());
    } else {
      throw new BadInputException("database URL must start with jdbc:postgresql://, postgresql:// or postgres://, was: " + redact(url));
    }
    Optional<String> user = Optional.empty();
    Optional<String> password = Optional.empty();

    int query = rest.indexOf('?');
    String beforeQuery = query < 0 ? rest : rest.substring(0, query);
    String queryText = query < 0 ? "" : rest.substring(query + 1);
    int slash = beforeQuery.indexOf('/');
    String authority = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
    String path = slash < 0 ? "/" : beforeQuery.substring(slash);
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      String userPart = colon < 0 ? userInfo : userInfo.substring(0, colon);
      if (!userPart.isEmpty()) {
        user = Optional.of(decode(userPart));
      }
      if (colon >= 0) {
        password = Optional.of(decode(userInfo.substring(colon + 1)));
      }
    }

    List<String> kept = new ArrayList<>();
    if (!queryText.isEmpty()) {
      for (String param : queryText.split("&")) {
        int eq = param.indexOf('=');
        String key = eq < 0 ? param : param.substring(0, eq);
        String value = eq < 0 ? "" : decode(param.substring(eq + 1));
        if (key.equals("password")) {
          password = Optional.of(value);
        } else if (key.equals("user")) {
          user = Optional.of(value);
        } else if (!param.isEmpty()) {
          kept.add(param);
        }
      }
    }
    String clean = "jdbc:postgresql://" + authority + path + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    return new Parsed(clean, user, password);
  }

  /** The URL with any password replaced by {@code ***}; safe to log and to put in messages. */
  static String redact(String url) {
    String once = PASSWORD_PARAM.matcher(url).replaceAll("$1***");
    return USER_INFO_PASSWORD.matcher(once).replaceAll("$1***@");
  }

  private static String decode(String text) {
    try {
      // Percent-decoding only: a '+' in a URI password is a plus sign, not a space.
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }
}
