package dev.parley.agent.turn;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.AgentException;
import dev.parley.agent.definition.AgentCatalog;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.fsm.SessionStatus;
import dev.parley.agent.fsm.TurnStatus;
import dev.parley.agent.persist.EventRepository;
import dev.parley.agent.persist.MessageRepository;
import dev.parley.agent.persist.SessionRepository;
import dev.parley.agent.persist.TurnRepository;
import dev.parley.agent.session.AgentEvent;
import dev.parley.agent.session.EventType;
import dev.parley.agent.session.Session;
import dev.parley.agent.session.SessionJson;
import dev.parley.agent.session.SessionStats;
import dev.parley.agent.session.StoredMessage;
import dev.parley.agent.session.TurnRecord;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.store.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Creating and reading sessions; every read is scoped to the caller's tenant. */
public final class SessionService {
  static final int MAX_USER = 200;

  private final Jdbi jdbi;
  private final AgentCatalog catalog;
  private final Clock clock;

  public SessionService(Jdbi jdbi, AgentCatalog catalog, Clock clock) {
    this.jdbi = requireNonNull(jdbi, "jdbi is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Starts a session in the agent's initial phase. The metadata's {@code user_name} (or {@code name})
   * becomes the {@code user_name} field the prompts use.
   */
  public Session create(TenantId tenant, String agentName, Optional<String> user, ObjectNode metadata) {
    requireNonNull(tenant, "tenant is null");
    requireNonNull(agentName, "agentName is null");
    requireNonNull(user, "user is null");
    requireNonNull(metadata, "metadata is null");
    AgentDefinition agent = catalog.find(agentName).orElseThrow(() -> new BadInputException(
        "unknown agent '" + agentName + "'; agents: " + String.join(", ", catalog.all().stream().map(AgentDefinition::name).toList())));
    user.ifPresent(u -> {
      if (u.isBlank() || u.length() > MAX_USER) {
        throw new BadInputException("user must have 1 to " + MAX_USER + " characters, has " + u.length());
      }
    });
    ObjectNode fields = agent.defaultFields();
    JsonNode name = metadata.hasNonNull("user_name") ? metadata.get("user_name") : metadata.get("name");
    if (name != null && name.isTextual() && !name.asText().isBlank()) {
      fields.put("user_name", name.asText());
    }
    Instant now = clock.instant();
    var initial = agent.phases().initial();
    Session session = new Session(UUID.randomUUID(), tenant, agent.name(), user, metadata, SessionStatus.of(initial), initial.name(), fields,
        Optional.empty(), 0, 0, Optional.empty(), Optional.empty(), SessionStats.ZERO, now, now);
    jdbi.useTransaction(h -> {
      SessionRepository.insert(h, session);
      ObjectNode data = Json.object().put("agent", agent.name()).put("phase", initial.name());
      user.ifPresent(u -> data.put("user", u));
      EventRepository.insertAll(h, tenant, List.of(AgentEvent.of(session.id(), Optional.empty(), now, EventType.CONVERSATION_START, data)));
    });
    return session;
  }

  public Optional<Session> find(TenantId tenant, UUID id) {
    return jdbi.withHandle(h -> SessionRepository.find(h, tenant, id));
  }

  /** The session's JSON with its last turn (a dead process's running turn shows as interrupted). */
  public ObjectNode json(TenantId tenant, UUID id) {
    return jdbi.withHandle(h -> {
      Session session = require(h, tenant, id);
      Optional<ObjectNode> last = TurnRepository.latest(h, tenant, id).map(t -> SessionJson.turn(t, effectiveStatus(h, session, t)));
      return SessionJson.session(session, last);
    });
  }

  public List<StoredMessage> messages(TenantId tenant, UUID id) {
    return jdbi.withHandle(h -> {
      require(h, tenant, id);
      return MessageRepository.list(h, tenant, id, 0);
    });
  }

  public List<TurnRecord> turns(TenantId tenant, UUID id) {
    return jdbi.withHandle(h -> {
      require(h, tenant, id);
      return TurnRepository.list(h, tenant, id);
    });
  }

  /** Events with id greater than {@code afterId}, oldest first, at most {@code limit}. */
  public List<AgentEvent> events(TenantId tenant, UUID id, long afterId, int limit) {
    if (limit < 1 || limit > 10_000) {
      throw new BadInputException("limit must be in [1, 10000], was " + limit);
    }
    return jdbi.withHandle(h -> {
      require(h, tenant, id);
      return EventRepository.list(h, tenant, id, afterId, limit);
    });
  }

  /**
   * The status to show for a turn: a running turn whose lease is gone, expired, or held by a process
   * that died (its owner lock is gone) belongs to a dead process.
   */
  public String effectiveStatus(Session session, TurnRecord turn) {
    if (turn.status() != TurnStatus.RUNNING) {
      return turn.status().wire();
    }
    return jdbi.withHandle(h -> effectiveStatus(h, session, turn));
  }

  private String effectiveStatus(Handle h, Session session, TurnRecord turn) {
    if (turn.status() == TurnStatus.RUNNING) {
      boolean held = session.activeTurn().filter(turn.id()::equals).isPresent()
          && session.leaseUntil().filter(until -> until.isAfter(clock.instant())).isPresent()
          && SessionRepository.leaseHeld(h, session.tenant(), session.id(), turn.id(), clock.instant());
      if (!held) {
        return TurnStatus.INTERRUPTED.wire();
      }
    }
    return turn.status().wire();
  }

  private static Session require(Handle h, TenantId tenant, UUID id) {
    return SessionRepository.find(h, tenant, id)
        .orElseThrow(() -> new AgentException(AgentException.Kind.NOT_FOUND, "session " + id + " not found"));
  }
}
