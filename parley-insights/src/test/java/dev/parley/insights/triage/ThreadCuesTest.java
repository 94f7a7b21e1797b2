package dev.parley.insights.triage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.conversation.Message;
import dev.parley.core.conversation.Speaker;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ThreadCuesTest {
  @Test
  void insights_confirmationCauseQuestionAndEscalation() {
    SupportInsights i = ThreadCues.insights(
        "I can confirm the charge was taken twice. This happened because of a timeout at the bank. Could you send the last 4 digits? I've escalated this to our billing specialist.");
    assertThat(i.issueConfirmed()).isTrue();
    assertThat(i.rootCause().orElseThrow()).contains("because of a timeout");
    assertThat(i.requestedInformation()).isTrue();
    assertThat(i.escalated()).isTrue();
  }

  @Test
  void resolution_customerThanksAfterFix_resolved() {
    Resolution r = ThreadCues.resolution(List.of(
        Message.of(Speaker.SUPPORT, "I've issued a refund, it will arrive in 3 days."),
        Message.of(Speaker.USER, "Great, thanks, that solved it!")));
    assertThat(r.status()).isEqualTo(Resolution.Status.RESOLVED);
    assertThat(r.action()).isEqualTo("refund");
  }

  @Test
  void resolution_customerStillStuck_unresolved() {
    Resolution r = ThreadCues.resolution(List.of(
        Message.of(Speaker.SUPPORT, "Please try to restart the app."),
        Message.of(Speaker.USER, "I did, it still doesn't work.")));
    assertThat(r.status()).isEqualTo(Resolution.Status.UNRESOLVED);
    assertThat(r.action()).isEqualTo("troubleshooting");
  }

  @Test
  void resolution_supportAskedForDetails_pending() {
    Resolution r = ThreadCues.resolution(List.of(
        Message.of(Speaker.USER, "my order never arrived"),
        Message.of(Speaker.SUPPORT, "Sorry about that! Could you DM us your order number?")));
    assertThat(r.status()).isEqualTo(Resolution.Status.PENDING);
    assertThat(r.action()).isEqualTo("requested_information");
  }
}
