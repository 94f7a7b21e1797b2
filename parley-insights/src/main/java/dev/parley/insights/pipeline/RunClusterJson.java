package dev.parley.insights.pipeline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One cluster as {@code clusters.json} (DESIGN §4) and {@code GET /v1/clusters} show it, so the run folder
 * and the API stay the same shape: {@code id, parent (null at the top), depth, size, children, label,
 * description, keywords, examples, label_source, users, conversations, redacted}. {@code merged} is the run
 * folder's own addition and is left to its writer.
 */
public final class RunClusterJson {
  private RunClusterJson() {}

  /** Puts {@code c}'s fields into {@code node}, in the documented order; returns {@code node}. */
  public static ObjectNode put(ObjectNode node, RunCluster c) {
    requireNonNull(node, "node is null");
    requireNonNull(c, "c is null");
    node.put("id", c.id());
    if (c.parent().isPresent()) {
      node.put("parent", c.parent().get());
    } else {
      node.putNull("parent");
    }
    node.put("depth", c.depth());
    node.put("size", c.size());
    ArrayNode children = node.putArray("children");
    c.children().forEach(children::add);
    node.put("label", c.label());
    node.put("description", c.description());
    ArrayNode keywords = node.putArray("keywords");
    c.keywords().forEach(keywords::add);
    ArrayNode examples = node.putArray("examples");
    c.examples().forEach(examples::add);
    node.put("label_source", c.labelSource());
    node.put("users", c.users());
    node.put("conversations", c.conversations());
    node.put("redacted", c.redacted());
    return node;
  }
}
