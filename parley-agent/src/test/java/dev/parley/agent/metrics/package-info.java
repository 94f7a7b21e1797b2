@org.jspecify.annotations.NullMarked
package dev.parley.agent.metrics;
