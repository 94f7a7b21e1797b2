package dev.parley.llm.embed;

import static java.util.Objects.requireNonNull;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.parley.core.embedding.EmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-process sentence embeddings: a BERT-style ONNX encoder run directly on ONNX Runtime, with the
 * model file and tokenizer that LangChain4j's model artifacts ship.
 *
 * <p>Layout (DESIGN §7):
 * <ul>
 *   <li>one {@link OrtSession} per worker, each with a single intra-op thread, and one worker thread
 *       per core, so the cores never contend inside one run and no spin-waiting pool burns CPU
 *       (LangChain4j runs one session whose intra-op pool spans all cores, one text per call);</li>
 *   <li>texts are sorted by length, longest first, so the workers finish together; each worker claims
 *       the next text (or batch), tokenizes it and runs it, so tokenizing is parallel too;</li>
 *   <li>optionally ({@link Options#batched}) texts of similar length run together in batches of up to
 *       {@link Options#maxBatchSize} (bounded by {@link Options#maxBatchTokens} padded tokens), with an
 *       attention mask hiding the padding.</li>
 * </ul>
 * Results come back in input order, L2-normalised. Texts longer than the model's window are truncated
 * to {@link LocalModelSpec#maxTokens} tokens, as LangChain4j's models do with the same tokenizer.
 *
 * <p><b>Why batching is off by default.</b> The int8 models quantize activations at run time
 * ({@code DynamicQuantizeLinear}) with one scale per tensor, i.e. per batch: in a batch, a text's
 * vector depends on its batch-mates (measured on banking77: mean cosine to the text's own vector
 * 0.997 for bge, 0.992 for MiniLM, down to 0.95 for very short texts). That would make a cached vector
 * differ from a fresh one and an online assignment (one text) differ from the offline run (many), so
 * the default runs one text per call and is exact: identical to LangChain4j's vector for that text
 * and independent of the rest of the input. Batched mode is 1.2-1.6x faster again; use it where
 * throughput matters more than that consistency.
 */
public final class OnnxEmbeddingModel implements EmbeddingModel, AutoCloseable {

  /**
   * Execution layout.
   *
   * @param workers worker threads, each with its own ONNX session (default: one per core)
   * @param maxBatchSize most texts in one ONNX run
   * @param maxBatchTokens most padded tokens (texts x longest text) in one run: bounds the attention
   *     buffers when texts are long
   */
  public record Options(int workers, int maxBatchSize, int maxBatchTokens) {
    public Options {
      requirePositive("workers", workers);
      requirePositive("maxBatchSize", maxBatchSize);
      requirePositive("maxBatchTokens", maxBatchTokens);
    }

    /** Exact mode, one worker per core: every text gets the vector it gets alone (see the class notes). */
    public static Options defaults() {
      return new Options(Runtime.getRuntime().availableProcessors(), 1, 4096);
    }

    /** Batched mode: faster, but a text's vector then depends slightly on its batch (see the class notes). */
    public static Options batched(int maxBatchSize) {
      return defaults().withMaxBatchSize(maxBatchSize);
    }

    public Options withWorkers(int newWorkers) {
      return new Options(newWorkers, maxBatchSize, maxBatchTokens);
    }

    public Options withMaxBatchSize(int newMaxBatchSize) {
      return new Options(workers, newMaxBatchSize, maxBatchTokens);
    }

    private static void requirePositive(String name, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be >= 1, was " + value);
      }
    }
  }

  private static final String INPUT_IDS = "input_ids";
  private static final String ATTENTION_MASK = "attention_mask";
  private static final String TOKEN_TYPE_IDS = "token_type_ids";

  private final LocalModelSpec spec;
  private final Options options;
  private final OrtEnvironment environment;
  private final HuggingFaceTokenizer tokenizer;
  private final List<OrtSession> sessions;
  private final BlockingQueue<OrtSession> idleSessions;
  private final boolean takesTokenTypeIds;
  private final ExecutorService executor;

  private OnnxEmbeddingModel(LocalModelSpec spec, Options options) throws OrtException, IOException {
    this.spec = requireNonNull(spec, "spec is null");
    this.options = requireNonNull(options, "options is null");
    this.environment = OrtEnvironment.getEnvironment();
    byte[] modelBytes;
    try (InputStream in = resource(spec.modelResource())) {
      modelBytes = in.readAllBytes();
    }
    // Truncation is explicit so the tokenizer does not guess (and log) the model's window.
    try (InputStream in = resource(spec.tokenizerResource())) {
      this.tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of(
          "padding", "false",
          "truncation", "true",
          "maxLength", Integer.toString(spec.maxTokens())));
    }
    List<OrtSession> created = new ArrayList<>(options.workers());
    try (OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions()) {
      sessionOptions.setIntraOpNumThreads(1);
      sessionOptions.setInterOpNumThreads(1);
      sessionOptions.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      sessionOptions.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      for (int i = 0; i < options.workers(); i++) {
        created.add(environment.createSession(modelBytes, sessionOptions));
      }
    } catch (OrtException | RuntimeException e) {
      closeAll(created);
      tokenizer.close();
      throw e;
    }
    this.sessions = List.copyOf(created);
    this.idleSessions = new ArrayBlockingQueue<>(sessions.size(), false, sessions);
    this.takesTokenTypeIds = sessions.getFirst().getInputNames().contains(TOKEN_TYPE_IDS);
    this.executor = Executors.newFixedThreadPool(
        options.workers(), Thread.ofPlatform().daemon().name("parley-embed-" + spec.id() + "-", 0).factory());
  }

  /** Loads the model and tokenizer from the classpath and starts the workers. */
  public static OnnxEmbeddingModel load(LocalModelSpec spec, Options options) {
    try {
      return new OnnxEmbeddingModel(spec, options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read embedding model " + spec.id(), e);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime cannot load embedding model " + spec.id() + ": " + e.getMessage(), e);
    }
  }

  public static OnnxEmbeddingModel load(LocalModelSpec spec) {
    return load(spec, Options.defaults());
  }

  @Override
  public String id() {
    return spec.id();
  }

  @Override
  public int dimension() {
    return spec.dimension();
  }

  public LocalModelSpec spec() {
    return spec;
  }

  public Options options() {
    return options;
  }

  @Override
  public float[][] embed(List<String> texts) {
    requireNonNull(texts, "texts is null");
    for (int i = 0; i < texts.size(); i++) {
      requireNonNull(texts.get(i), "texts[" + i + "] is null");
    }
    float[][] out = new float[texts.size()][];
    embedInto(texts, out);
    return out;
  }

  /**
   * Plans batches by character length (a good proxy for token count, known without tokenizing), then
   * lets each worker claim a batch, tokenize it and run it, so tokenization is spread over the cores
   * too and overlaps inference. Writes vector i to {@code out[i]}.
   */
  private void embedInto(List<String> texts, float[][] out) {
    int[] estimate = new int[texts.size()];
    for (int i = 0; i < estimate.length; i++) {
      // An upper bound of the token count: every token covers at least one character, plus [CLS] and [SEP].
      estimate[i] = Math.min(spec.maxTokens(), texts.get(i).length() + 2);
    }
    List<int[]> batches = plan(estimate, options.maxBatchSize(), options.maxBatchTokens());
    AtomicInteger next = new AtomicInteger();
    int tasks = Math.min(options.workers(), batches.size());
    List<Future<?>> futures = new ArrayList<>(tasks);
    for (int t = 0; t < tasks; t++) {
      futures.add(executor.submit(() -> {
        OrtSession session = idleSessions.take();
        try {
          for (int b = next.getAndIncrement(); b < batches.size(); b = next.getAndIncrement()) {
            int[] batch = batches.get(b);
            long[][] ids = new long[batch.length][];
            for (int i = 0; i < batch.length; i++) {
              ids[i] = tokenizer.encode(texts.get(batch[i]), true, false).getIds();
            }
            float[][] vectors = run(session, ids);
            for (int i = 0; i < batch.length; i++) {
              out[batch[i]] = vectors[i];
            }
          }
        } finally {
          idleSessions.add(session);
        }
        return null;
      }));
    }
    awaitAll(futures);
  }

  /**
   * Cuts texts into batches of similar length: indexes sorted by estimated token count, longest first
   * (ties by index, so the plan is deterministic); a batch grows while it has fewer than
   * {@code maxBatchSize} texts and its padded size (texts x its first, longest, estimate) stays within
   * {@code maxBatchTokens}. Longest first also balances the workers: the small batches fill the gaps.
   */
  static List<int[]> plan(int[] lengths, int maxBatchSize, int maxBatchTokens) {
    Integer[] order = new Integer[lengths.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> lengths[a] != lengths[b] ? Integer.compare(lengths[b], lengths[a]) : Integer.compare(a, b));
    List<int[]> batches = new ArrayList<>();
    int start = 0;
    while (start < order.length) {
      int longest = lengths[order[start]];
      int size = Math.max(1, Math.min(maxBatchSize, maxBatchTokens / Math.max(1, longest)));
      int end = Math.min(order.length, start + size);
      int[] batch = new int[end - start];
      for (int i = start; i < end; i++) {
        batch[i - start] = order[i];
      }
      batches.add(batch);
      start = end;
    }
    return batches;
  }

  /** One ONNX run over the token ids of a batch, padded to the longest; one normalised vector per row. */
  private float[][] run(OrtSession session, long[][] ids) throws OrtException {
    int rows = ids.length;
    int width = 0;
    for (long[] row : ids) {
      width = Math.max(width, row.length);
    }
    long[] inputIds = new long[rows * width];
    long[] mask = new long[rows * width];
    for (int r = 0; r < rows; r++) {
      long[] row = ids[r];
      System.arraycopy(row, 0, inputIds, r * width, row.length);
      Arrays.fill(mask, r * width, r * width + row.length, 1L);
    }
    long[] shape = {rows, width};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put(INPUT_IDS, OnnxTensor.createTensor(environment, LongBuffer.wrap(inputIds), shape));
      inputs.put(ATTENTION_MASK, OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
      if (takesTokenTypeIds) {
        // Single-segment input: every token type id is 0.
        inputs.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[rows * width]), shape));
      }
      try (OrtSession.Result result = session.run(inputs)) {
        OnnxTensor hidden = (OnnxTensor) result.get(0);
        long[] outShape = hidden.getInfo().getShape();
        int dim = (int) outShape[2];
        if (dim != spec.dimension()) {
          throw new IllegalStateException(
              "model " + spec.id() + " returned " + dim + "-D token vectors, expected " + spec.dimension());
        }
        return pool(hidden.getFloatBuffer(), ids, width, dim);
      }
    } finally {
      for (OnnxTensor tensor : inputs.values()) {
        tensor.close();
      }
    }
  }

  /** Pools the [rows, width, dim] hidden state into normalised sentence vectors. */
  private float[][] pool(FloatBuffer hidden, long[][] ids, int width, int dim) {
    float[][] vectors = new float[ids.length][];
    for (int r = 0; r < ids.length; r++) {
      float[] v = new float[dim];
      int rowBase = r * width * dim;
      switch (spec.pooling()) {
        case CLS -> hidden.get(rowBase, v);
        case MEAN -> {
          int tokens = ids[r].length;
          for (int t = 0; t < tokens; t++) {
            int base = rowBase + t * dim;
            for (int d = 0; d < dim; d++) {
              v[d] += hidden.get(base + d);
            }
          }
          for (int d = 0; d < dim; d++) {
            v[d] /= tokens;
          }
        }
      }
      vectors[r] = Vectors.normalizeInPlace(v);
    }
    return vectors;
  }

  private static void awaitAll(List<Future<?>> futures) {
    RuntimeException failure = null;
    for (Future<?> future : futures) {
      try {
        future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        futures.forEach(f -> f.cancel(true));
        throw new IllegalStateException("interrupted while embedding", e);
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        Throwable cause = c != null ? c : e;
        if (failure == null) {
          failure = cause instanceof RuntimeException re ? re
              : new IllegalStateException("embedding failed: " + cause.getMessage(), cause);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static InputStream resource(String name) {
    InputStream in = OnnxEmbeddingModel.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("classpath resource " + name
          + " not found: is the LangChain4j embedding model artifact on the classpath?");
    }
    return in;
  }

  private static void closeAll(List<OrtSession> sessions) {
    for (OrtSession session : sessions) {
      try {
        session.close();
      } catch (OrtException e) {
        // Closing on the way out: nothing useful to do with a second failure.
      }
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    closeAll(sessions);
    tokenizer.close();
  }

  @Override
  public String toString() {
    return "OnnxEmbeddingModel[" + spec.id() + ", workers=" + options.workers() + ", batch=" + options.maxBatchSize() + "]";
  }
}
