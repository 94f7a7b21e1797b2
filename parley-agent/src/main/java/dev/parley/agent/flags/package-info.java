/** Feature flags of the orchestrator: stored flags, percentage rollouts and their OpenFeature provider. */
@org.jspecify.annotations.NullMarked
package dev.parley.agent.flags;
