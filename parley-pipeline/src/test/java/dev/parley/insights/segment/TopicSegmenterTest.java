package dev.parley.insights.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.conversation.Conversation;
import dev.parley.core.conversation.Message;
import dev.parley.core.conversation.Speaker;
import dev.parley.llm.embed.LocalEmbeddingModels;
import java.util.List;
import org.junit.jupiter.api.Test;

final class TopicSegmenterTest {
  private final TopicSegmenter segmenter = new TopicSegmenter(LocalEmbeddingModels.bgeSmall(), SegmentationModelJson.bundled());

  @Test
  void segment_twoTopics_cutsBetweenThemAndCoversEveryMessage() {
    Conversation c = Conversation.of("c1", SegmentTestData.twoTopics());
    Segmentation s = segmenter.segment(List.of(c)).getFirst();
    assertThat(s.segments().getFirst().start()).isZero();
    assertThat(s.segments().getLast().end()).isEqualTo(8);
    // The restaurant request (message 4) opens a new segment.
    assertThat(s.segments()).anyMatch(seg -> seg.start() == 4);
    assertThat(s.gapProbabilities()).hasSize(7);
  }

  @Test
  void segment_singleMessage_oneSegment() {
    Segmentation s = segmenter.segment(List.of(Conversation.of("c2", List.of(Message.of(Speaker.USER, "hello"))))).getFirst();
    assertThat(s.segments()).containsExactly(new Segment(0, 1, 0, 1));
  }

  @Test
  void segment_sameInput_sameOutput() {
    Conversation c = Conversation.of("c3", SegmentTestData.twoTopics());
    assertThat(segmenter.segment(List.of(c)).getFirst().segments()).isEqualTo(segmenter.segment(List.of(c)).getFirst().segments());
  }
}
