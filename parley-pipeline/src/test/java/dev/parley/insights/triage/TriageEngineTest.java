package dev.parley.insights.triage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.conversation.Conversation;
import dev.parley.core.conversation.Message;
import dev.parley.core.conversation.Speaker;
import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.llm.embed.LocalEmbeddingModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class TriageEngineTest {
  private static final EmbeddingModel MODEL = LocalEmbeddingModels.bgeSmall();

  private static TriageEngine zeroShotEngine() {
    Taxonomy taxonomy = TaxonomyParser.defaultTaxonomy();
    TypeClassifier classifier = new TypeClassifierTrainer(TypeClassifierTrainer.Options.defaults(1)).zeroShot(taxonomy, MODEL);
    return new TriageEngine(new OfflineTriageBackend(classifier, MODEL), taxonomy);
  }

  @Test
  void triage_stage2OnlyWhenSupportReplied() {
    Conversation customerOnly = Conversation.of("a", List.of(Message.of(Speaker.USER, "I was charged twice for my subscription this month")));
    Conversation botOnly = Conversation.of("b", List.of(
        Message.of(Speaker.USER, "I was charged twice for my subscription this month"),
        Message.of(Speaker.ASSISTANT, "I can help with billing questions.")));
    Conversation withSupport = Conversation.of("c", List.of(
        Message.of(Speaker.USER, "the app shows an error when I open it"),
        Message.of(Speaker.SUPPORT, "Thanks, I can confirm this is a bug in the latest release; our engineering team is on it."),
        Message.of(Speaker.USER, "ok thanks")));
    List<TriageResult> results = zeroShotEngine().triage(List.of(customerOnly, botOnly, withSupport));
    assertThat(results).extracting(TriageResult::conversationId).containsExactly("a", "b", "c");
    assertThat(results.get(0).stage1().orElseThrow().type()).isEqualTo("billing");
    assertThat(results.get(0).stage2()).isEmpty();
    assertThat(results.get(0).resolution()).isEmpty();
    assertThat(results.get(1).stage2()).isEmpty();
    assertThat(results.get(1).resolution()).isPresent();
    Stage2 s2 = results.get(2).stage2().orElseThrow();
    assertThat(s2.supportInsights().issueConfirmed()).isTrue();
    assertThat(s2.classificationChanged()).isEqualTo(!s2.stage().type().equals(results.get(2).stage1().orElseThrow().type()));
    assertThat(s2.reasoning()).isNotBlank();
  }

  @Test
  void triage_noCustomerText_perConversationError() {
    Conversation onlySupport = Conversation.of("d", List.of(Message.of(Speaker.SUPPORT, "Hello, how can we help?")));
    Conversation fine = Conversation.of("e", List.of(Message.of(Speaker.USER, "how do I export my data")));
    List<TriageResult> results = zeroShotEngine().triage(List.of(onlySupport, fine));
    assertThat(results.get(0).error()).contains("no customer message to classify");
    assertThat(results.get(1).stage1()).isPresent();
    assertThat(TriageJson.toJson(results.get(0)).get("error").asText()).contains("no customer message");
  }

  @Test
  void trainedClassifier_fromExamples_predictsTheirLabels() {
    String[][] examples = {
        {"card_lost", "I lost my card"}, {"card_lost", "my card is missing"}, {"card_lost", "I can't find my bank card anywhere"},
        {"card_lost", "someone stole my card"}, {"card_lost", "my wallet with the card is gone"}, {"card_lost", "lost debit card"},
        {"top_up", "how do I top up my account"}, {"top_up", "add money to my balance"}, {"top_up", "top-up with bank transfer"},
        {"top_up", "my top up failed"}, {"top_up", "can I top up by card"}, {"top_up", "where do I add funds"}};
    List<String> texts = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (String[] e : examples) {
      labels.add(e[0]);
      texts.add(e[1]);
    }
    LogisticTypeClassifier classifier = new TypeClassifierTrainer(TypeClassifierTrainer.Options.defaults(3)).fit(texts, MODEL.embed(texts), labels);
    assertThat(classifier.labels()).containsExactly("card_lost", "top_up");
    String query = "I think I dropped my card on the bus";
    assertThat(classifier.predict(MODEL.embed(List.of(query))[0], query).type()).isEqualTo("card_lost");
  }
}
