package dev.parley.agent.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.testing.Fixtures;
import dev.parley.core.chat.ContentBlock;
import org.junit.jupiter.api.Test;

final class ToolGuardTest {
  private final AgentDefinition agent = Fixtures.coachMira();
  private final ToolGuard guard = new ToolGuard(agent);

  private static ContentBlock.ToolUse use(String name, String input) {
    return new ContentBlock.ToolUse("toolu_1", name, Fixtures.json(input));
  }

  @Test
  void check_inPhaseValidCall_allowed() {
    GuardDecision d = guard.check("context", use("complete_profile", "{\"business_type\":\"executive coaching\",\"surface_challenge\":\"not enough clients\"}"));
    assertThat(d).isInstanceOf(GuardDecision.Allowed.class);
  }

  @Test
  void check_otherPhasesTool_blockedOutOfPhaseWithoutNamingIt() {
    GuardDecision d = guard.check("context", use("submit_scores", "{\"scores\":{\"importance\":5,\"confidence\":5,\"commitment\":5}}"));
    assertThat(d).isInstanceOfSatisfying(GuardDecision.Blocked.class, b -> {
      assertThat(b.reason()).isEqualTo(GuardDecision.BlockReason.OUT_OF_PHASE);
      assertThat(b.message()).contains("complete_profile").contains("context")
          .doesNotContain("submit_scores").doesNotContain("submit_hypothesis").doesNotContain("identify_constraint");
    });
  }

  @Test
  void check_caseChangedName_blocked() {
    GuardDecision d = guard.check("context", use("Complete_Profile", "{\"business_type\":\"x y\",\"surface_challenge\":\"x y\"}"));
    assertThat(d).isInstanceOfSatisfying(GuardDecision.Blocked.class,
        b -> assertThat(b.reason()).isEqualTo(GuardDecision.BlockReason.CASE_MISMATCH));
  }

  @Test
  void check_unknownTool_blocked() {
    GuardDecision d = guard.check("exploration", use("delete_everything", "{}"));
    assertThat(d).isInstanceOfSatisfying(GuardDecision.Blocked.class, b -> {
      assertThat(b.reason()).isEqualTo(GuardDecision.BlockReason.UNKNOWN_TOOL);
      assertThat(b.message()).contains("submit_hypothesis").doesNotContain("complete_profile");
    });
  }

  @Test
  void check_invalidInput_invalidWithSchemaErrors() {
    GuardDecision d = guard.check("diagnosis", use("identify_constraint", "{\"constraint\":\"pricing too low\",\"category\":\"money\"}"));
    assertThat(d).isInstanceOfSatisfying(GuardDecision.Invalid.class, i -> {
      assertThat(i.errors()).singleElement().asString().contains("category");
      assertThat(i.message()).contains("nothing was done");
    });
  }

  @Test
  void check_terminalPhase_blocksEverything() {
    GuardDecision d = guard.check("complete", use("submit_scores", "{}"));
    assertThat(d).isInstanceOfSatisfying(GuardDecision.Blocked.class, b -> assertThat(b.message()).contains("No tools are available"));
  }
}
