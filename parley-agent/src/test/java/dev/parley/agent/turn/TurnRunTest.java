package dev.parley.agent.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.fsm.SessionStatus;
import dev.parley.agent.session.MessageKind;
import dev.parley.agent.session.Session;
import dev.parley.agent.session.SessionStats;
import dev.parley.agent.session.StoredMessage;
import dev.parley.agent.testing.Fixtures;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.chat.Usage;
import dev.parley.core.json.Json;
import dev.parley.store.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

final class TurnRunTest {
  private static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");

  private final AgentDefinition agent = Fixtures.coachMira();
  private final Session session = new Session(UUID.randomUUID(), TenantId.DEFAULT, agent.name(), Optional.empty(), Json.object(),
      SessionStatus.of(agent.phases().initial()), agent.phases().initial().name(), agent.defaultFields(), Optional.empty(), 0, 0,
      Optional.empty(), Optional.empty(), SessionStats.ZERO, AT, AT);

  private TurnRun run(int userSeq, long startNanos) {
    return new TurnRun(TenantId.DEFAULT, agent, new TurnLedger.Claim(session, UUID.randomUUID(), UUID.randomUUID(), userSeq, userSeq + 1, false, 0),
        TurnListener.NONE, startNanos);
  }

  @Test
  void openHistory_messagesOfEarlierTurnsAndThisOne_protectsFromThisTurnsFirstMessage() {
    TurnRun run = run(4, System.nanoTime());
    run.openHistory(IntStream.rangeClosed(2, 6).mapToObj(this::message).toList());
    assertThat(run.protectFrom).isEqualTo(2);
    assertThat(run.history.get(run.protectFrom).seq()).isEqualTo(4);
  }

  @Test
  void openHistory_noMessageOfThisTurnLoaded_protectsNothing() {
    TurnRun run = run(9, System.nanoTime());
    run.openHistory(List.of(message(1), message(2)));
    assertThat(run.protectFrom).isEqualTo(2);
  }

  @Test
  void checkDeadline_pastTheTurnTimeout_throwsWithLimitAndCounts() {
    long limit = agent.limits().turnTimeout().toNanos();
    TurnRun run = run(1, System.nanoTime() - limit - TimeUnit.SECONDS.toNanos(1));
    run.modelCalled(TimeUnit.MILLISECONDS.toNanos(5), Usage.ZERO, 0);
    TurnErrors.TurnTimeout e = assertThrows(TurnErrors.TurnTimeout.class, run::checkDeadline);
    assertThat(e.getMessage()).contains(String.format(Locale.ROOT, "time limit of %.1f s", limit / 1e9))
        .contains("1 model calls completed").contains("0 tool rounds");
  }

  @Test
  void overheadMs_modelAndToolTime_subtractedAndNeverNegative() {
    TurnRun run = run(1, System.nanoTime());
    run.modelCalled(TimeUnit.MILLISECONDS.toNanos(300), Usage.ZERO, 0);
    run.toolRan(TimeUnit.MILLISECONDS.toNanos(200));
    assertThat(run.overheadMs(1000)).isEqualTo(500.0);
    assertThat(run.overheadMs(400)).isZero();
    assertThat(run.pending.modelNanos + run.pending.toolNanos).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
  }

  private StoredMessage message(int seq) {
    List<ContentBlock> blocks = List.of(new ContentBlock.Text("message " + seq));
    return new StoredMessage(session.id(), seq, UUID.randomUUID(), Optional.empty(), seq % 2 == 0 ? MessageKind.USER : MessageKind.ASSISTANT, blocks,
        3, agent.phases().initial().name(), AT);
  }
}
