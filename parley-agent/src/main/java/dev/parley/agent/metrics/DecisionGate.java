package dev.parley.agent.metrics;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.flags.Flags;
import dev.parley.agent.flags.KnownFlag;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The seed's Phase-3 decision gate: the figures that decide whether to keep the context window (or
 * another flag) or roll it back, from the store, across tenants (flags are global). Shared by
 * {@code ./parley gate} and {@code GET /v1/admin/gate}.
 *
 * <ul>
 *   <li>Sessions are split as an A/B test by the flag's value in their turns (each turn records its flags
 *       at its start, {@code agent_turns.flags}): {@code on} when every recorded turn ran with it on,
 *       {@code off} when none did, {@code mixed} when the rollout changed under the session, and
 *       {@code unrecorded} when no turn recorded flags (turns stored before migration V8, or none yet).
 *   <li>Per arm (and for all sessions): sessions, completed sessions (a terminal phase), and over the
 *       completed ones turns per session, tokens per conversation (input + output + cache read + cache
 *       write, summaries included) and cost per conversation, each as n / avg / p95 / max; p95 is the
 *       nearest-rank percentile ({@code percentile_disc(0.95)}: the smallest value at or above 95 % of them).
 *   <li>{@code on_vs_off}: the ratios of the on arm's averages to the off arm's.
 *   <li>Repeats of folded information, over sessions where folding happened: see {@link RepeatMeasure}.
 * </ul>
 */
public final class DecisionGate {
  private final Jdbi jdbi;
  private final Clock clock;

  public DecisionGate(Jdbi jdbi) {
    this(jdbi, Clock.systemUTC());
  }

  public DecisionGate(Jdbi jdbi, Clock clock) {
    this.jdbi = requireNonNull(jdbi, "jdbi is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * What to compute the gate over.
   *
   * @param agent only this agent's sessions; empty = every agent
   * @param flag the flag whose buckets split the sessions (the seed's gate: {@code context_window})
   * @param since only sessions created at or after this instant; empty = all
   */
  public record Query(Optional<String> agent, KnownFlag flag, Optional<Instant> since) {
    public Query {
      requireNonNull(agent, "agent is null");
      requireNonNull(flag, "flag is null");
      requireNonNull(since, "since is null");
    }

    public static Query of(KnownFlag flag) {
      return new Query(Optional.empty(), flag, Optional.empty());
    }

    /**
     * The query as the CLI and the admin API take it: {@code flag} a known flag (default
     * {@code context_window}), {@code since} an ISO-8601 instant ({@code 2025-06-01T00:00:00Z}), date-time
     * with offset, or date (midnight UTC).
     *
     * @throws BadInputException for an unknown flag or a {@code since} that is none of these
     */
    public static Query parse(Optional<String> agent, Optional<String> flag, Optional<String> since) {
      KnownFlag known = flag.map(Flags::known).orElse(KnownFlag.CONTEXT_WINDOW);
      return new Query(agent.filter(a -> !a.isBlank()), known, since.map(DecisionGate::parseSince));
    }
  }

  static Instant parseSince(String text) {
    String t = text.strip();
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      // not an instant; try the other forms
    }
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      // not a date-time with offset
    }
    try {
      return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new BadInputException("since must be an ISO-8601 instant (2025-06-01T00:00:00Z), date-time with offset or date (2025-06-01), was '"
          + text + "'");
    }
  }

  /** The A/B arms, in report order. */
  public enum Arm {
    ALL, ON, OFF, MIXED, UNRECORDED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** n / avg / p95 / max of one figure; the last three are empty when n is 0. */
  public record Figures(long n, OptionalDouble avg, OptionalDouble p95, OptionalDouble max) {
    public static final Figures NONE = new Figures(0, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty());

    public Figures {
      requireNonNull(avg, "avg is null");
      requireNonNull(p95, "p95 is null");
      requireNonNull(max, "max is null");
    }

    ObjectNode toJson() {
      ObjectNode json = Json.object().put("n", n);
      put(json, "avg", avg);
      put(json, "p95", p95);
      put(json, "max", max);
      return json;
    }
  }

  /**
   * The figures of one arm.
   *
   * @param turns turns per completed session
   * @param tokens tokens per completed conversation
   * @param cost cost per completed conversation, USD
   */
  public record ArmFigures(long sessions, long completed, Figures turns, Figures tokens, Figures cost) {
    public static final ArmFigures EMPTY = new ArmFigures(0, 0, Figures.NONE, Figures.NONE, Figures.NONE);

    public ArmFigures {
      requireNonNull(turns, "turns is null");
      requireNonNull(tokens, "tokens is null");
      requireNonNull(cost, "cost is null");
    }

    public OptionalDouble completionRate() {
      return sessions == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) completed / sessions);
    }

    ObjectNode toJson() {
      ObjectNode json = Json.object().put("sessions", sessions).put("completed", completed);
      put(json, "completion_rate", completionRate());
      json.set("turns_per_completed_session", turns.toJson());
      json.set("tokens_per_conversation", tokens.toJson());
      json.set("cost_per_conversation_usd", cost.toJson());
      return json;
    }
  }

  /**
   * Repeats of folded information ({@link RepeatMeasure}).
   *
   * @param sessions sessions where folding happened
   * @param judged user messages judged
   * @param repeats those with a token Jaccard of at least the threshold with a folded user message
   */
  public record Repeats(long sessions, long judged, long repeats) {
    public OptionalDouble share() {
      return judged == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) repeats / judged);
    }

    ObjectNode toJson() {
      ObjectNode json = Json.object()
          .put("method", "token_jaccard")
          .put("threshold", RepeatMeasure.THRESHOLD)
          .put("min_words", RepeatMeasure.MIN_WORDS)
          .put("sessions_with_folding", sessions)
          .put("user_messages", judged)
          .put("repeats", repeats);
      put(json, "share", share());
      return json;
    }
  }

  /** The gate's figures. */
  public record Report(Query query, Instant computedAt, Map<Arm, ArmFigures> arms, Repeats repeats) {
    public Report {
      requireNonNull(query, "query is null");
      requireNonNull(computedAt, "computedAt is null");
      EnumMap<Arm, ArmFigures> all = new EnumMap<>(Arm.class);
      for (Arm a : Arm.values()) {
        all.put(a, requireNonNull(arms, "arms is null").getOrDefault(a, ArmFigures.EMPTY));
      }
      arms = java.util.Collections.unmodifiableMap(all);
      requireNonNull(repeats, "repeats is null");
    }

    public ArmFigures arm(Arm arm) {
      return requireNonNull(arms.get(arm));
    }

    /** The on arm's average over the off arm's, when both exist and the off one is not 0. */
    public OptionalDouble ratio(java.util.function.Function<ArmFigures, Figures> figure) {
      OptionalDouble on = figure.apply(arm(Arm.ON)).avg();
      OptionalDouble off = figure.apply(arm(Arm.OFF)).avg();
      return on.isPresent() && off.isPresent() && off.getAsDouble() != 0 ? OptionalDouble.of(on.getAsDouble() / off.getAsDouble()) : OptionalDouble.empty();
    }

    /** Every figure with its sample size: the gate's JSON (CLI {@code --json} and the admin API). */
    public ObjectNode toJson() {
      ObjectNode json = Json.object().put("flag", query.flag().key());
      json.put("agent", query.agent().orElse(null));
      json.put("since", query.since().map(Instant::toString).orElse(null));
      json.put("computed_at", computedAt.toString());
      ObjectNode arms = json.putObject("arms");
      for (Arm a : Arm.values()) {
        arms.set(a.wire(), arm(a).toJson());
      }
      ObjectNode ratios = json.putObject("on_vs_off");
      put(ratios, "turns_avg_ratio", ratio(ArmFigures::turns));
      put(ratios, "tokens_avg_ratio", ratio(ArmFigures::tokens));
      put(ratios, "cost_avg_ratio", ratio(ArmFigures::cost));
      json.set("repeats", repeats.toJson());
      return json;
    }
  }

  public Report compute(Query query) {
    requireNonNull(query, "query is null");
    Instant now = clock.instant();
    return jdbi.inTransaction(h -> {
      // One snapshot for both parts of the report.
      h.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      return new Report(query, now, arms(h, query), repeats(h, query));
    });
  }

  /** The sessions' filter on {@code s}, and its parameters bound by {@link #bind}. */
  private static String where(Query q) {
    return " WHERE true" + (q.agent().isPresent() ? " AND s.agent = :agent" : "") + (q.since().isPresent() ? " AND s.created_at >= :since" : "");
  }

  private static <T extends SqlStatement<T>> T bind(T statement, Query q) {
    q.agent().ifPresent(a -> statement.bind("agent", a));
    q.since().ifPresent(s -> statement.bind("since", OffsetDateTime.ofInstant(s, ZoneOffset.UTC)));
    return statement;
  }

  private static Map<Arm, ArmFigures> arms(Handle h, Query q) {
    String sql = """
        WITH s AS (
          SELECT s.status = 'complete' AS complete, s.turn_count::float8 AS turns,
            (s.input_tokens + s.output_tokens + s.cache_read_tokens + s.cache_write_tokens)::float8 AS tokens,
            s.cost_usd::float8 AS cost,
            (SELECT CASE WHEN count(*) = 0 THEN 'unrecorded'
                         WHEN bool_and(t.flags ->> :flag = 'true') THEN 'on'
                         WHEN NOT bool_or(t.flags ->> :flag = 'true') THEN 'off'
                         ELSE 'mixed' END
             FROM agent_turns t WHERE t.session_id = s.id AND t.flags ->> :flag IS NOT NULL) AS arm
          FROM sessions s""" + where(q) + """
        )
        SELECT CASE WHEN grouping(arm) = 1 THEN 'all' ELSE arm END AS arm,
          count(*) AS sessions, count(*) FILTER (WHERE complete) AS completed,
          avg(turns) FILTER (WHERE complete) AS turns_avg,
          percentile_disc(0.95) WITHIN GROUP (ORDER BY turns) FILTER (WHERE complete) AS turns_p95,
          max(turns) FILTER (WHERE complete) AS turns_max,
          avg(tokens) FILTER (WHERE complete) AS tokens_avg,
          percentile_disc(0.95) WITHIN GROUP (ORDER BY tokens) FILTER (WHERE complete) AS tokens_p95,
          max(tokens) FILTER (WHERE complete) AS tokens_max,
          avg(cost) FILTER (WHERE complete) AS cost_avg,
          percentile_disc(0.95) WITHIN GROUP (ORDER BY cost) FILTER (WHERE complete) AS cost_p95,
          max(cost) FILTER (WHERE complete) AS cost_max
        FROM s GROUP BY ROLLUP (arm)""";
    Map<Arm, ArmFigures> arms = new EnumMap<>(Arm.class);
    bind(h.createQuery(sql), q).bind("flag", q.flag().key())
        .map((rs, ctx) -> {
          long completed = rs.getLong("completed");
          return Map.entry(Arm.valueOf(rs.getString("arm").toUpperCase(Locale.ROOT)), new ArmFigures(rs.getLong("sessions"), completed,
              figures(rs, "turns", completed), figures(rs, "tokens", completed), figures(rs, "cost", completed)));
        })
        .forEach(e -> arms.put(e.getKey(), e.getValue()));
    return arms;
  }

  private static Figures figures(ResultSet rs, String name, long n) throws SQLException {
    return new Figures(n, opt(rs, name + "_avg"), opt(rs, name + "_p95"), opt(rs, name + "_max"));
  }

  private static OptionalDouble opt(ResultSet rs, String column) throws SQLException {
    double value = rs.getDouble(column);
    return rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  /** Repeats over the sessions of the query where folding happened (their summarization events). */
  private static Repeats repeats(Handle h, Query q) {
    Map<UUID, List<RepeatMeasure.Fold>> folds = new HashMap<>();
    bind(h.createQuery("""
            SELECT e.session_id, t.user_message_seq, (e.data ->> 'through_seq')::int AS through_seq
            FROM agent_events e JOIN agent_turns t ON t.id = e.turn_id JOIN sessions s ON s.id = e.session_id""" + where(q)
            + " AND e.type = 'summarization' AND e.data ->> 'through_seq' IS NOT NULL"), q)
        .map((rs, ctx) -> Map.entry(rs.getObject("session_id", UUID.class), new RepeatMeasure.Fold(rs.getInt("user_message_seq"), rs.getInt("through_seq"))))
        .forEach(e -> folds.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    if (folds.isEmpty()) {
      return new Repeats(0, 0, 0);
    }
    // The messages are read by session id: the query's filter is already in the folds.
    RepeatMeasure.Counts total = RepeatMeasure.Counts.ZERO;
    var messages = h.createQuery("""
            SELECT session_id, seq, text FROM agent_messages WHERE kind = 'user' AND session_id = ANY(:ids) ORDER BY session_id, seq""")
        .bind("ids", folds.keySet().toArray(new UUID[0]));
    try (Stream<SessionMessage> rows = messages.map((rs, ctx) -> new SessionMessage(rs.getObject("session_id", UUID.class),
        new RepeatMeasure.Message(rs.getInt("seq"), rs.getString("text")))).stream()) {
      Optional<UUID> current = Optional.empty();
      List<RepeatMeasure.Message> session = new ArrayList<>();
      for (SessionMessage row : (Iterable<SessionMessage>) rows::iterator) {
        if (current.isPresent() && !current.get().equals(row.session())) {
          total = total.plus(RepeatMeasure.count(session, folds.getOrDefault(current.get(), List.of())));
          session = new ArrayList<>();
        }
        current = Optional.of(row.session());
        session.add(row.message());
      }
      if (current.isPresent()) {
        total = total.plus(RepeatMeasure.count(session, folds.getOrDefault(current.get(), List.of())));
      }
    }
    return new Repeats(folds.size(), total.judged(), total.repeats());
  }

  private record SessionMessage(UUID session, RepeatMeasure.Message message) {}

  private static void put(ObjectNode json, String field, OptionalDouble value) {
    if (value.isPresent()) {
      json.put(field, value.getAsDouble());
    } else {
      json.putNull(field);
    }
  }
}
