package dev.parley.insights.triage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;

/**
 * Writes triage results in DESIGN §4's format. Extra fields (allowed by the format): {@code score} (the
 * calibrated probability, offline only), {@code backend}, {@code error} for a conversation that could not
 * be triaged, and the resolution's {@code evidence}.
 */
public final class TriageJson {
  private TriageJson() {}

  public static ObjectNode toJson(TriageResult r) {
    ObjectNode node = Json.object();
    node.put("conversation_id", r.conversationId());
    r.stage1().ifPresent(s -> stage(node.putObject("stage1"), s));
    r.stage2().ifPresent(s2 -> {
      ObjectNode o = node.putObject("stage2");
      stage(o, s2.stage());
      o.put("classification_changed", s2.classificationChanged());
      o.put("disambiguation_level", s2.disambiguationLevel().wireName());
      o.put("reasoning", s2.reasoning());
      ObjectNode si = o.putObject("support_insights");
      SupportInsights i = s2.supportInsights();
      si.put("issue_confirmed", i.issueConfirmed());
      if (i.rootCause().isPresent()) {
        si.put("root_cause", i.rootCause().get());
      } else {
        si.putNull("root_cause");
      }
      si.put("requested_information", i.requestedInformation());
      si.put("escalated", i.escalated());
      i.suggestedAction().ifPresent(a -> si.put("suggested_action", a));
    });
    r.resolution().ifPresent(res -> {
      ObjectNode o = node.putObject("resolution");
      o.put("status", res.status().wireName());
      o.put("action", res.action());
      o.put("evidence", res.evidence());
    });
    r.error().ifPresent(e -> node.put("error", e));
    node.put("backend", r.backend());
    return node;
  }

  private static void stage(ObjectNode o, Stage s) {
    o.put("type", s.type());
    o.put("confidence", s.confidence().wireName());
    o.put("routing_priority", s.routingPriority().wireName());
    o.put("urgency", s.urgency().wireName());
    o.put("auto_response_eligible", s.autoResponseEligible());
    o.put("routing_team", s.routingTeam());
    if (Double.isFinite(s.score())) {
      o.put("score", Math.round(s.score() * 10000) / 10000.0);
    }
  }
}
