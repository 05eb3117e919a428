package dev.operators.elasticache.api;

/**
 * ElastiCache for Valkey durability (CreateReplicationGroup / ModifyReplicationGroup
 * {@code Durability}): writes go to a Multi-AZ transactional log, before the client hears back
 * (Sync) or after (Async, up to 10 seconds of writes at risk on a failure).
 */
public enum Durability {
  Sync,
  Async;

  /** The value AWS takes and reports (Durability, EffectiveDurability): sync, async. */
  public String awsName() {
    return name().toLowerCase();
  }
}
