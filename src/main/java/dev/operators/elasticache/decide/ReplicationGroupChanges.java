package dev.operators.elasticache.decide;

import dev.operators.elasticache.aws.LogDelivery;
import dev.operators.elasticache.aws.ModifyRequest;
import dev.operators.elasticache.aws.ObservedGroup;
import dev.operators.elasticache.aws.ReplicationGroupInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What must change on a running replication group for it to match the spec, in a safe order:
 * availability settings off before replicas go, shards and replicas up before failover and
 * Multi-AZ go on, settings, then replicas and shards down. Only fields that differ are sent.
 * What AWS reports is normalized first (engine patch levels, window case, list order) so nothing
 * shows a permanent difference.
 */
public final class ReplicationGroupChanges {
  private ReplicationGroupChanges() {}

  public static List<Change> plan(Desired d, ObservedGroup g, String ownedSecurityGroupId) {
    ReplicationGroupInfo rg = g.group();
    String id = rg.id();
    List<Change> out = new ArrayList<>();
    int replicas = rg.replicasPerNodeGroup();
    int shards = rg.numNodeGroups();
    boolean failover = rg.automaticFailover();
    boolean multi = rg.multiAZ();
    boolean wantFailover = d.automaticFailover();
    // Cluster mode: in compatible AWS takes no other modification (user guide, "Modifying cluster mode"),
    // so the step out of it goes alone; shards change only once the group runs with cluster mode enabled.
    String clusterState = rg.clusterModeOrDefault();
    Change.Modify clusterStep = ClusterModeMigration.next(d.clusterModeTargetOrDefault(), rg);
    if (ClusterModeMigration.COMPATIBLE.equals(clusterState) && clusterStep != null) return List.of(clusterStep);
    boolean sharded = d.clusterMode() && ClusterModeMigration.ENABLED.equals(clusterState);

    // 0. Durability off first: AWS keeps it only with Multi-AZ and replicas, which may go next.
    String wantDurability = d.durability() == null ? "disabled" : d.durability();
    // AWS reports the new mode as soon as it accepts a switch (EffectiveDurability), the group modifying meanwhile.
    boolean durabilityDiffers = rg.durability() != null && !wantDurability.equals(rg.durability());
    if (durabilityDiffers && wantDurability.equals("disabled")) out.add(durability(id, rg.durability(), wantDurability));
    // 1. Availability down, before replicas go.
    Boolean failoverOff = failover && !wantFailover ? Boolean.FALSE : null;
    Boolean multiOff = multi && !d.multiAZ() ? Boolean.FALSE : null;
    if (failoverOff != null || multiOff != null) {
      out.add(new Change.Modify(ModifyRequest.of(id, true).failover(failoverOff, multiOff),
          join(failoverOff != null ? "automaticFailover on -> off" : null, multiOff != null ? "multiAZ on -> off" : null)));
    }
    // 2. Shards up, 3. replicas up.
    if (sharded && d.shards() > shards) {
      out.add(new Change.Shards(shards, d.shards(), List.of(), "shards " + shards + " -> " + d.shards()));
    }
    if (d.replicasPerShard() > replicas) {
      out.add(new Change.Replicas(replicas, d.replicasPerShard(), "replicasPerShard " + replicas + " -> " + d.replicasPerShard()));
    }
    // 4. Availability up, once the replicas are there.
    Boolean failoverOn = !failover && wantFailover ? Boolean.TRUE : null;
    Boolean multiOn = !multi && d.multiAZ() ? Boolean.TRUE : null;
    if (failoverOn != null || multiOn != null) {
      out.add(new Change.Modify(ModifyRequest.of(id, true).failover(failoverOn, multiOn),
          join(failoverOn != null ? "automaticFailover off -> on" : null, multiOn != null ? "multiAZ off -> on" : null)));
    }
    // 4b. Durability on, or sync <-> async, once Multi-AZ and the replicas are there.
    if (durabilityDiffers && !wantDurability.equals("disabled")) out.add(durability(id, rg.durability(), wantDurability));
    boolean now = d.applyImmediately();
    // 5. Node type.
    if (rg.cacheNodeType() != null && !d.nodeType().equals(rg.cacheNodeType()) && !d.nodeType().equals(g.pendingNodeType())) {
      out.add(new Change.Modify(ModifyRequest.of(id, now).withCacheNodeType(d.nodeType()), "nodeType " + rg.cacheNodeType() + " -> " + d.nodeType()));
    }
    // 6. Engine and version (a family switch moves to the new family's parameter group in the same call).
    String runningVersion = g.engineVersion();
    boolean engineChange = rg.engine() != null && !rg.engine().equals(d.engine().awsName());
    boolean versionChange = runningVersion != null && !EngineVersions.sameMinor(d.engineVersion(), runningVersion)
        && !EngineVersions.sameMinor(d.engineVersion(), g.pendingEngineVersion());
    // Members not read (the first sweep after a restart): what they hold is not compared.
    String wantedGroup = g.membersKnown() ? wantedParameterGroup(d, g) : null;
    if (engineChange || versionChange) {
      ModifyRequest m = ModifyRequest.of(id, now).engine(engineChange ? d.engine().awsName() : null, d.engineVersion());
      if (wantedGroup != null && !wantedGroup.equals(g.parameterGroupName())) m = m.withCacheParameterGroupName(wantedGroup);
      out.add(new Change.Modify(m, "engine " + rg.engine() + " " + runningVersion + " -> " + d.engine().awsName() + " " + d.engineVersion()));
    } else if (wantedGroup != null && !wantedGroup.equals(g.parameterGroupName())) {
      // 7. Parameter group.
      out.add(new Change.Modify(ModifyRequest.of(id, now).withCacheParameterGroupName(wantedGroup),
          "parameterGroup " + g.parameterGroupName() + " -> " + wantedGroup));
    }
    // 8. Security groups.
    List<String> wantGroups = d.securityGroupIds(ownedSecurityGroupId).stream().sorted().toList();
    List<String> haveGroups = g.securityGroupIds().stream().sorted().toList();
    if (ownedSecurityGroupId != null && !haveGroups.isEmpty() && !wantGroups.equals(haveGroups)) {
      out.add(new Change.Modify(ModifyRequest.of(id, now).withSecurityGroupIds(d.securityGroupIds(ownedSecurityGroupId)),
          "securityGroups " + haveGroups + " -> " + wantGroups));
    }
    // 8b. In-transit encryption, one AWS step at a time (off -> preferred -> required, and back); after an engine upgrade to 7.
    Change.Modify tls = TlsMigration.next(d.tls(), rg);
    if (tls != null) out.add(tls);
    // 9. Backups and maintenance window.
    ModifyRequest settings = ModifyRequest.of(id, now);
    List<String> what = new ArrayList<>();
    Integer retention = rg.snapshotRetentionLimit() == null ? 0 : rg.snapshotRetentionLimit();
    if (retention != d.backupRetentionDays()) {
      settings = settings.withSnapshotRetentionLimit(d.backupRetentionDays());
      what.add("backups.retentionDays " + retention + " -> " + d.backupRetentionDays());
    }
    if (d.backupWindow() != null && !d.backupWindow().equals(rg.snapshotWindow())) {
      settings = settings.withSnapshotWindow(d.backupWindow());
      what.add("backups.window " + rg.snapshotWindow() + " -> " + d.backupWindow());
    }
    if (g.membersKnown() && d.maintenanceWindow() != null && !d.maintenanceWindow().equalsIgnoreCase(Objects.toString(g.maintenanceWindow(), ""))) {
      settings = settings.withPreferredMaintenanceWindow(d.maintenanceWindow());
      what.add("maintenanceWindow " + g.maintenanceWindow() + " -> " + d.maintenanceWindow());
    }
    // IpDiscovery can change on a running group (the network type cannot); only a group reporting it is compared.
    if (d.ipDiscovery() != null && rg.ipDiscovery() != null && !d.ipDiscovery().equals(rg.ipDiscovery())) {
      settings = settings.withIpDiscovery(d.ipDiscovery());
      what.add("network.ipDiscovery " + rg.ipDiscovery() + " -> " + d.ipDiscovery());
    }
    if (!what.isEmpty()) out.add(new Change.Modify(settings, String.join(", ", what)));
    // 9b. Log delivery: enable or move what the spec names, disable what it no longer does.
    List<LogDelivery> logChanges = logDeliveryChanges(d.logDelivery(), rg.logDelivery() == null ? List.of() : rg.logDelivery());
    if (!logChanges.isEmpty()) {
      out.add(new Change.Modify(ModifyRequest.of(id, true).withLogDelivery(logChanges), "logDelivery " + logChanges.stream()
          .map(l -> l.logType() + (l.enabled() ? " -> " + l.logGroup() + " (" + l.format() + ")" : " off")).toList()));
    }
    // 9c. Cluster mode disabled -> compatible, once replicas, failover and the engine version are there.
    if (clusterStep != null) out.add(clusterStep);
    // 10. Replicas down, 11. shards down (keeping the first node groups).
    if (d.replicasPerShard() < replicas) {
      out.add(new Change.Replicas(replicas, d.replicasPerShard(), "replicasPerShard " + replicas + " -> " + d.replicasPerShard()));
    }
    if (sharded && d.shards() < shards) {
      List<String> retain = rg.nodeGroupIds() == null ? List.of() : rg.nodeGroupIds().stream().sorted().limit(d.shards()).toList();
      out.add(new Change.Shards(shards, d.shards(), retain, "shards " + shards + " -> " + d.shards()));
    }
    return out;
  }

  /**
   * A durability switch, alone in its ModifyReplicationGroup as the user guide's "Changing durability
   * on an existing cluster" does it; AWS applies it to the live group, so always immediately.
   */
  private static Change durability(String id, String from, String to) {
    return new Change.Modify(ModifyRequest.of(id, true).withDurability(to), "durability " + from + " -> " + to);
  }

  static List<LogDelivery> logDeliveryChanges(List<LogDelivery> desired, List<LogDelivery> observed) {
    List<LogDelivery> out = new ArrayList<>();
    for (LogDelivery want : desired) {
      LogDelivery have = observed.stream().filter(o -> o.logType().equals(want.logType())).findFirst().orElse(null);
      if (have == null || !want.logGroup().equals(have.logGroup()) || !want.format().equals(have.format())) out.add(want);
    }
    for (LogDelivery have : observed) {
      if (desired.stream().noneMatch(w -> w.logType().equals(have.logType()))) {
        out.add(new LogDelivery(have.logType(), have.logGroup(), have.format(), false));
      }
    }
    return out;
  }

  /**
   * The parameter group the group should use: the owned one when parameters are set; AWS's default
   * for the family when parameters were removed from a group that used the owned one; else none.
   */
  static String wantedParameterGroup(Desired d, ObservedGroup g) {
    if (d.parameterGroupName() != null) return d.parameterGroupName();
    String current = g.parameterGroupName();
    if (current != null && current.startsWith(d.replicationGroupId() + "-") && d.family() != null) {
      return "default." + d.family() + (d.clusterMode() ? ".cluster.on" : "");
    }
    return null;
  }

  private static String join(String a, String b) {
    if (a == null) return b;
    if (b == null) return a;
    return a + ", " + b;
  }
}
