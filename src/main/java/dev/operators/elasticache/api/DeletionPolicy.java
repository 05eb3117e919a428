package dev.operators.elasticache.api;

/** What happens in AWS when the RedisCache is deleted. */
public enum DeletionPolicy {
  /** Delete everything the operator created. */
  Delete,
  /** Take a final snapshot of the replication group, then delete everything the operator created. */
  Snapshot,
  /** Leave everything in AWS untouched. */
  Retain
}
