package dev.parley.insights.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

final class TextTest {
  @Test
  void words_lowercasesAndKeepsApostrophes() {
    assertThat(Tokens.words("I can't LOG-IN, again!")).containsExactly("i", "can't", "log", "in", "again");
    assertThat(Tokens.contentWords("I can't log in to my account")).containsExactly("can't", "log", "account");
  }

  @Test
  void split_sentencesAtPunctuationAndLineBreaks() {
    assertThat(Sentences.split("Hi there. My card was declined!! Why?\nPlease help"))
        .containsExactly("Hi there.", "My card was declined!!", "Why?", "Please help");
    assertThat(Sentences.split("version 2.5 is out")).containsExactly("version 2.5 is out");
    assertThat(Sentences.split(" ... ")).isEmpty();
  }

  @Test
  void tfidf_unitNormAndSharedTermsScoreHigher() {
    TfIdfModel model = new TfIdfTrainer(true, false, 1).fit(List.of("card declined at shop", "card arrived late", "password reset email"));
    SparseVector a = model.transform("my card was declined");
    SparseVector b = model.transform("card declined again");
    SparseVector c = model.transform("reset my password");
    assertThat(a.norm()).isCloseTo(1.0, within(1e-6));
    assertThat(a.dot(b)).isGreaterThan(a.dot(c));
    assertThat(model.transform("zebra")).isEqualTo(SparseVector.EMPTY);
  }
}
