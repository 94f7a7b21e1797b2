package dev.parley.fakes;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.core.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What both fake provider servers share: a JDK {@link HttpServer} on 127.0.0.1 and a random port, one
 * virtual thread per request (so 200 concurrent sessions each waiting out 500 ms of latency cost nothing),
 * a queue of scripted replies consumed first, then a responder function, and a record of every request.
 * Nothing here is a mock of Parley: the real adapters talk real HTTP to it.
 *
 * @param <S> the concrete server, so that the fluent setters return it
 */
public abstract sealed class FakeProviderServer<S extends FakeProviderServer<S>> implements AutoCloseable
    permits FakeAnthropicServer, FakeOpenAiServer {

  private final HttpServer server;
  private final ExecutorService executor;
  private final ConcurrentLinkedQueue<FakeReply> script = new ConcurrentLinkedQueue<>();
  private final List<RecordedRequest> recorded = new ArrayList<>();
  private final AtomicInteger sequence = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile Function<RecordedRequest, FakeReply> responder = FakeProviderServer::unscripted;
  private volatile Duration latency = Duration.ZERO;
  private volatile Duration chunkDelay = Duration.ZERO;
  private volatile Optional<String> requiredApiKey = Optional.empty();
  private volatile boolean recording = true;

  FakeProviderServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 1024);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a fake provider server on 127.0.0.1", e);
    }
    executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  @SuppressWarnings("unchecked")
  private S self() {
    return (S) this;
  }

  /** What to put in the provider's base-URL variable ({@code ANTHROPIC_BASE_URL} / {@code OPENAI_BASE_URL}). */
  public abstract String baseUrl();

  /** The provider's base-URL variable name and value, ready to merge into an environment map. */
  public abstract Map<String, String> env(String apiKey);

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String root() {
    return "http://127.0.0.1:" + port();
  }

  /** Replies used in order, one per chat request, before the responder is asked. */
  public S enqueue(FakeReply... replies) {
    script.addAll(Arrays.asList(replies));
    return self();
  }

  /**
   * Forgets every earlier reply and answers the next requests with {@code replies} in order (one assistant
   * message each, content blocks as given); after them, with a short text saying the script is over.
   */
  public S play(List<List<dev.parley.core.chat.ContentBlock>> replies) {
    reset();
    enqueue(replies.stream().map(blocks -> FakeReply.message(blocks.toArray(dev.parley.core.chat.ContentBlock[]::new))).toArray(FakeReply[]::new));
    return respondWith(r -> FakeReply.text("(the scripted model has nothing more to say)"));
  }

  /** Answers chat requests once the queue is empty. Without one, an unscripted request gets a 400. */
  public S respondWith(Function<RecordedRequest, FakeReply> value) {
    this.responder = requireNonNull(value, "responder is null");
    return self();
  }

  /** Waited before every reply (the benchmark's model latency). */
  public S latency(Duration value) {
    requireNonNull(value, "latency is null");
    if (value.isNegative()) {
      throw new IllegalArgumentException("latency must be >= 0, was " + value);
    }
    this.latency = value;
    return self();
  }

  /** Waited between streamed chunks. */
  public S chunkDelay(Duration value) {
    requireNonNull(value, "chunkDelay is null");
    if (value.isNegative()) {
      throw new IllegalArgumentException("chunkDelay must be >= 0, was " + value);
    }
    this.chunkDelay = value;
    return self();
  }

  /** Answer 401 unless the request presents this key. By default any key is accepted. */
  public S requireApiKey(String key) {
    this.requiredApiKey = Optional.of(requireNonNull(key, "key is null"));
    return self();
  }

  /** Long benchmarks can turn recording off to keep memory flat; the request count still grows. */
  public S recording(boolean value) {
    this.recording = value;
    return self();
  }

  /** Every recorded request, oldest first. */
  public List<RecordedRequest> requests() {
    synchronized (recorded) {
      return List.copyOf(recorded);
    }
  }

  /** Recorded requests whose path ends with {@code pathSuffix}, e.g. {@code /embeddings}. */
  public List<RecordedRequest> requestsTo(String pathSuffix) {
    return requests().stream().filter(r -> r.path().endsWith(pathSuffix)).toList();
  }

  /** The {@code index}-th recorded request, 0-based. */
  public RecordedRequest request(int index) {
    List<RecordedRequest> all = requests();
    if (index < 0 || index >= all.size()) {
      throw new IllegalArgumentException("index must be in [0, " + all.size() + "), was " + index);
    }
    return all.get(index);
  }

  public RecordedRequest lastRequest() {
    List<RecordedRequest> all = requests();
    if (all.isEmpty()) {
      throw new IllegalStateException("no request recorded yet");
    }
    return all.get(all.size() - 1);
  }

  /** Requests received, recorded or not. */
  public int requestCount() {
    return sequence.get();
  }

  /** The most requests this server was handling at the same moment. */
  public int maxConcurrentRequests() {
    return maxInFlight.get();
  }

  /** Scripted replies not used yet. */
  public int pendingReplies() {
    return script.size();
  }

  /** Forgets recorded requests, scripted replies and the responder; keeps latency and key settings. */
  public S reset() {
    synchronized (recorded) {
      recorded.clear();
    }
    script.clear();
    responder = FakeProviderServer::unscripted;
    return self();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Routes and answers one recorded request. */
  abstract void serve(Exchange exchange) throws IOException, InterruptedException;

  /** The key the request presents, in this provider's header. */
  abstract Optional<String> presentedKey(RecordedRequest request);

  /** The provider's error body for an {@link FakeReply.Error}. */
  abstract String errorBody(FakeReply.Error error);

  /** The next scripted reply, else the responder's, else a 400 saying nothing was scripted. */
  FakeReply nextReply(RecordedRequest request) {
    FakeReply scripted = script.poll();
    if (scripted != null) {
      return scripted;
    }
    try {
      return requireNonNull(responder.apply(request), "the responder returned null");
    } catch (RuntimeException e) {
      return FakeReply.error(500, "api_error", "fake server: the responder failed: " + e);
    }
  }

  /** The responder until {@link #respondWith} sets one: a 400 saying nothing was scripted. */
  private static FakeReply unscripted(RecordedRequest request) {
    return FakeReply.error(400, "invalid_request_error",
        "fake server: no scripted reply for request #" + request.sequence() + " and no responder set");
  }

  private void handle(HttpExchange raw) {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try (raw) {
      String body = new String(raw.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, List<String>> headers = new LinkedHashMap<>();
      raw.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
      RecordedRequest request = new RecordedRequest(sequence.incrementAndGet(), raw.getRequestMethod(),
          raw.getRequestURI().getPath(), headers, body, parse(body));
      if (recording) {
        synchronized (recorded) {
          recorded.add(request);
        }
      }
      sleep(latency);
      Exchange exchange = new Exchange(raw, request);
      Optional<String> required = requiredApiKey;
      if (required.isPresent() && !presentedKey(request).equals(required)) {
        exchange.reply(FakeReply.error(401, "authentication_error", "invalid x-api-key"));
        return;
      }
      serve(exchange);
    } catch (IOException e) {
      // The client went away (its deadline passed): nothing to answer.
    } catch (InterruptedException e) {
      // The server is closing: nothing to answer; keep the flag for the executor shutting us down.
      Thread.currentThread().interrupt();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private static JsonNode parse(String body) {
    if (body.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return Json.mapper().readTree(body);
    } catch (IOException e) {
      return MissingNode.getInstance();
    }
  }

  static void sleep(Duration d) throws InterruptedException {
    if (!d.isZero()) {
      Thread.sleep(d);
    }
  }

  /** Waits out a reply's delays, then returns the reply underneath them. */
  static FakeReply undelayed(FakeReply reply) throws InterruptedException {
    FakeReply r = reply;
    while (r instanceof FakeReply.Delayed d) {
      sleep(d.delay());
      r = d.reply();
    }
    return r;
  }

  /** Token estimate the fakes report: a quarter of the characters, rounded up (a common rule of thumb). */
  static long estimateTokens(int chars) {
    return (chars + 3L) / 4;
  }

  /** One request being answered. */
  final class Exchange {
    final HttpExchange http;
    final RecordedRequest request;
    /** The event stream, opened by the first {@link #event}. */
    private @Nullable OutputStream sse;

    Exchange(HttpExchange http, RecordedRequest request) {
      this.http = http;
      this.request = request;
    }

    /**
     * The next scripted (or responder's) reply once its delays have passed, when it is a message to write;
     * any other reply (error, raw body) is sent here and the result is empty.
     */
    Optional<FakeReply.Message> nextMessage() throws IOException, InterruptedException {
      FakeReply reply = undelayed(nextReply(request));
      if (reply instanceof FakeReply.Message message) {
        return Optional.of(message);
      }
      reply(reply);
      return Optional.empty();
    }

    /** Answers with a non-message reply (error, raw, delayed) or hands a message to {@code messageWriter}. */
    void reply(FakeReply reply) throws IOException, InterruptedException {
      FakeReply r = undelayed(reply);
      switch (r) {
        case FakeReply.Error e -> {
          e.headers().forEach((k, v) -> http.getResponseHeaders().add(k, v));
          send(e.status(), "application/json", errorBody(e));
        }
        case FakeReply.Raw raw -> send(raw.status(), raw.contentType(), raw.body());
        case FakeReply.Message m -> throw new IllegalStateException("messages are written by the provider server");
        case FakeReply.Delayed d -> throw new AssertionError("unwrapped above");
      }
    }

    void send(int status, String contentType, String body) throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      http.getResponseHeaders().set("content-type", contentType);
      http.getResponseHeaders().set("request-id", "req_fake_" + request.sequence());
      http.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = http.getResponseBody()) {
          out.write(bytes);
        }
      }
    }

    void sendJson(JsonNode body) throws IOException {
      send(200, "application/json", Json.write(body));
    }

    /** Sends one named server-sent event, flushing it and waiting the chunk delay. */
    void event(String event, String data) throws IOException, InterruptedException {
      write("event: " + event + "\ndata: " + data + "\n\n");
    }

    /** Sends one server-sent event without an event name (OpenAI's chunks), as {@link #event(String, String)}. */
    void event(String data) throws IOException, InterruptedException {
      write("data: " + data + "\n\n");
    }

    private void write(String text) throws IOException, InterruptedException {
      OutputStream out = sse;
      if (out == null) {
        http.getResponseHeaders().set("content-type", "text/event-stream");
        http.getResponseHeaders().set("cache-control", "no-cache");
        http.sendResponseHeaders(200, 0);
        out = http.getResponseBody();
        sse = out;
      }
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
      sleep(chunkDelay);
    }

    void endStream() throws IOException {
      if (sse != null) {
        sse.close();
      }
    }
  }

  /** Text split after each run of whitespace, the way a tokenizer's deltas come in word-sized pieces. */
  static List<String> textChunks(String text) {
    List<String> chunks = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= text.length(); i++) {
      if (i == text.length() || (Character.isWhitespace(text.charAt(i - 1)) && !Character.isWhitespace(text.charAt(i)))) {
        chunks.add(text.substring(start, i));
        start = i;
      }
    }
    return chunks;
  }

  /** A JSON document in three pieces, so clients must reassemble partial JSON. */
  static List<String> jsonChunks(String json) {
    if (json.length() < 3) {
      return List.of(json);
    }
    int a = json.length() / 3;
    int b = 2 * json.length() / 3;
    return List.of(json.substring(0, a), json.substring(a, b), json.substring(b));
  }
}
