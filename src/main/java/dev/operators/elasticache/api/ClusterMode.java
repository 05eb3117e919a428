package dev.operators.elasticache.api;

/**
 * Cluster mode of a replication group (CreateReplicationGroup / ModifyReplicationGroup
 * {@code ClusterMode}). A running group goes Disabled → Compatible → Enabled; from Compatible it
 * can also go back to Disabled; Enabled is final (ElastiCache user guide, "Modifying cluster mode").
 */
public enum ClusterMode {
  Disabled,
  Compatible,
  Enabled;

  /** The value AWS takes and reports (ClusterMode): disabled, compatible, enabled. */
  public String awsName() {
    return name().toLowerCase();
  }
}
