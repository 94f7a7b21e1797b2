package dev.parley.insights.summary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.chat.ChatModel;
import dev.parley.fakes.FakeAnthropicServer;
import dev.parley.fakes.FakeReply;
import dev.parley.insights.text.LlmCache;
import dev.parley.llm.chat.ChatModels;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class LlmSummarizerTest {
  private final FakeAnthropicServer server = FakeAnthropicServer.start();
  private final ChatModel chat = ChatModels.fromSpec("anthropic", server.env("test-key"));

  @AfterEach
  void stop() {
    server.close();
  }

  private static List<SummaryRequest> requests() {
    return List.of(
        new SummaryRequest("a#0", List.of("my card was declined"), "user: my card was declined\nassistant: it is blocked\n"),
        new SummaryRequest("a#1", List.of("book a table"), "user: book a table\nassistant: booked\n"));
  }

  @Test
  void summarize_validReply_oneBatchedCallThenCached() {
    server.enqueue(FakeReply.text("{\"summaries\":[{\"id\":\"s1\",\"summary\":\"The user's card was declined.\"},{\"id\":\"s2\",\"summary\":\"The user booked a table.\"}]}"));
    LlmCache cache = LlmCache.inMemory();
    LlmSummarizer summarizer = new LlmSummarizer(chat, "", cache, 8);
    LlmSummarizer.Result first = summarizer.summarize(requests());
    assertThat(first.summaries()).extracting(s -> s.text().orElseThrow()).containsExactly("The user's card was declined.", "The user booked a table.");
    assertThat(first.summaries()).allMatch(s -> s.kind() == SummaryKind.LLM);
    assertThat(first.accounting().calls()).isEqualTo(1);
    assertThat(first.accounting().usage().inputTokens()).isPositive();
    assertThat(server.requestCount()).isEqualTo(1);
    LlmSummarizer.Result second = summarizer.summarize(requests());
    assertThat(second.accounting().cacheHits()).isEqualTo(2);
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void summarize_garbageThenValid_retriedOnce() {
    server.enqueue(
        FakeReply.text("Sure! Here are your summaries: the first one is about cards"),
        FakeReply.text("```json\n{\"summaries\":[{\"id\":\"s1\",\"summary\":\"Card declined.\"},{\"id\":\"s2\",\"summary\":\"Table booked.\"}]}\n```"));
    LlmSummarizer.Result r = new LlmSummarizer(chat, "", LlmCache.inMemory(), 8).summarize(requests());
    assertThat(r.summaries()).allMatch(s -> s.text().isPresent());
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(server.lastRequest().lastMessageText()).contains("invalid");
  }

  @Test
  void summarize_garbageTwice_perItemErrorAndTheRunGoesOn() {
    server.enqueue(
        FakeReply.text("{\"summaries\":[{\"id\":\"s1\",\"summary\":\"only one\"}]}"),
        FakeReply.text("not json at all"),
        FakeReply.text("{\"summaries\":[{\"id\":\"s1\",\"summary\":\"Third segment.\"}]}"));
    LlmSummarizer summarizer = new LlmSummarizer(chat, "", LlmCache.inMemory(), 2);
    List<SummaryRequest> three = new java.util.ArrayList<>(requests());
    three.add(new SummaryRequest("b#0", List.of("where is my parcel"), "user: where is my parcel\n"));
    LlmSummarizer.Result r = summarizer.summarize(three);
    assertThat(r.summaries().get(0).error().orElseThrow()).contains("invalid LLM output after one retry");
    assertThat(r.summaries().get(1).error()).isPresent();
    assertThat(r.summaries().get(2).text()).contains("Third segment.");
  }
}
