package dev.parley.insights.triage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.conversation.Conversation;
import dev.parley.core.conversation.Message;
import dev.parley.core.conversation.Speaker;
import dev.parley.fakes.FakeAnthropicServer;
import dev.parley.fakes.FakeOpenAiServer;
import dev.parley.fakes.FakeReply;
import dev.parley.insights.text.LlmCache;
import dev.parley.llm.chat.ChatModels;
import java.util.List;
import org.junit.jupiter.api.Test;

final class LlmTriageBackendTest {
  private static final String VALID_WITH_STAGE2 = """
      {"stage1":{"type":"bug_report","confidence":"medium","urgency":"normal","reasoning":"app error"},
       "stage2":{"type":"configuration_help","confidence":"high","urgency":"normal","disambiguation_level":"high",
                 "reasoning":"support found a wrong setting","support_insights":{"issue_confirmed":false,"root_cause":"SSO misconfigured",
                 "requested_information":false,"escalated":false,"suggested_action":null}},
       "resolution":{"status":"resolved","action":"configuration fixed"}}""";

  private static Conversation thread(String id) {
    return Conversation.of(id, List.of(
        Message.of(Speaker.USER, "I get an error when logging in with SSO"),
        Message.of(Speaker.SUPPORT, "Your SSO issuer URL is wrong; I corrected it."),
        Message.of(Speaker.USER, "works now, thanks")));
  }

  @Test
  void triage_validReply_stagesFromModelRoutingFromTaxonomy() {
    try (FakeAnthropicServer server = FakeAnthropicServer.start()) {
      server.enqueue(FakeReply.text(VALID_WITH_STAGE2));
      LlmTriageBackend backend = new LlmTriageBackend(ChatModels.fromSpec("anthropic", server.env("k")), "", LlmCache.inMemory());
      TriageResult r = new TriageEngine(backend, TaxonomyParser.defaultTaxonomy()).triage(List.of(thread("t1"))).getFirst();
      assertThat(r.stage1().orElseThrow().type()).isEqualTo("bug_report");
      Stage2 s2 = r.stage2().orElseThrow();
      assertThat(s2.classificationChanged()).isTrue();
      assertThat(s2.stage().routingTeam()).isEqualTo("technical_support");
      assertThat(s2.supportInsights().rootCause()).contains("SSO misconfigured");
      assertThat(r.resolution().orElseThrow().status()).isEqualTo(Resolution.Status.RESOLVED);
      assertThat(backend.usage().inputTokens()).isPositive();
      assertThat(server.lastRequest().systemPrompt()).contains("bug_report");
    }
  }

  @Test
  void triage_garbageTwice_errorForThatConversationOnly() {
    try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
      server.enqueue(
          FakeReply.text("I think it's a bug."),
          FakeReply.text("{\"stage1\":{\"type\":\"not_a_type\",\"confidence\":\"high\",\"urgency\":\"normal\"}}"),
          FakeReply.text(VALID_WITH_STAGE2));
      LlmTriageBackend backend = new LlmTriageBackend(ChatModels.fromSpec("openai", server.env("k")), "", LlmCache.inMemory());
      List<TriageResult> results = new TriageEngine(backend, TaxonomyParser.defaultTaxonomy()).triage(List.of(thread("bad"), thread("good")));
      assertThat(results.get(0).error().orElseThrow()).contains("invalid LLM output after one retry");
      assertThat(results.get(1).stage2()).isPresent();
      assertThat(backend.calls()).isEqualTo(3);
    }
  }

  @Test
  void triage_stage2WithoutSupportReply_rejectedAndRetried() {
    try (FakeAnthropicServer server = FakeAnthropicServer.start()) {
      server.enqueue(FakeReply.text(VALID_WITH_STAGE2),
          FakeReply.text("{\"stage1\":{\"type\":\"billing\",\"confidence\":\"high\",\"urgency\":\"high\"},\"stage2\":null,\"resolution\":null}"));
      LlmTriageBackend backend = new LlmTriageBackend(ChatModels.fromSpec("anthropic", server.env("k")), "", LlmCache.inMemory());
      Conversation c = Conversation.of("x", List.of(Message.of(Speaker.USER, "refund my double charge now")));
      TriageResult r = new TriageEngine(backend, TaxonomyParser.defaultTaxonomy()).triage(List.of(c)).getFirst();
      assertThat(r.stage1().orElseThrow().type()).isEqualTo("billing");
      assertThat(r.stage1().orElseThrow().urgency()).isEqualTo(Urgency.HIGH);
      assertThat(r.stage2()).isEmpty();
      assertThat(server.requestCount()).isEqualTo(2);
    }
  }
}
