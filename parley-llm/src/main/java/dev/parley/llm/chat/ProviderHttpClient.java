package dev.parley.llm.chat;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * LangChain4j's HTTP transport SPI on the JDK client, written for Parley because the stock JDK client
 * drops response headers on errors (we honour {@code retry-after}) and runs streams on its own threads
 * (we run every call synchronously on the attempt thread so a deadline can interrupt it and the
 * {@link AttemptContext} sees what happened).
 */
final class ProviderHttpClient implements HttpClient {
  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED = Set.of("content-length", "host", "connection", "upgrade", "expect");
  private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;
  /**
   * The adapters pass the attempt deadline as the read timeout. ResilientCaller enforces that deadline itself
   * (and interrupts us, which cancels the exchange); the JDK timeout is only a backstop, set a little later so
   * the two do not race and a timeout always reads "timed out after N ms".
   */
  private static final Duration BACKSTOP_MARGIN = Duration.ofSeconds(1);

  private final java.net.http.HttpClient jdk;
  private final Duration readTimeout;

  ProviderHttpClient(Duration connectTimeout, Duration readTimeout) {
    this.readTimeout = requireNonNull(readTimeout, "readTimeout is null");
    this.jdk = java.net.http.HttpClient.newBuilder()
        .connectTimeout(requireNonNull(connectTimeout, "connectTimeout is null"))
        .followRedirects(java.net.http.HttpClient.Redirect.NORMAL)
        .build();
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (!isSuccess(response.statusCode())) {
      throw error(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8), response.headers().map());
    }
    AttemptContext.current().ifPresent(c -> c.successStatus(response.statusCode()));
    return SuccessfulHttpResponse.builder()
        .statusCode(response.statusCode())
        .headers(response.headers().map())
        .body(response.body())
        .build();
  }

  @Override
  public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    HttpResponse<InputStream> response;
    try {
      response = send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (RuntimeException e) {
      listener.onError(e);
      return;
    }
    if (!isSuccess(response.statusCode())) {
      String body;
      try (InputStream in = response.body()) {
        body = new String(in.readNBytes(MAX_ERROR_BODY_BYTES), StandardCharsets.UTF_8);
      } catch (IOException e) {
        body = "[error body unreadable: " + e.getMessage() + "]";
      }
      listener.onError(error(response.statusCode(), body, response.headers().map()));
      return;
    }
    AttemptContext.current().ifPresent(c -> c.successStatus(response.statusCode()));
    listener.onOpen(SuccessfulHttpResponse.builder()
        .statusCode(response.statusCode())
        .headers(response.headers().map())
        .build());
    try (InputStream in = response.body()) {
      parser.parse(in, listener);
    } catch (IOException | RuntimeException e) {
      listener.onError(e);
      return;
    }
    listener.onClose();
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return jdk.send(toJdk(request), handler);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getClass().getSimpleName() + " calling " + request.url(), e);
    } catch (InterruptedException e) {
      // The attempt's deadline passed and the caller interrupted us; the JDK cancelled the exchange.
      Thread.currentThread().interrupt();
      throw new AbandonedCallException("call to " + request.url() + " interrupted", e);
    }
  }

  private java.net.http.HttpRequest toJdk(HttpRequest request) {
    if (!request.formDataFields().isEmpty() || !request.formDataFiles().isEmpty()) {
      throw new UnsupportedOperationException("multipart requests are not used by Parley's chat adapters");
    }
    java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
        .timeout(readTimeout.plus(BACKSTOP_MARGIN));
    for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
      if (RESTRICTED.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
        continue;
      }
      for (String value : h.getValue()) {
        b.header(h.getKey(), value);
      }
    }
    String body = request.body();
    java.net.http.HttpRequest.BodyPublisher publisher = body == null
        ? java.net.http.HttpRequest.BodyPublishers.noBody()
        : java.net.http.HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
    return b.method(request.method().name(), publisher).build();
  }

  private static ProviderHttpException error(int status, String body, Map<String, List<String>> headers) {
    ProviderHttpException e = new ProviderHttpException(status, body, headers);
    AttemptContext.current().ifPresent(c -> c.httpError(e));
    return e;
  }

  private static boolean isSuccess(int status) {
    return status >= 200 && status < 300;
  }

  /** Thrown when the attempt thread is interrupted because its caller gave up on it. */
  static final class AbandonedCallException extends RuntimeException {
    AbandonedCallException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** LangChain4j sets the model's timeout on this builder as connect and read timeout. */
  static final class Builder implements HttpClientBuilder {
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(60);

    @Override
    public Duration connectTimeout() {
      return connectTimeout;
    }

    @Override
    public Builder connectTimeout(Duration timeout) {
      if (timeout != null) {
        this.connectTimeout = timeout;
      }
      return this;
    }

    @Override
    public Duration readTimeout() {
      return readTimeout;
    }

    @Override
    public Builder readTimeout(Duration timeout) {
      if (timeout != null) {
        this.readTimeout = timeout;
      }
      return this;
    }

    @Override
    public ProviderHttpClient build() {
      return new ProviderHttpClient(connectTimeout, readTimeout);
    }
  }
}
