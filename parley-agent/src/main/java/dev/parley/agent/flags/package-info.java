/** Feature flags of the orchestrator: stored flags, percentage rollouts, their OpenFeature provider and the rollout guard. */
@org.jspecify.annotations.NullMarked
package dev.parley.agent.flags;
