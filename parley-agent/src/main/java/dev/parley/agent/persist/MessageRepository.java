package dev.parley.agent.persist;

import dev.parley.agent.session.MessageKind;
import dev.parley.agent.session.StoredMessage;
import dev.parley.core.chat.ChatMessage;
import dev.parley.core.json.Json;
import dev.parley.core.text.TextChecks;
import dev.parley.store.TenantId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** SQL of {@code agent_messages}. Written only by the turn holding the session's lease. */
public final class MessageRepository {
  private MessageRepository() {}

  public static int nextSeq(Handle h, TenantId tenant, UUID session) {
    return h.createQuery("SELECT coalesce(max(seq), 0) + 1 FROM agent_messages WHERE session_id = :s AND tenant_id = :t")
        .bind("s", session).bind("t", tenant.value()).mapTo(Integer.class).one();
  }

  public static void insert(Handle h, TenantId tenant, StoredMessage m) {
    h.createUpdate("""
            INSERT INTO agent_messages (session_id, seq, tenant_id, id, turn_id, role, kind, content, text, tokens, phase, created_at)
            VALUES (:session, :seq, :tenant, :id, :turn, :role, :kind, CAST(:content AS jsonb), :text, :tokens, :phase, :created)""")
        .bind("session", m.sessionId())
        .bind("seq", m.seq())
        .bind("tenant", tenant.value())
        .bind("id", m.id())
        .bind("turn", m.turnId().orElse(null))
        .bind("role", m.kind().role() == ChatMessage.Role.USER ? "user" : "assistant")
        .bind("kind", m.kind().wire())
        // Model and tool output may hold NUL or lone surrogates, which PostgreSQL refuses; the turn repairs them on
        // receipt, this is the last line of defence.
        .bind("content", Json.write(TextChecks.sanitize(BlockCodec.encode(m.blocks()))))
        .bind("text", TextChecks.sanitize(m.text()))
        .bind("tokens", m.tokens())
        .bind("phase", m.phase())
        .bind("created", Sql.ts(m.createdAt()))
        .execute();
  }

  /** Messages with {@code seq > afterSeq}, in order. */
  public static List<StoredMessage> list(Handle h, TenantId tenant, UUID session, int afterSeq) {
    return h.createQuery("""
            SELECT session_id, seq, id, turn_id, kind, content::text AS content, tokens, phase, created_at
            FROM agent_messages WHERE session_id = :s AND tenant_id = :t AND seq > :after ORDER BY seq""")
        .bind("s", session).bind("t", tenant.value()).bind("after", afterSeq)
        .map((rs, ctx) -> new StoredMessage(
            rs.getObject("session_id", UUID.class),
            rs.getInt("seq"),
            rs.getObject("id", UUID.class),
            Optional.ofNullable(rs.getObject("turn_id", UUID.class)),
            MessageKind.fromWire(rs.getString("kind")),
            BlockCodec.decode(Sql.json(rs, "content")),
            rs.getInt("tokens"),
            rs.getString("phase"),
            Sql.instant(rs, "created_at")))
        .list();
  }
}
