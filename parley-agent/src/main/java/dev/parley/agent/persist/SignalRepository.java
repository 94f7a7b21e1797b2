package dev.parley.agent.persist;

import dev.parley.agent.session.Signal;
import dev.parley.core.text.TextChecks;
import dev.parley.store.TenantId;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** SQL of {@code signals} (DESIGN §4), read by the issue-priority pipeline. */
public final class SignalRepository {
  private SignalRepository() {}

  public static void insertAll(Handle h, TenantId tenant, Optional<UUID> session, Collection<Signal> signals) {
    if (signals.isEmpty()) {
      return;
    }
    PreparedBatch batch = h.prepareBatch("""
        INSERT INTO signals (id, tenant_id, session_id, at, signal, severity, signature, phase, user_ref, confidence, snippet)
        VALUES (:id, :tenant, :session, :at, :signal, :severity, :signature, :phase, :user, :confidence, :snippet)""");
    for (Signal s : signals) {
      batch.bind("id", s.id())
          .bind("tenant", tenant.value())
          .bind("session", session.orElse(null))
          .bind("at", Sql.ts(s.at()))
          .bind("signal", s.signal())
          .bind("severity", s.severity())
          .bind("signature", TextChecks.sanitize(s.signature()))
          .bind("phase", s.phase().map(TextChecks::sanitize).orElse(null))
          .bind("user", s.user().map(TextChecks::sanitize).orElse(null))
          .bind("confidence", s.confidence().orElse(null))
          .bind("snippet", s.snippet().map(TextChecks::sanitize).orElse(null))
          .add();
    }
    batch.execute();
  }

  /** The tenant's signals, oldest first. */
  public static List<Signal> list(Handle h, TenantId tenant) {
    return h.createQuery("""
            SELECT id, at, signal, severity, signature, phase, user_ref, confidence, snippet FROM signals
            WHERE tenant_id = :t ORDER BY at, id""")
        .bind("t", tenant.value())
        .map((rs, ctx) -> new Signal(
            rs.getObject("id", UUID.class),
            Sql.instant(rs, "at"),
            rs.getString("signal"),
            rs.getString("severity"),
            rs.getString("signature"),
            Sql.optString(rs, "phase"),
            Sql.optString(rs, "user_ref"),
            Sql.optDouble(rs, "confidence"),
            Sql.optString(rs, "snippet")))
        .list();
  }
}
