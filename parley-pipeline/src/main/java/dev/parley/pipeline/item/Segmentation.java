package dev.parley.pipeline.item;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One conversation's segmentation in DESIGN §4's format:
 * {@code {"conversation_id","segments":[{"start","end","summary"?}]}}, message indexes 0-based, end exclusive.
 */
public record Segmentation(String conversationId, List<Segment> segments) {
  public record Segment(int start, int end, Optional<String> summary) {
    public Segment {
      requireNonNull(summary, "summary is null");
      if (start < 0 || end <= start) {
        throw new IllegalArgumentException("segment must satisfy 0 <= start < end, was [" + start + ", " + end + ")");
      }
    }
  }

  public Segmentation {
    requireNonNull(conversationId, "conversationId is null");
    segments = List.copyOf(requireNonNull(segments, "segments is null"));
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("conversation_id", conversationId);
    ArrayNode array = node.putArray("segments");
    for (Segment s : segments) {
      ObjectNode o = array.addObject();
      o.put("start", s.start());
      o.put("end", s.end());
      s.summary().ifPresent(text -> o.put("summary", text));
    }
    return node;
  }

  public static Segmentation fromJson(JsonNode node) {
    List<Segment> segments = new ArrayList<>();
    for (JsonNode s : node.path("segments")) {
      JsonNode summary = s.get("summary");
      segments.add(new Segment(s.path("start").asInt(), s.path("end").asInt(),
          summary == null || summary.isNull() ? Optional.empty() : Optional.of(summary.asText())));
    }
    return new Segmentation(node.path("conversation_id").asText(), segments);
  }
}
