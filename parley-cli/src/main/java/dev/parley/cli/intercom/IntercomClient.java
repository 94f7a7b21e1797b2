package dev.parley.cli.intercom;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.conversation.Conversation;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pulls conversations from Intercom's REST API: {@code POST /conversations/search} for conversations
 * updated since a moment (cursor pagination through {@code pages.next.starting_after}), then
 * {@code GET /conversations/{id}} for each one's parts, converted by {@link IntercomConversions}.
 * Token from {@code INTERCOM_TOKEN}; base URL {@value #DEFAULT_BASE_URL} unless overridden (tests point
 * it at a local fake server).
 */
public final class IntercomClient {
  public static final String DEFAULT_BASE_URL = "https://api.intercom.io";
  public static final String API_VERSION = "2.11";
  private static final int PER_PAGE = 50;

  private final HttpClient http;
  private final String baseUrl;
  private final String token;

  public IntercomClient(String baseUrl, String token) {
    this.baseUrl = stripSlash(requireNonNull(baseUrl, "baseUrl is null"));
    this.token = requireNonNull(token, "token is null");
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** From {@code INTERCOM_TOKEN} and, unless {@code urlOption} is given, {@code INTERCOM_BASE_URL}. */
  public static IntercomClient fromEnv(Map<String, String> env, Optional<String> urlOption) {
    String token = env.get("INTERCOM_TOKEN");
    if (token == null || token.isBlank()) {
      throw new BadInputException("INTERCOM_TOKEN is not set: --source intercom needs an Intercom access token (export INTERCOM_TOKEN=...)");
    }
    String url = urlOption.filter(u -> !u.isBlank())
        .orElseGet(() -> Optional.ofNullable(env.get("INTERCOM_BASE_URL")).filter(u -> !u.isBlank()).orElse(DEFAULT_BASE_URL));
    return new IntercomClient(url, token.trim());
  }

  /** Conversations updated after {@code since}, most recent first as Intercom orders them, at most {@code max}. */
  public List<Conversation> recentConversations(Instant since, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    List<String> ids = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      ObjectNode body = Json.object();
      ObjectNode query = body.putObject("query");
      query.put("field", "updated_at");
      query.put("operator", ">");
      query.put("value", since.getEpochSecond());
      ObjectNode pagination = body.putObject("pagination");
      pagination.put("per_page", Math.min(PER_PAGE, max));
      cursor.ifPresent(c -> pagination.put("starting_after", c));
      JsonNode page = send(HttpRequest.newBuilder(uri("/conversations/search"))
          .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).header("Content-Type", "application/json"));
      for (JsonNode c : page.path("conversations")) {
        if (ids.size() < max) {
          ids.add(c.path("id").asText());
        }
      }
      JsonNode next = page.path("pages").path("next").path("starting_after");
      cursor = next.isTextual() && !next.asText().isBlank() && page.path("conversations").size() > 0
          ? Optional.of(next.asText()) : Optional.empty();
    } while (cursor.isPresent() && ids.size() < max);
    List<Conversation> out = new ArrayList<>(ids.size());
    for (String id : ids) {
      JsonNode full = send(HttpRequest.newBuilder(uri("/conversations/" + id + "?display_as=plaintext")).GET());
      IntercomConversions.toConversation(full).ifPresent(out::add);
    }
    return out;
  }

  private JsonNode send(HttpRequest.Builder builder) {
    HttpRequest request = builder
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json")
        .header("Intercom-Version", API_VERSION)
        .timeout(Duration.ofSeconds(30))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IntercomException("cannot reach Intercom at " + baseUrl + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IntercomException("interrupted while calling Intercom", e);
    }
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw new BadInputException("Intercom rejected the token (HTTP " + response.statusCode() + "): check INTERCOM_TOKEN");
    }
    if (response.statusCode() / 100 != 2) {
      throw new IntercomException("Intercom " + request.method() + " " + request.uri().getPath() + " failed: HTTP "
          + response.statusCode() + " " + shorten(response.body()));
    }
    try {
      return Json.mapper().readTree(response.body());
    } catch (IOException e) {
      throw new IntercomException("Intercom returned malformed JSON for " + request.uri().getPath(), e);
    }
  }

  private URI uri(String path) {
    return URI.create(baseUrl + path);
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String shorten(String body) {
    return body.length() <= 200 ? body : body.substring(0, 200) + "...";
  }

  /** An Intercom call failed for a reason other than bad input (network, server error). */
  public static final class IntercomException extends RuntimeException {
    public IntercomException(String message) {
      super(message);
    }

    public IntercomException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
