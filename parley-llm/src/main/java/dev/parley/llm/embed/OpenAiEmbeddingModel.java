package dev.parley.llm.embed;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.chat.LlmException;
import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.llm.chat.ResilienceConfig;
import dev.parley.llm.chat.ResiliencePolicies;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Embeddings from any OpenAI-compatible {@code POST /v1/embeddings} server (OpenAI, vLLM, llama.cpp,
 * Ollama, text-embeddings-inference, ...), of any dimension.
 *
 * <p>Texts go in requests of at most {@link Config#maxBatchSize} inputs, up to {@link Config#concurrency}
 * requests at a time; each request is retried with exponential backoff and jitter on 429, 5xx, timeouts
 * and connection failures (honouring {@code retry-after}), through a circuit breaker per endpoint
 * (Resilience4j). A malformed reply fails at once: retrying would not fix it. Vectors are L2-normalised
 * here, since not every compatible server normalises.
 *
 * <p>The JDK HTTP client is used directly rather than LangChain4j's adapter: the wire format is one
 * small JSON object, and this way the status code, {@code retry-after} and the server's error message
 * reach the retry policy and the user unchanged.
 */
public final class OpenAiEmbeddingModel implements EmbeddingModel {
  public static final String ENV_API_KEY = "OPENAI_API_KEY";
  /** Base URL including {@code /v1}, as OpenAI's SDKs read it. */
  public static final String ENV_BASE_URL = "OPENAI_BASE_URL";
  /** Model name when the spec does not give one ({@code --embed openai}). */
  public static final String ENV_MODEL = "OPENAI_EMBEDDING_MODEL";
  /** Optional: ask the server for this many dimensions (models that support shortening). */
  public static final String ENV_DIMENSIONS = "OPENAI_EMBEDDING_DIMENSIONS";
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  public static final String DEFAULT_MODEL = "text-embedding-3-small";

  /**
   * Where and how to call the embeddings endpoint.
   *
   * @param baseUrl server base including {@code /v1}; {@code /embeddings} is appended
   * @param apiKey bearer token (may be empty for local servers that do not check it)
   * @param model model name sent to the server
   * @param dimensions dimensions to request, else whatever the model returns
   * @param maxBatchSize most inputs per request
   * @param concurrency most requests in flight for one {@link #embed} call
   * @param resilience timeouts, retries and circuit breaking
   */
  public record Config(URI baseUrl, String apiKey, String model, OptionalInt dimensions, int maxBatchSize,
      int concurrency, ResilienceConfig resilience) {
    public Config {
      requireNonNull(baseUrl, "baseUrl is null");
      requireNonNull(apiKey, "apiKey is null");
      requireNonNull(model, "model is null");
      requireNonNull(dimensions, "dimensions is null");
      requireNonNull(resilience, "resilience is null");
      if (model.isBlank()) {
        throw new IllegalArgumentException("model must not be blank");
      }
      if (dimensions.isPresent() && dimensions.getAsInt() < 1) {
        throw new IllegalArgumentException("dimensions must be >= 1, was " + dimensions.getAsInt());
      }
      if (maxBatchSize < 1 || maxBatchSize > 2048) {
        throw new IllegalArgumentException("maxBatchSize must be in [1, 2048], was " + maxBatchSize);
      }
      if (concurrency < 1 || concurrency > 64) {
        throw new IllegalArgumentException("concurrency must be in [1, 64], was " + concurrency);
      }
    }

    public static Config of(URI baseUrl, String apiKey, String model) {
      return new Config(baseUrl, apiKey, model, OptionalInt.empty(), 256, 4, ResilienceConfig.defaults());
    }

    public Config withResilience(ResilienceConfig newResilience) {
      return new Config(baseUrl, apiKey, model, dimensions, maxBatchSize, concurrency, newResilience);
    }

    public Config withMaxBatchSize(int newMaxBatchSize) {
      return new Config(baseUrl, apiKey, model, dimensions, newMaxBatchSize, concurrency, resilience);
    }

    public Config withDimensions(int newDimensions) {
      return new Config(baseUrl, apiKey, model, OptionalInt.of(newDimensions), maxBatchSize, concurrency, resilience);
    }

    /** Never the key: a record's default toString would print it into any log or message quoting the config. */
    @Override
    public String toString() {
      return "Config[baseUrl=" + baseUrl + ", apiKey=" + (apiKey.isEmpty() ? "none" : "****") + ", model=" + model
          + ", dimensions=" + dimensions + ", maxBatchSize=" + maxBatchSize + ", concurrency=" + concurrency
          + ", resilience=" + resilience + "]";
    }

    /**
     * From {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL} (default {@value #DEFAULT_BASE_URL}),
     * {@code OPENAI_EMBEDDING_DIMENSIONS} and the retry settings of {@link ResilienceConfig#fromEnv}.
     * The key is required only for the public OpenAI endpoint: local compatible servers often need none.
     */
    public static Config fromEnv(Map<String, String> env, String model) {
      requireNonNull(env, "env is null");
      requireNonNull(model, "model is null");
      String base = env.getOrDefault(ENV_BASE_URL, "").trim();
      if (base.isEmpty()) {
        base = DEFAULT_BASE_URL;
      }
      URI baseUrl;
      try {
        baseUrl = URI.create(base);
      } catch (IllegalArgumentException e) {
        throw new BadInputException(ENV_BASE_URL + " is not a URL: '" + base + "'");
      }
      if (baseUrl.getScheme() == null || !baseUrl.getScheme().startsWith("http") || baseUrl.getHost() == null) {
        throw new BadInputException(ENV_BASE_URL + " must be an http(s) URL including /v1, was '" + base + "'");
      }
      String key = env.getOrDefault(ENV_API_KEY, "").trim();
      if (key.isEmpty() && base.equals(DEFAULT_BASE_URL)) {
        throw new BadInputException("--embed openai needs " + ENV_API_KEY + " (or " + ENV_BASE_URL
            + " pointing at a compatible server that needs no key)");
      }
      OptionalInt dimensions = OptionalInt.empty();
      String dims = env.getOrDefault(ENV_DIMENSIONS, "").trim();
      if (!dims.isEmpty()) {
        try {
          dimensions = OptionalInt.of(Integer.parseInt(dims));
        } catch (NumberFormatException e) {
          throw new BadInputException(ENV_DIMENSIONS + " must be an integer, was '" + dims + "'");
        }
        if (dimensions.getAsInt() < 1) {
          throw new BadInputException(ENV_DIMENSIONS + " must be >= 1, was " + dims);
        }
      }
      return new Config(baseUrl, key, model, dimensions, 256, 4, ResilienceConfig.fromEnv(env));
    }
  }

  private static final Map<String, CircuitBreaker> BREAKERS = new ConcurrentHashMap<>();

  private final Config config;
  private final URI endpoint;
  private final HttpClient http;
  private final Retry retry;
  private final CircuitBreaker breaker;
  private volatile int dimension;

  public OpenAiEmbeddingModel(Config config) {
    this.config = requireNonNull(config, "config is null");
    String base = config.baseUrl().toString();
    this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/embeddings");
    this.http = HttpClient.newBuilder()
        .connectTimeout(config.resilience().timeout())
        .version(HttpClient.Version.HTTP_1_1)
        .build();
    this.retry = Retry.of("openai-embeddings " + endpoint, retryConfig(config.resilience()));
    this.breaker = BREAKERS.computeIfAbsent("openai-embeddings " + endpoint,
        name -> CircuitBreaker.of(name, breakerConfig(config.resilience())));
    this.dimension = config.dimensions().orElse(0);
  }

  public static OpenAiEmbeddingModel fromEnv(Map<String, String> env, String model) {
    return new OpenAiEmbeddingModel(Config.fromEnv(env, model));
  }

  public Config config() {
    return config;
  }

  /** {@code openai:MODEL}, plus {@code :DIMS} when a dimension is requested (it changes the vectors). */
  @Override
  public String id() {
    return "openai:" + config.model() + (config.dimensions().isPresent() ? ":" + config.dimensions().getAsInt() : "");
  }

  /** The configured dimension, else the one the server returned; asks the server once if it has not yet. */
  @Override
  public int dimension() {
    if (dimension == 0) {
      embed(List.of("dimension probe"));
    }
    return dimension;
  }

  @Override
  public float[][] embed(List<String> texts) {
    requireNonNull(texts, "texts is null");
    for (int i = 0; i < texts.size(); i++) {
      requireNonNull(texts.get(i), "texts[" + i + "] is null");
    }
    float[][] out = new float[texts.size()][];
    List<int[]> ranges = new ArrayList<>();
    for (int from = 0; from < texts.size(); from += config.maxBatchSize()) {
      ranges.add(new int[] {from, Math.min(texts.size(), from + config.maxBatchSize())});
    }
    if (ranges.size() <= 1 || config.concurrency() == 1) {
      for (int[] range : ranges) {
        embedBatch(texts, range[0], range[1], out);
      }
      return out;
    }
    // Requests wait on the network, so virtual threads carry them; the permits bound what is in flight.
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(config.concurrency());
      List<Future<?>> futures = new ArrayList<>();
      for (int[] range : ranges) {
        futures.add(executor.submit(() -> {
          permits.acquire();
          try {
            embedBatch(texts, range[0], range[1], out);
          } finally {
            permits.release();
          }
          return null;
        }));
      }
      for (Future<?> future : futures) {
        try {
          future.get();
        } catch (ExecutionException e) {
          futures.forEach(f -> f.cancel(true));
          throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          futures.forEach(f -> f.cancel(true));
          throw new LlmException(LlmException.Kind.OTHER, "interrupted while waiting for embeddings", e);
        }
      }
    }
    return out;
  }

  private void embedBatch(List<String> texts, int from, int to, float[][] out) {
    String body = requestBody(texts.subList(from, to));
    long start = System.nanoTime();
    AtomicInteger attempts = new AtomicInteger();
    Supplier<String> one = () -> {
      attempts.incrementAndGet();
      return post(body);
    };
    try {
      String reply = Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, one)).get();
      float[][] vectors = parse(reply, to - from);
      System.arraycopy(vectors, 0, out, from, vectors.length);
    } catch (Failure f) {
      throw new LlmException(f.kind, redact("OpenAI-compatible embeddings call to " + endpoint + " failed: "
          + f.getMessage() + where(attempts.get(), start)), f.getCause());
    } catch (CallNotPermittedException e) {
      throw new LlmException(LlmException.Kind.CIRCUIT_OPEN, "embeddings circuit breaker for " + endpoint
          + " is open after repeated server failures; it half-opens "
          + config.resilience().breakerOpenFor().toSeconds() + " s after opening" + where(attempts.get(), start), e);
    }
  }

  private String requestBody(List<String> batch) {
    ObjectNode request = Json.object();
    request.put("model", config.model());
    ArrayNode input = request.putArray("input");
    // OpenAI rejects empty strings; a single space embeds as "no content", which is what an empty text is.
    batch.forEach(text -> input.add(text.isEmpty() ? " " : text));
    request.put("encoding_format", "float");
    config.dimensions().ifPresent(d -> request.put("dimensions", d));
    return Json.write(request);
  }

  /** One attempt: the reply body on 2xx, else a {@link Failure} saying whether to retry. */
  private String post(String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
        .timeout(config.resilience().timeout())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (!config.apiKey().isEmpty()) {
      request.header("Authorization", "Bearer " + config.apiKey());
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new Failure(LlmException.Kind.TIMEOUT, true, Optional.empty(),
          "no reply within " + config.resilience().timeout().toMillis() + " ms", e);
    } catch (IOException e) {
      throw new Failure(LlmException.Kind.OTHER, true, Optional.empty(), "connection failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(LlmException.Kind.OTHER, false, Optional.empty(), "interrupted", e);
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      return response.body();
    }
    Optional<Duration> retryAfter = response.headers().firstValue("retry-after").flatMap(OpenAiEmbeddingModel::seconds);
    String detail = "HTTP " + status + ": " + errorMessage(response.body());
    if (status == 429) {
      throw new Failure(LlmException.Kind.RATE_LIMITED, true, retryAfter, detail);
    }
    if (status >= 500) {
      throw new Failure(LlmException.Kind.SERVER_ERROR, true, retryAfter, detail);
    }
    if (status == 408) {
      throw new Failure(LlmException.Kind.TIMEOUT, true, retryAfter, detail);
    }
    throw new Failure(LlmException.Kind.CLIENT_ERROR, false, Optional.empty(), detail);
  }

  /** Read by Jackson: a reply may leave out any field. */
  record Item(int index, float @Nullable [] embedding) {}

  /** Read by Jackson: a reply may leave out any field. */
  record Reply(@Nullable List<@Nullable Item> data) {}

  /** Checks the reply has one vector per input, all of one (the expected) dimension, and normalises them. */
  private float[][] parse(String body, int expected) {
    Reply reply;
    try {
      reply = Json.mapper().readValue(body, Reply.class);
    } catch (JsonProcessingException e) {
      throw malformed("reply is not the expected JSON (" + e.getOriginalMessage() + "): " + abbreviate(body), e);
    }
    List<@Nullable Item> data = reply == null ? null : reply.data();
    if (data == null) {
      throw malformed("reply has no \"data\" array: " + abbreviate(body));
    }
    if (data.size() != expected) {
      throw malformed("sent " + expected + " inputs, got " + data.size() + " embeddings");
    }
    float[][] vectors = new float[expected][];
    for (Item item : data) {
      float[] embedding = item == null ? null : item.embedding();
      if (item == null || embedding == null || embedding.length == 0) {
        throw malformed("an item of \"data\" has no \"embedding\"");
      }
      if (item.index() < 0 || item.index() >= expected || vectors[item.index()] != null) {
        throw malformed("embedding index " + item.index() + " is out of range or repeated (batch of " + expected + ")");
      }
      vectors[item.index()] = embedding;
    }
    synchronized (this) {
      int dim = vectors[0].length;
      if (dimension == 0) {
        dimension = dim;
      }
      for (float[] v : vectors) {
        if (v.length != dimension) {
          throw malformed("got a " + v.length + "-D embedding, expected " + dimension + "-D");
        }
      }
    }
    for (float[] v : vectors) {
      Vectors.normalizeInPlace(v);
    }
    return vectors;
  }

  private LlmException malformed(String detail, Throwable cause) {
    return new LlmException(LlmException.Kind.MALFORMED_RESPONSE,
        "OpenAI-compatible embeddings reply from " + endpoint + " is malformed: " + detail, cause);
  }

  private LlmException malformed(String detail) {
    return new LlmException(LlmException.Kind.MALFORMED_RESPONSE,
        "OpenAI-compatible embeddings reply from " + endpoint + " is malformed: " + detail);
  }

  /** The server's own {@code error.message} when the body has one, else the body itself (shortened). */
  private static String errorMessage(String body) {
    try {
      JsonNode node = Json.mapper().readTree(body);
      JsonNode message = node == null ? null : node.path("error").path("message");
      if (message != null && message.isTextual()) {
        return message.asText();
      }
      if (node != null && node.path("error").isTextual()) {
        return node.path("error").asText();
      }
    } catch (JsonProcessingException e) {
      // Not JSON: show the text.
    }
    return abbreviate(body);
  }

  private static Optional<Duration> seconds(String header) {
    try {
      double s = Double.parseDouble(header.trim());
      return s >= 0 ? Optional.of(Duration.ofMillis((long) (s * 1000))) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty(); // An HTTP date: rare for APIs; the backoff applies.
    }
  }

  private static String abbreviate(String text) {
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() <= 200 ? flat : flat.substring(0, 200) + "...";
  }

  private String where(int attempts, long startNanos) {
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    return " [model " + config.model() + ", " + attempts + (attempts == 1 ? " attempt" : " attempts") + " in " + ms + " ms]";
  }

  private String redact(String message) {
    String key = config.apiKey();
    return key.length() >= 4 ? message.replace(key, "[redacted]") : message;
  }

  /** Why one attempt failed; internal, turned into an {@link LlmException} after the last attempt. */
  private static final class Failure extends RuntimeException {
    final LlmException.Kind kind;
    final boolean retryable;
    final Optional<Duration> retryAfter;

    Failure(LlmException.Kind kind, boolean retryable, Optional<Duration> retryAfter, String detail, Throwable cause) {
      super(detail, cause, false, false);
      this.kind = kind;
      this.retryable = retryable;
      this.retryAfter = retryAfter;
    }

    /** A failure the reply itself shows (an HTTP status), with no exception underneath. */
    Failure(LlmException.Kind kind, boolean retryable, Optional<Duration> retryAfter, String detail) {
      super(detail, null, false, false);
      this.kind = kind;
      this.retryable = retryable;
      this.retryAfter = retryAfter;
    }

    boolean countsAgainstServer() {
      return kind == LlmException.Kind.SERVER_ERROR || kind == LlmException.Kind.TIMEOUT || kind == LlmException.Kind.OTHER;
    }
  }

  private static RetryConfig retryConfig(ResilienceConfig c) {
    return ResiliencePolicies.retry(c, t -> t instanceof Failure f && f.retryable,
        t -> t instanceof Failure f ? f.retryAfter : Optional.empty());
  }

  private static CircuitBreakerConfig breakerConfig(ResilienceConfig c) {
    return ResiliencePolicies.breaker(c, t -> t instanceof Failure f && f.countsAgainstServer());
  }

  @Override
  public String toString() {
    return "OpenAiEmbeddingModel[" + config.model() + " at " + endpoint + "]";
  }
}
