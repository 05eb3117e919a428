package dev.operators.elasticache.api;

/** When AWS applies changes to a running replication group. */
public enum ApplyChanges {
  Immediately,
  NextMaintenanceWindow
}
