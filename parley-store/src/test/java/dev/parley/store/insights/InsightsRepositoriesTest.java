package dev.parley.store.insights;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import dev.parley.store.Database;
import dev.parley.store.TenantId;
import dev.parley.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

final class InsightsRepositoriesTest {
  /** A result that stopped after stage 1. */
  private static ObjectNode triage(String id, String type1) {
    ObjectNode r = Json.object();
    r.put("conversation_id", id);
    r.put("backend", "offline:test");
    ObjectNode s1 = r.putObject("stage1");
    s1.put("type", type1);
    s1.put("confidence", "high");
    return r;
  }

  private static ObjectNode triage(String id, String type1, String type2) {
    ObjectNode r = triage(id, type1);
    ObjectNode s2 = r.putObject("stage2");
    s2.put("type", type2);
    s2.put("confidence", "medium");
    s2.put("classification_changed", !type2.equals(type1));
    r.putObject("resolution").put("status", "resolved");
    return r;
  }

  @Test
  void triageUpsert_rerunReplacesNeverDuplicates() {
    try (Database db = TestDatabase.fresh()) {
      TriageRepository repo = new TriageRepository(db.jdbi());
      repo.upsertAll(TenantId.DEFAULT, List.of(triage("c1", "billing"), triage("c2", "bug_report", "configuration_help")));
      repo.upsertAll(TenantId.DEFAULT, List.of(triage("c1", "account_issue", "account_issue")));
      TriageRepository.Stats stats = repo.stats(TenantId.DEFAULT);
      assertThat(stats.total()).isEqualTo(2);
      assertThat(stats.byStage1Type()).containsEntry("account_issue", 1L).containsEntry("bug_report", 1L).doesNotContainKey("billing");
      assertThat(stats.withStage2()).isEqualTo(2);
      assertThat(stats.changeRate()).isEqualTo(0.5);
      assertThat(stats.byResolution()).containsEntry("resolved", 2L);
      assertThat(repo.find(TenantId.DEFAULT, "c1").orElseThrow().get("stage1").get("type").asText()).isEqualTo("account_issue");
    }
  }

  @Test
  void triageUpsert_errorResultCountsAsFailed() {
    try (Database db = TestDatabase.fresh()) {
      TriageRepository repo = new TriageRepository(db.jdbi());
      ObjectNode failed = Json.object();
      failed.put("conversation_id", "x");
      failed.put("error", "no customer message to classify");
      failed.put("backend", "offline:test");
      repo.upsertAll(TenantId.DEFAULT, List.of(failed));
      assertThat(repo.stats(TenantId.DEFAULT).failed()).isEqualTo(1);
      assertThat(repo.stats(TenantId.DEFAULT).changeRate()).isNaN();
    }
  }

  @Test
  void segmentationUpsert_rerunReplaces() {
    try (Database db = TestDatabase.fresh()) {
      SegmentationRepository repo = new SegmentationRepository(db.jdbi());
      ObjectNode line = Json.object();
      line.put("conversation_id", "c1");
      line.putArray("segments").addObject().put("start", 0).put("end", 4);
      line.put("summary", "first");
      line.put("summary_kind", "extractive");
      repo.upsertAll(TenantId.DEFAULT, List.of(line));
      line.put("summary", "second");
      repo.upsertAll(TenantId.DEFAULT, List.of(line));
      assertThat(repo.count(TenantId.DEFAULT)).isEqualTo(1);
      assertThat(repo.find(TenantId.DEFAULT, "c1").orElseThrow().get("summary").asText()).isEqualTo("second");
    }
  }

  @Test
  void llmReplyCache_firstWriterWins() {
    try (Database db = TestDatabase.fresh()) {
      LlmReplyCache cache = new LlmReplyCache(db.jdbi());
      String key = "a".repeat(64);
      assertThat(cache.get(key)).isEmpty();
      cache.put(key, "one");
      cache.put(key, "two");
      assertThat(cache.get(key)).contains("one");
    }
  }
}
