package dev.parley.store.insights;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import dev.parley.store.TenantId;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Segmentations, one row per (tenant, conversation); {@link #upsertAll} replaces earlier ones. */
public final class SegmentationRepository {
  private final Jdbi jdbi;

  public SegmentationRepository(Jdbi jdbi) {
    this.jdbi = requireNonNull(jdbi, "jdbi is null");
  }

  /** Stores output lines ({@code {"conversation_id","segments":[...],"summary"?,"summary_kind"?}}). */
  public void upsertAll(TenantId tenant, List<ObjectNode> lines) {
    requireNonNull(tenant, "tenant is null");
    jdbi.useTransaction(h -> {
      for (ObjectNode line : lines) {
        String id = line.path("conversation_id").asText("");
        if (id.isEmpty()) {
          throw new IllegalArgumentException("segmentation has no conversation_id");
        }
        int segments = line.path("segments").size();
        h.createUpdate("""
            INSERT INTO segmentations (tenant_id, conversation_id, segment_count, summary, summary_kind, result, updated_at)
            VALUES (:t, :id, :n, :summary, :kind, CAST(:result AS jsonb), now())
            ON CONFLICT (tenant_id, conversation_id) DO UPDATE SET segment_count = EXCLUDED.segment_count,
                summary = EXCLUDED.summary, summary_kind = EXCLUDED.summary_kind, result = EXCLUDED.result, updated_at = now()
            """)
            .bind("t", tenant.value())
            .bind("id", id)
            .bind("n", Math.max(1, segments))
            .bind("summary", line.hasNonNull("summary") ? line.get("summary").asText() : null)
            .bind("kind", line.hasNonNull("summary_kind") ? line.get("summary_kind").asText() : null)
            .bind("result", Json.write(line))
            .execute();
      }
    });
  }

  public Optional<ObjectNode> find(TenantId tenant, String conversationId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT result::text FROM segmentations WHERE tenant_id = :t AND conversation_id = :id")
        .bind("t", tenant.value()).bind("id", conversationId).mapTo(String.class).findOne()
        .map(s -> (ObjectNode) Json.parse(s)));
  }

  public long count(TenantId tenant) {
    return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM segmentations WHERE tenant_id = :t")
        .bind("t", tenant.value()).mapTo(Long.class).one());
  }
}
