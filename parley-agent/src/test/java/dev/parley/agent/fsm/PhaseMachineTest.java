package dev.parley.agent.fsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.agent.definition.Phase;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class PhaseMachineTest {
  private final PhaseMachine machine = new PhaseMachine("demo",
      List.of(new Phase("a", 0, false), new Phase("b", 1, false), new Phase("done", 2, true)), "a",
      Map.of("a", Set.of("b"), "b", Set.of("done")));

  @Test
  void checkTransition_declaredEdge_returnsTarget() {
    assertThat(machine.checkTransition("a", "b").name()).isEqualTo("b");
  }

  @Test
  void checkTransition_fromTerminal_throwsIllegalState() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> machine.checkTransition("done", "a"));
    assertThat(e).hasMessage("demo cannot transition from done to a");
  }

  @Test
  void checkTransition_undeclaredEdge_throwsIllegalState() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> machine.checkTransition("a", "done"));
    assertThat(e).hasMessageContaining("cannot transition from a to done").hasMessageContaining("[b]");
  }

  @Test
  void constructor_edgeToUnknownPhase_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PhaseMachine("demo",
        List.of(new Phase("a", 0, false), new Phase("z", 1, true)), "a", Map.of("a", Set.of("nowhere"))));
    assertThat(e).hasMessageContaining("unknown phase 'nowhere'");
  }

  @Test
  void turnStatus_transitions_followTheTable() {
    assertThat(TurnStatus.RUNNING.canTransitionTo(TurnStatus.COMPLETED)).isTrue();
    assertThat(TurnStatus.FAILED.canTransitionTo(TurnStatus.RUNNING)).isTrue();
    assertThat(TurnStatus.INTERRUPTED.isRetriable()).isTrue();
    assertThat(TurnStatus.COMPLETED.isTerminal()).isTrue();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> TurnStatus.COMPLETED.checkTransition(TurnStatus.RUNNING));
    assertThat(e).hasMessage("turn cannot transition from COMPLETED to RUNNING");
  }
}
