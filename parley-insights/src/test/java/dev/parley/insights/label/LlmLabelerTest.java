package dev.parley.insights.label;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.chat.ChatModel;
import dev.parley.core.chat.ChatRequest;
import dev.parley.core.chat.LlmException;
import dev.parley.fakes.ScriptedChatModel.Reply;
import dev.parley.fakes.ScriptedChatModel;
import dev.parley.insights.hierarchy.ClusterTree;
import dev.parley.insights.pipeline.TestRuns;
import dev.parley.insights.privacy.PrivacyRule;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LLM labelling against a scripted model: valid answers, garbage, provider errors (the adapters' wire is tested in parley-llm). */
final class LlmLabelerTest {
  private ScriptedChatModel server;
  private ExecutorService executor;

  @BeforeEach
  void start() {
    server = new ScriptedChatModel("anthropic", r -> Reply.failure(LlmException.Kind.SERVER_ERROR));
    executor = Executors.newVirtualThreadPerTaskExecutor();
  }

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private Labeling label(TestRuns.Fixture fixture) {
    ChatModel chat = server;
    LlmLabeler llm = new LlmLabeler(chat, LlmLabeler.Params.defaults("claude-test"), executor);
    HierarchyLabeler labeler = new HierarchyLabeler(
        new FarthestPointSampler(SamplingParams.DEFAULTS), ClassTfIdf.defaults(), LabelParams.DEFAULTS, Optional.of(llm));
    ClusterTree tree = fixture.privacy().tree();
    return labeler.label(new LabelingInput(tree, fixture.vectors(), fixture.texts(), fixture.privacy().redacted()), 42);
  }

  /** Answers like a well-behaved model: themes for map prompts, a label for reduce prompts. */
  private static Reply good(ChatRequest request) {
    String prompt = ScriptedChatModel.lastMessageText(request);
    if (prompt.contains("Name the 1 to 3 themes")) {
      return Reply.text("```json\n{\"themes\": [\"sorting out a card or booking\"]}\n```");
    }
    if (prompt.contains("Write a label for the whole group")) {
      return Reply.text("{\"label\": \"Group of needs\", \"description\": \"Users in this group need several related things.\"}");
    }
    return Reply.text("Here you go: {\"label\": \"Specific need\", \"description\": \"Users ask for one specific thing.\"}");
  }

  @Test
  void label_validAnswers_everyShownNodeLabelledByLlm() {
    server.respondWith(LlmLabelerTest::good);
    TestRuns.Fixture fixture = TestRuns.fixture(PrivacyRule.DEFAULT);

    Labeling labeling = label(fixture);

    for (NodeLabel label : labeling.labels()) {
      if (fixture.privacy().redacted().contains(label.node())) {
        assertThat(label.source()).isEqualTo(LabelSource.REDACTED);
      } else {
        ClusterTree.Node node = fixture.privacy().tree().nodes().get(label.node());
        assertThat(label.source()).isEqualTo(LabelSource.LLM);
        assertThat(label.label()).isEqualTo(node.isLeaf() ? "Specific need" : "Group of needs");
      }
    }
    assertThat(labeling.stats().llmRetries()).isZero();
    assertThat(labeling.stats().llmFallbacks()).isZero();
    assertThat(labeling.stats().llmCalls()).isEqualTo(server.requestCount());
    assertThat(labeling.stats().inputTokens()).isPositive();
  }

  @Test
  void label_reducePrompt_namesNearestSiblingsForContrast() {
    server.respondWith(LlmLabelerTest::good);

    label(TestRuns.fixture(PrivacyRule.NONE));

    List<String> reduces = server.requests().stream().map(ScriptedChatModel::lastMessageText)
        .filter(t -> t.contains("Write a label for this cluster")).toList();
    assertThat(reduces).isNotEmpty();
    assertThat(reduces).anySatisfy(t -> assertThat(t).contains("Nearby clusters"));
    assertThat(reduces).allSatisfy(t -> assertThat(t).contains("Themes proposed by the batches"));
    // Redacted and personal details never reach the model: no prompt carries a withheld cluster's texts.
    assertThat(server.requests()).allSatisfy(r -> assertThat(r.system()).contains("never repeat names"));
  }

  @Test
  void label_garbageAnswers_fallBackOfflineWithoutFailing() {
    server.respondWith(r -> Reply.text("I am sorry, I cannot do JSON today. {not json"));
    TestRuns.Fixture fixture = TestRuns.fixture(PrivacyRule.DEFAULT);

    Labeling labeling = label(fixture);

    for (NodeLabel label : labeling.labels()) {
      if (!fixture.privacy().redacted().contains(label.node())) {
        assertThat(label.source()).isEqualTo(LabelSource.OFFLINE_FALLBACK);
        assertThat(label.label()).isEqualTo(fixture.labeling().labels().get(label.node()).label());
      }
    }
    assertThat(labeling.stats().llmRetries()).isEqualTo(labeling.stats().llmCalls() / 2);
    assertThat(server.requests()).anySatisfy(r -> assertThat(ScriptedChatModel.lastMessageText(r)).contains("could not be used: no JSON object found"));
  }

  @Test
  void label_invalidThenValid_retriedOnceAndUsed() {
    AtomicInteger count = new AtomicInteger();
    // Every first reduce answer breaks the schema (a label of 12 words); the retry is valid.
    server.respondWith(r -> {
      String prompt = ScriptedChatModel.lastMessageText(r);
      if (prompt.contains("Write a label") && !prompt.contains("could not be used") && count.getAndIncrement() >= 0) {
        return Reply.text("{\"label\": \"a b c d e f g h i j k l\", \"description\": \"x\"}");
      }
      return good(r);
    });
    TestRuns.Fixture fixture = TestRuns.fixture(PrivacyRule.NONE);

    Labeling labeling = label(fixture);

    assertThat(labeling.labels()).allSatisfy(l -> assertThat(l.source()).isEqualTo(LabelSource.LLM));
    assertThat(labeling.stats().llmRetries()).isEqualTo(count.get());
    assertThat(server.requests()).anySatisfy(r -> assertThat(ScriptedChatModel.lastMessageText(r)).contains("the label has 12 words, more than 8"));
  }

  @Test
  void label_providerErrors_fallBackOfflineWithoutFailing() {
    server.respondWith(r -> Reply.failure(LlmException.Kind.SERVER_ERROR));
    TestRuns.Fixture fixture = TestRuns.fixture(PrivacyRule.NONE);

    Labeling labeling = label(fixture);

    assertThat(labeling.labels()).allSatisfy(l -> assertThat(l.source()).isEqualTo(LabelSource.OFFLINE_FALLBACK));
    assertThat(labeling.stats().llmFallbacks()).isEqualTo(labeling.labels().size());
  }

  @Test
  void parseLabel_quotesAndPeriodStripped() {
    LabelText text = LlmLabeler.parseLabel(LlmLabeler.extractJson("{\"label\": \"\\\"Book flights.\\\"\", \"description\": \" Users  book\\nflights. \"}"));
    assertThat(text).isEqualTo(new LabelText("Book flights", "Users book flights."));
  }
}
