package dev.parley.insights.label;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.chat.ChatMessage;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.chat.ChatRequest;
import dev.parley.core.chat.ChatResponse;
import dev.parley.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Writes cluster labels with an LLM by map-reduce: small batches of a cluster's representatives each
 * propose a few themes (in parallel), then one reduce call turns the themes, the c-TF-IDF keywords and
 * the labels of the nearest sibling clusters into one label and a one-sentence description that tell
 * this cluster apart from its neighbours. Parents are reduced from their children's labels.
 *
 * <p>Reference: the hierarchical, contrastive map-reduce labelling of A. Tamkin et al., "Clio:
 * Privacy-Preserving Insights into Real-World AI Use", arXiv:2412.13678 (2024), §2 and appendix G.
 *
 * <p>Every answer must be one JSON object that passes validation; an invalid answer or a failed call
 * is retried once with the problem stated, and a second failure yields {@link Optional#empty()} (the
 * caller keeps the offline label). Nothing here throws on provider trouble: labelling never stops a run.
 */
public final class LlmLabeler {
  /**
   * @param model provider model name
   * @param batchSize representatives per map call
   * @param maxConcurrency provider calls in flight at once
   * @param maxTokens output token limit per call
   * @param maxTextChars representative texts are cut to this length in prompts
   */
  public record Params(String model, int batchSize, int maxConcurrency, int maxTokens, int maxTextChars) {
    public Params {
      requireNonNull(model, "model is null");
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
      }
      if (maxConcurrency < 1) {
        throw new IllegalArgumentException("maxConcurrency must be >= 1, was " + maxConcurrency);
      }
      if (maxTokens < 16) {
        throw new IllegalArgumentException("maxTokens must be >= 16, was " + maxTokens);
      }
      if (maxTextChars < 20) {
        throw new IllegalArgumentException("maxTextChars must be >= 20, was " + maxTextChars);
      }
    }

    public static Params defaults(String model) {
      return new Params(model, 8, 4, 400, 400);
    }
  }

  /** A leaf to label from its representatives' texts. */
  public record LeafTask(List<String> texts, List<String> keywords, List<String> contrast) {
    public LeafTask {
      texts = List.copyOf(requireNonNull(texts, "texts is null"));
      keywords = List.copyOf(requireNonNull(keywords, "keywords is null"));
      contrast = List.copyOf(requireNonNull(contrast, "contrast is null"));
    }
  }

  /** A parent to label from its children's labels (with sizes). */
  public record ParentTask(List<LabelText> children, List<Integer> childSizes, List<String> keywords, List<String> contrast) {
    public ParentTask {
      children = List.copyOf(requireNonNull(children, "children is null"));
      childSizes = List.copyOf(requireNonNull(childSizes, "childSizes is null"));
      keywords = List.copyOf(requireNonNull(keywords, "keywords is null"));
      contrast = List.copyOf(requireNonNull(contrast, "contrast is null"));
    }
  }

  static final String SYSTEM = "You analyse what users of an AI assistant or a support service are trying to do, "
      + "from short summaries of their conversations. You never repeat names, contact details or other personal "
      + "information. You answer with one JSON object and nothing else.";

  private static final int MAX_LABEL_CHARS = 60;
  private static final int MAX_LABEL_WORDS = 8;
  private static final int MAX_DESCRIPTION_CHARS = 300;
  private static final int MAX_THEME_CHARS = 120;

  private final ChatModel chat;
  private final Params params;
  private final ExecutorService executor;
  private final Semaphore inFlight;
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger retries = new AtomicInteger();
  private final AtomicLong inputTokens = new AtomicLong();
  private final AtomicLong outputTokens = new AtomicLong();

  /**
   * @param executor runs the provider calls; owned by the caller (virtual threads suit it), at most
   *     {@code params.maxConcurrency()} calls run at once whatever its size
   */
  public LlmLabeler(ChatModel chat, Params params, ExecutorService executor) {
    this.chat = requireNonNull(chat, "chat is null");
    this.params = requireNonNull(params, "params is null");
    this.executor = requireNonNull(executor, "executor is null");
    this.inFlight = new Semaphore(params.maxConcurrency());
  }

  public String provider() {
    return chat.provider();
  }

  public Params params() {
    return params;
  }

  /** Labels leaves: all map calls in parallel, then all reduce calls in parallel. One result per task. */
  public List<Optional<LabelText>> labelLeaves(List<LeafTask> tasks) {
    List<List<Future<Optional<List<String>>>>> maps = new ArrayList<>(tasks.size());
    for (LeafTask task : tasks) {
      List<Future<Optional<List<String>>>> batches = new ArrayList<>();
      for (int from = 0; from < task.texts().size(); from += params.batchSize()) {
        List<String> batch = task.texts().subList(from, Math.min(task.texts().size(), from + params.batchSize()));
        batches.add(submit(() -> ask(mapPrompt(batch), LlmLabeler::parseThemes)));
      }
      maps.add(batches);
    }
    List<Future<Optional<LabelText>>> reduces = new ArrayList<>(tasks.size());
    for (int t = 0; t < tasks.size(); t++) {
      List<String> themes = new ArrayList<>();
      for (Future<Optional<List<String>>> batch : maps.get(t)) {
        join(batch).ifPresent(themes::addAll);
      }
      LeafTask task = tasks.get(t);
      if (themes.isEmpty()) {
        // Every map call failed twice: there is nothing to reduce.
        reduces.add(java.util.concurrent.CompletableFuture.completedFuture(Optional.empty()));
      } else {
        reduces.add(submit(() -> ask(leafReducePrompt(themes, task), LlmLabeler::parseLabel)));
      }
    }
    return reduces.stream().map(LlmLabeler::join).toList();
  }

  /** Labels parents from their children's labels, in parallel. One result per task. */
  public List<Optional<LabelText>> labelParents(List<ParentTask> tasks) {
    List<Future<Optional<LabelText>>> futures = new ArrayList<>(tasks.size());
    for (ParentTask task : tasks) {
      futures.add(submit(() -> ask(parentPrompt(task), LlmLabeler::parseLabel)));
    }
    return futures.stream().map(LlmLabeler::join).toList();
  }

  public int calls() {
    return calls.get();
  }

  public int retries() {
    return retries.get();
  }

  public long inputTokens() {
    return inputTokens.get();
  }

  public long outputTokens() {
    return outputTokens.get();
  }

  private <T> Future<Optional<T>> submit(Callable<Optional<T>> call) {
    return executor.submit(call);
  }

  private static <T> Optional<T> join(Future<Optional<T>> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a labelling call", e);
    } catch (ExecutionException e) {
      // ask() catches everything it can; anything else (an Error) is still not worth stopping the run for.
      return Optional.empty();
    }
  }

  /** One structured call with one retry; empty when both attempts fail. */
  private <T> Optional<T> ask(String prompt, Function<JsonNode, T> parse) throws InterruptedException {
    String message = prompt;
    for (int attempt = 0; attempt < 2; attempt++) {
      if (attempt > 0) {
        retries.incrementAndGet();
      }
      String problem;
      inFlight.acquire();
      try {
        calls.incrementAndGet();
        ChatResponse response = chat.chat(new ChatRequest(
            params.model(), SYSTEM, List.of(ChatMessage.user(message)), List.of(), params.maxTokens(), 0.0, true));
        inputTokens.addAndGet(response.usage().inputTokens());
        outputTokens.addAndGet(response.usage().outputTokens());
        return Optional.of(parse.apply(extractJson(response.message().text())));
      } catch (InvalidAnswerException e) {
        problem = e.getMessage();
      } catch (RuntimeException e) {
        // Provider failure (LlmException after the adapter's own retries) or anything unexpected.
        problem = "the call failed (" + e.getClass().getSimpleName() + ")";
      } finally {
        inFlight.release();
      }
      message = prompt + "\n\nYour previous answer could not be used: " + problem
          + ". Answer again with exactly one JSON object of the requested shape and nothing else.";
    }
    return Optional.empty();
  }

  /** An answer that is not the JSON object asked for. */
  static final class InvalidAnswerException extends RuntimeException {
    InvalidAnswerException(String message) {
      super(message);
    }
  }

  /** The JSON object in a reply, tolerating code fences and prose around it. */
  static JsonNode extractJson(String text) {
    int start = text.indexOf('{');
    int end = text.lastIndexOf('}');
    if (start < 0 || end <= start) {
      throw new InvalidAnswerException("no JSON object found");
    }
    try {
      JsonNode node = Json.mapper().readTree(text.substring(start, end + 1));
      if (node == null || !node.isObject()) {
        throw new InvalidAnswerException("the answer is not a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new InvalidAnswerException("malformed JSON: " + e.getOriginalMessage());
    }
  }

  static List<String> parseThemes(JsonNode node) {
    JsonNode themes = node.get("themes");
    if (themes == null || !themes.isArray() || themes.isEmpty()) {
      throw new InvalidAnswerException("field 'themes' must be a non-empty array of strings");
    }
    List<String> result = new ArrayList<>();
    for (JsonNode theme : themes) {
      if (!theme.isTextual() || theme.asText().isBlank()) {
        throw new InvalidAnswerException("every theme must be a non-empty string");
      }
      String text = oneLine(theme.asText());
      if (text.length() > MAX_THEME_CHARS) {
        throw new InvalidAnswerException("a theme has " + text.length() + " characters, more than " + MAX_THEME_CHARS);
      }
      result.add(text);
    }
    return result.size() > 5 ? List.copyOf(result.subList(0, 5)) : List.copyOf(result);
  }

  static LabelText parseLabel(JsonNode node) {
    JsonNode label = node.get("label");
    JsonNode description = node.get("description");
    if (label == null || !label.isTextual() || label.asText().isBlank()) {
      throw new InvalidAnswerException("field 'label' must be a non-empty string");
    }
    if (description == null || !description.isTextual() || description.asText().isBlank()) {
      throw new InvalidAnswerException("field 'description' must be a non-empty string");
    }
    String labelText = oneLine(label.asText()).replaceAll("^[\"'\\s]+|[\"'.\\s]+$", "");
    if (labelText.isEmpty()) {
      throw new InvalidAnswerException("field 'label' is empty once quotes are removed");
    }
    if (labelText.length() > MAX_LABEL_CHARS) {
      throw new InvalidAnswerException("the label has " + labelText.length() + " characters, more than " + MAX_LABEL_CHARS);
    }
    int words = labelText.split("\\s+").length;
    if (words > MAX_LABEL_WORDS) {
      throw new InvalidAnswerException("the label has " + words + " words, more than " + MAX_LABEL_WORDS);
    }
    String descriptionText = oneLine(description.asText());
    if (descriptionText.length() > MAX_DESCRIPTION_CHARS) {
      throw new InvalidAnswerException("the description has " + descriptionText.length() + " characters, more than " + MAX_DESCRIPTION_CHARS);
    }
    return new LabelText(labelText, descriptionText);
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").trim();
  }

  private String clip(String text) {
    String line = oneLine(text);
    return line.length() <= params.maxTextChars() ? line : line.substring(0, params.maxTextChars() - 1) + "\u2026";
  }

  String mapPrompt(List<String> batch) {
    StringBuilder sb = new StringBuilder("Here are ").append(batch.size())
        .append(" summaries of conversations from one cluster:\n");
    for (int i = 0; i < batch.size(); i++) {
      sb.append(i + 1).append(". ").append(clip(batch.get(i))).append('\n');
    }
    sb.append("\nName the 1 to 3 themes these conversations share: what the users are trying to do, each as a short phrase "
        + "of at most 8 words, without names or personal details.\nAnswer as JSON: {\"themes\": [\"...\"]}");
    return sb.toString();
  }

  String leafReducePrompt(List<String> themes, LeafTask task) {
    StringBuilder sb = new StringBuilder("A cluster of conversations was read in batches. Themes proposed by the batches:\n");
    for (String theme : themes) {
      sb.append("- ").append(theme).append('\n');
    }
    appendContext(sb, task.keywords(), task.contrast(), "clusters");
    sb.append("\nWrite a label for this cluster (at most 6 words, naming what the users are trying to do, no trailing period) "
        + "and a one-sentence description. The label must tell this cluster apart from the nearby clusters.\n"
        + "Answer as JSON: {\"label\": \"...\", \"description\": \"...\"}");
    return sb.toString();
  }

  String parentPrompt(ParentTask task) {
    StringBuilder sb = new StringBuilder("These subclusters form one group of conversations (label: description, size):\n");
    for (int i = 0; i < task.children().size(); i++) {
      LabelText child = task.children().get(i);
      sb.append("- ").append(child.label()).append(": ").append(clip(child.description()));
      if (i < task.childSizes().size()) {
        sb.append(" (").append(task.childSizes().get(i)).append(')');
      }
      sb.append('\n');
    }
    appendContext(sb, task.keywords(), task.contrast(), "groups");
    sb.append("\nWrite a label for the whole group (at most 6 words, broader than any one subcluster, no trailing period) "
        + "and a one-sentence description that covers all its subclusters and tells it apart from the nearby groups.\n"
        + "Answer as JSON: {\"label\": \"...\", \"description\": \"...\"}");
    return sb.toString();
  }

  private static void appendContext(StringBuilder sb, List<String> keywords, List<String> contrast, String noun) {
    if (!keywords.isEmpty()) {
      sb.append("Distinctive keywords: ").append(String.join(", ", keywords)).append('\n');
    }
    if (!contrast.isEmpty()) {
      sb.append("Nearby ").append(noun).append(" (for contrast; do not describe them):\n");
      for (String other : contrast) {
        sb.append("- ").append(other).append('\n');
      }
    }
  }
}
