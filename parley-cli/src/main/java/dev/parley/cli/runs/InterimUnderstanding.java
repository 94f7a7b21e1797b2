package dev.parley.cli.runs;

import dev.parley.core.conversation.Conversation;
import dev.parley.core.conversation.Message;
import dev.parley.core.conversation.Speaker;
import dev.parley.insights.label.Tokenizer;
import dev.parley.llm.embed.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * INTERIM stand-in for topic segmentation, used only while the build has no calibrated segmentation
 * model ({@code dev.parley.insights.segment.SegmentationModelJson#bundled}); {@code analyze} then still
 * runs end to end. Deliberately simple:
 * <ul>
 *   <li>segmentation: user turn + reply pairs, a boundary where neighbouring pairs' similarity drops
 *       below the conversation's own mean minus one standard deviation; a closing last segment joins
 *       the one before it.</li>
 * </ul>
 */
public final class InterimUnderstanding {
  private final EmbeddingModel model;

  public InterimUnderstanding(EmbeddingModel model) {
    this.model = model;
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
      out.add(new Segmentation(conversations.get(c).id(), mergeClosing(conversations.get(c), segments)));
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

  private static final Tokenizer WORDS = new Tokenizer(false);

  private static int contentWords(String text) {
    return WORDS.terms(text).size();
  }

  /**
   * A last segment whose user side has fewer than three content words is a closing ("No, that's all,
   * thanks") and joins the segment before it, so sign-offs do not form a topic of their own.
   */
  static List<Segmentation.Segment> mergeClosing(Conversation c, List<Segmentation.Segment> segments) {
    if (segments.size() < 2) {
      return segments;
    }
    Segmentation.Segment last = segments.get(segments.size() - 1);
    int words = c.messages().subList(last.start(), last.end()).stream()
        .filter(m -> m.speaker() == Speaker.USER).mapToInt(m -> contentWords(m.text())).sum();
    if (words >= 3) {
      return segments;
    }
    List<Segmentation.Segment> merged = new ArrayList<>(segments.subList(0, segments.size() - 2));
    merged.add(new Segmentation.Segment(segments.get(segments.size() - 2).start(), last.end(), Optional.empty()));
    return merged;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
