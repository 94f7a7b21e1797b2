/** Agent definitions: an agent folder loaded and validated at start-up (phases, prompts, tools, limits). */
@org.jspecify.annotations.NullMarked
package dev.parley.agent.definition;
