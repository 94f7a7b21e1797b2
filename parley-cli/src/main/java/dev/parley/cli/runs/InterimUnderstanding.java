package dev.parley.cli.runs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.conversation.Conversation;
import dev.parley.core.conversation.Message;
import dev.parley.core.conversation.Speaker;
import dev.parley.core.json.Json;
import dev.parley.insights.triage.ConversationType;
import dev.parley.insights.triage.Taxonomy;
import dev.parley.llm.embed.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * INTERIM stand-ins for the triage, segmentation and summary components (packages
 * {@code dev.parley.insights.triage}, {@code .segment}, {@code .summary}, being written), so that
 * {@code analyze} runs end to end today; each method is replaced by a call into the real component
 * once it lands. Deliberately simple:
 * <ul>
 *   <li>triage: zero-shot stage 1, nearest type prototype (description + examples) to the customer's
 *       messages before the first reply;</li>
 *   <li>segmentation: user turn + reply pairs, a boundary where neighbouring pairs' similarity drops
 *       below the conversation's own mean minus one standard deviation;</li>
 *   <li>summary: extractive, the segment's first user turn (where users state what they want).</li>
 * </ul>
 */
public final class InterimUnderstanding {
  private final EmbeddingModel model;

  public InterimUnderstanding(EmbeddingModel model) {
    this.model = model;
  }

  public List<ObjectNode> triage(List<Conversation> conversations, Taxonomy taxonomy) {
    List<ConversationType> types = taxonomy.types();
    float[][] prototypes = new float[types.size()][];
    for (int t = 0; t < types.size(); t++) {
      List<String> texts = new ArrayList<>();
      texts.add(types.get(t).description());
      texts.addAll(types.get(t).examples());
      prototypes[t] = mean(model.embed(texts));
    }
    List<String> openings = conversations.stream().map(InterimUnderstanding::opening).toList();
    float[][] vectors = model.embed(openings);
    List<ObjectNode> out = new ArrayList<>();
    for (int c = 0; c < conversations.size(); c++) {
      int best = 0;
      double bestSim = -2;
      double second = -2;
      for (int t = 0; t < types.size(); t++) {
        double s = dot(vectors[c], prototypes[t]);
        if (s > bestSim) {
          second = bestSim;
          bestSim = s;
          best = t;
        } else if (s > second) {
          second = s;
        }
      }
      ConversationType type = types.get(best);
      double margin = bestSim - second;
      String confidence = margin > 0.08 ? "high" : margin > 0.03 ? "medium" : "low";
      ObjectNode node = Json.object();
      node.put("conversation_id", conversations.get(c).id());
      ObjectNode stage1 = node.putObject("stage1");
      stage1.put("type", type.id());
      stage1.put("confidence", confidence);
      stage1.put("routing_priority", type.routingPriority().name().toLowerCase(Locale.ROOT));
      stage1.put("urgency", type.defaultUrgency().name().toLowerCase(Locale.ROOT));
      stage1.put("auto_response_eligible", type.autoResponseEligible() && confidence.equals("high"));
      stage1.put("routing_team", type.routingTeam());
      out.add(node);
    }
    return out;
  }

  /** The customer's messages before the first reply (the whole user side if nobody replied). */
  private static String opening(Conversation c) {
    StringBuilder sb = new StringBuilder();
    for (Message m : c.messages()) {
      if (m.speaker().isResponder()) {
        break;
      }
      if (m.speaker() == Speaker.USER) {
        sb.append(m.text()).append(' ');
      }
    }
    if (sb.isEmpty()) {
      c.messages().stream().filter(m -> m.speaker() == Speaker.USER).findFirst().ifPresent(m -> sb.append(m.text()));
    }
    return sb.isEmpty() ? c.messages().get(0).text() : sb.toString().trim();
  }

  /** A user turn (consecutive user messages) and the reply after it, as message index ranges. */
  private record Pair(int start, int end, String text, String userText) {}

  public List<Segmentation> segment(List<Conversation> conversations) {
    List<List<Pair>> allPairs = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (Conversation c : conversations) {
      List<Pair> pairs = pairs(c);
      allPairs.add(pairs);
      pairs.forEach(p -> texts.add(p.text()));
    }
    float[][] vectors = model.embed(texts);
    List<Segmentation> out = new ArrayList<>();
    int at = 0;
    for (int c = 0; c < conversations.size(); c++) {
      List<Pair> pairs = allPairs.get(c);
      int n = pairs.size();
      double[] sims = new double[Math.max(0, n - 1)];
      for (int i = 0; i + 1 < n; i++) {
        sims[i] = dot(vectors[at + i], vectors[at + i + 1]);
      }
      at += n;
      double mean = 0;
      for (double s : sims) {
        mean += s;
      }
      mean = sims.length == 0 ? 0 : mean / sims.length;
      double var = 0;
      for (double s : sims) {
        var += (s - mean) * (s - mean);
      }
      double gate = mean - Math.sqrt(sims.length == 0 ? 0 : var / sims.length);
      List<Segmentation.Segment> segments = new ArrayList<>();
      int start = 0;
      int sinceBoundary = 1;
      for (int i = 0; i + 1 < n; i++) {
        if (sims[i] < gate && sinceBoundary >= 2) {
          segments.add(new Segmentation.Segment(start, pairs.get(i + 1).start(), Optional.empty()));
          start = pairs.get(i + 1).start();
          sinceBoundary = 1;
        } else {
          sinceBoundary++;
        }
      }
      segments.add(new Segmentation.Segment(start, conversations.get(c).messages().size(), Optional.empty()));
      out.add(new Segmentation(conversations.get(c).id(), segments));
    }
    return out;
  }

  private static List<Pair> pairs(Conversation c) {
    List<Message> messages = c.messages();
    List<Pair> pairs = new ArrayList<>();
    int i = 0;
    while (i < messages.size()) {
      int start = i;
      StringBuilder user = new StringBuilder();
      while (i < messages.size() && !messages.get(i).speaker().isResponder()) {
        if (messages.get(i).speaker() == Speaker.USER) {
          user.append(messages.get(i).text()).append(' ');
        }
        i++;
      }
      StringBuilder reply = new StringBuilder();
      while (i < messages.size() && messages.get(i).speaker().isResponder()) {
        reply.append(messages.get(i).text()).append(' ');
        i++;
      }
      pairs.add(new Pair(start, i, (user + " " + reply).trim(), user.toString().trim()));
    }
    return pairs;
  }

  /** Extractive summaries: the segment's first user turn, cut to 300 characters. */
  public List<Segmentation> summarize(List<Conversation> conversations, List<Segmentation> segmentations) {
    List<Segmentation> out = new ArrayList<>();
    for (int c = 0; c < conversations.size(); c++) {
      Conversation conversation = conversations.get(c);
      List<Segmentation.Segment> segments = new ArrayList<>();
      for (Segmentation.Segment s : segmentations.get(c).segments()) {
        String text = conversation.messages().subList(s.start(), s.end()).stream()
            .filter(m -> m.speaker() == Speaker.USER).map(Message::text).findFirst()
            .orElse(conversation.messages().get(s.start()).text()).replaceAll("\\s+", " ").trim();
        if (text.length() > 300) {
          text = text.substring(0, 299) + "\u2026";
        }
        segments.add(new Segmentation.Segment(s.start(), s.end(), Optional.of(text)));
      }
      out.add(new Segmentation(conversation.id(), segments));
    }
    return out;
  }

  private static float[] mean(float[][] vectors) {
    double[] sum = new double[vectors[0].length];
    for (float[] v : vectors) {
      for (int d = 0; d < v.length; d++) {
        sum[d] += v[d];
      }
    }
    double norm = 0;
    for (double s : sum) {
      norm += s * s;
    }
    norm = Math.sqrt(norm);
    float[] out = new float[sum.length];
    for (int d = 0; d < sum.length; d++) {
      out[d] = (float) (sum[d] / norm);
    }
    return out;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
