package dev.operators.elasticache.api;

/** What the operator does with AWS's service updates for a cache. */
public enum ServiceUpdates {
  /** Report them in status and events only. */
  Manual,
  /** Also apply them (BatchApplyUpdateAction) in the cache's maintenance window. */
  Auto
}
