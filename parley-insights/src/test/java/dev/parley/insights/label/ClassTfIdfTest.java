package dev.parley.insights.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

final class ClassTfIdfTest {
  private static final List<List<String>> TOY = List.of(
      List.of(
          "My card has not arrived yet, my account is fine",
          "When will my new card arrive?",
          "The card delivery is late, I ordered it from my account",
          "Still waiting for card delivery, Bob here"),
      List.of(
          "What is the exchange rate for euros?",
          "Which exchange rate do you use on my account",
          "The exchange rate seems wrong",
          "Bad exchange rate when paying in dollars"),
      List.of(
          "I want a refund for this purchase",
          "How long does a refund take to my account?",
          "Refund still not received",
          "Please refund the duplicate purchase"));

  @Test
  void keywords_toyCorpus_distinctiveTermsFirst() {
    List<List<Keyword>> keywords = ClassTfIdf.defaults().keywords(TOY, 5);

    assertThat(terms(keywords.get(0))).first().isIn("card", "card delivery");
    assertThat(terms(keywords.get(0))).contains("card delivery");
    assertThat(terms(keywords.get(1))).first().isEqualTo("exchange rate");
    assertThat(terms(keywords.get(2))).first().isEqualTo("refund");
    assertThat(terms(keywords.get(2))).contains("purchase");
  }

  @Test
  void keywords_termInEveryClass_ranksBelowDistinctiveTerms() {
    List<List<Keyword>> keywords = ClassTfIdf.defaults().keywords(TOY, 20);

    // "account" occurs in two card documents, as often as "arrive" and "card delivery", but also elsewhere.
    List<String> card = terms(keywords.get(0));
    assertThat(card).contains("account");
    assertThat(card.indexOf("account")).isGreaterThan(card.indexOf("card delivery"));
  }

  @Test
  void keywords_stopWordsAndSingleDocumentTerms_leftOut() {
    List<List<Keyword>> keywords = ClassTfIdf.defaults().keywords(TOY, 50);

    for (List<Keyword> list : keywords) {
      assertThat(terms(list)).doesNotContain("my", "the", "is", "please", "want", "bob");
    }
  }

  @Test
  void keywords_unigramInsideBetterBigram_leftOut() {
    List<List<Keyword>> keywords = ClassTfIdf.defaults().keywords(TOY, 5);

    assertThat(terms(keywords.get(1))).contains("exchange rate").doesNotContain("exchange", "rate");
  }

  @Test
  void keywords_sameInput_sameOutput() {
    assertThat(ClassTfIdf.defaults().keywords(TOY, 8)).isEqualTo(ClassTfIdf.defaults().keywords(TOY, 8));
  }

  @Test
  void constructor_minDocumentsZero_rejectedNamingValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClassTfIdf(new Tokenizer(true), 0));
    assertThat(e).hasMessageContaining("minDocuments").hasMessageContaining("0");
  }

  @Test
  void terms_possessivesAndNumbers_normalised() {
    assertThat(new Tokenizer(false).terms("My card's PIN 1234 isn't working")).containsExactly("card", "pin", "working");
  }

  @Test
  void terms_linksAndEmails_ignored() {
    assertThat(new Tokenizer(false).terms("see https://example.com/help or mail bob@example.org about billing"))
        .containsExactly("mail", "billing");
  }

  @Test
  void labelTerms_bigramReplacesItsUnigrams() {
    assertThat(HierarchyLabeler.labelTerms(List.of("flight", "seat", "flight seat", "seat today", "booking", "boston"), 3))
        .containsExactly("flight seat", "booking", "boston");
  }

  @Test
  void labelTerms_wordVariantsSkipped() {
    assertThat(HierarchyLabeler.labelTerms(List.of("identity check", "verify", "verifying", "cards", "card", "delivery", "delivered"), 4))
        .containsExactly("identity check", "verify", "cards", "delivery");
    assertThat(HierarchyLabeler.sameWordFamily("pin", "pins")).isFalse();
  }

  private static List<String> terms(List<Keyword> keywords) {
    return keywords.stream().map(Keyword::term).toList();
  }
}
