/** The rolling-summary context window. */
@org.jspecify.annotations.NullMarked
package dev.parley.agent.window;
