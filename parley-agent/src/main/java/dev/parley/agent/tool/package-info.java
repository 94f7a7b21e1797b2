/** Tool calls: the guard that allows or refuses them and the executor that runs allowed ones. */
@org.jspecify.annotations.NullMarked
package dev.parley.agent.tool;
