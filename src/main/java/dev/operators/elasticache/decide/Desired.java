package dev.operators.elasticache.decide;

import io.soabase.recordbuilder.core.RecordBuilder;
import dev.operators.elasticache.api.ApplyChanges;
import dev.operators.elasticache.api.DeletionPolicy;
import dev.operators.elasticache.api.Engine;
import dev.operators.elasticache.api.NetworkSpec;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.api.RedisCacheSpec;
import dev.operators.elasticache.api.RotationSpec;
import dev.operators.elasticache.api.AlarmsSpec;
import dev.operators.elasticache.api.LogTargetSpec;
import dev.operators.elasticache.aws.LogDelivery;
import java.time.Duration;
import dev.operators.elasticache.aws.IngressRule;
import dev.operators.elasticache.aws.ReplicationGroupSpec;
import dev.operators.elasticache.aws.ReplicationGroupSpecBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Everything the operator wants in AWS for one RedisCache, computed from the spec (and the engine versions AWS offers). Built by name: {@link DesiredBuilder}. */
@RecordBuilder
public record Desired(
    String namespace,
    String name,
    String uid,
    String replicationGroupId,
    boolean adopted,
    String nameBase,
    String securityGroupName,
    String subnetGroupName,
    boolean subnetGroupOwned,
    List<String> subnetIds,
    String vpcId,
    String family,
    List<String> families,
    String parameterGroupName,
    Map<String, String> parameters,
    Engine engine,
    String engineVersion,
    String nodeType,
    boolean dataTiering,
    String durability,
    String networkType,
    String ipDiscovery,
    int shards,
    /** ClusterMode asked for, as AWS names it: disabled, compatible or enabled (null: from shards). */
    String clusterModeTarget,
    int replicasPerShard,
    boolean multiAZ,
    int port,
    boolean tls,
    boolean auth,
    boolean atRest,
    String kmsKeyId,
    int backupRetentionDays,
    String backupWindow,
    String maintenanceWindow,
    Set<IngressRule> ingress,
    List<String> additionalSecurityGroupIds,
    Map<String, String> tags,
    String authSecretName,
    boolean secretsManager,
    String connectionSecretName,
    Map<String, String> template,
    DeletionPolicy deletionPolicy,
    boolean applyImmediately,
    Duration rotationEvery,
    Duration rotationGracePeriod,
    List<LogDelivery> logDelivery,
    AlarmsSpec alarms,
    String restoreSnapshotName,
    List<String> restoreS3Arns,
    boolean serverless,
    Integer maxDataStorageGB,
    Integer maxECPUPerSecond,
    /** spec.users: the apps' users (empty: none, the cache has no user group). */
    List<CacheUsers.AppUser> users,
    /** The cache's user group, null without users. */
    String userGroupId) {

  /**
   * Meant for a spec that passed {@link SpecValidation}; lenient otherwise (teardown of an edited
   * spec). {@code versions}: what AWS offers (the version sent to AWS and its parameter group family).
   */
  public static Desired of(RedisCache rc, String clusterId, EngineVersions versions) {
    RedisCacheSpec s = rc.getSpec();
    String ns = rc.getMetadata().getNamespace();
    String name = rc.getMetadata().getName();
    String uid = rc.getMetadata().getUid();
    NetworkSpec net = s.getNetwork();
    String requested = EngineVersions.effective(s.getEngine(), s.getEngineVersion());
    String version = versions.awsVersion(s.getEngine(), requested);
    String family = versions.family(s.getEngine(), requested).orElse(null);
    boolean owned = net.getSubnetGroupName() == null || net.getSubnetGroupName().isBlank();
    Map<String, String> params = s.parametersOrEmpty();
    if (s.effectiveClusterMode() == dev.operators.elasticache.api.ClusterMode.Enabled && !params.isEmpty()) {
      // AWS: a custom parameter group for cluster mode must have cluster-enabled yes.
      params.put("cluster-enabled", "yes");
    }
    Set<IngressRule> ingress = new TreeSet<>(IngressRule.ORDER);
    // A serverless cache serves on 6379 and, for reads from replicas, on 6380 (user guide, "Reading from replicas").
    List<Integer> ports = s.serverlessEnabled() ? List.of(SERVERLESS_PORT, SERVERLESS_READER_PORT) : List.of(s.getPort());
    for (int port : ports) {
      if (net.getAllowedSecurityGroupIds() != null) {
        net.getAllowedSecurityGroupIds().forEach(g -> ingress.add(IngressRule.fromGroup(port, g)));
      }
      if (net.getAllowedCidrBlocks() != null) {
        net.getAllowedCidrBlocks().forEach(c -> ingress.add(IngressRule.fromCidr(port, c)));
      }
    }
    boolean adopted = adopted(s);
    return DesiredBuilder.builder()
        .namespace(ns).name(name).uid(uid)
        .replicationGroupId(replicationGroupId(rc, clusterId))
        .adopted(adopted)
        .nameBase(Names.replicationGroupId(clusterId, ns, name))
        .securityGroupName(Names.securityGroupName(clusterId, ns, name))
        .subnetGroupName(owned ? Names.subnetGroupName(clusterId, ns, name) : net.getSubnetGroupName())
        .subnetGroupOwned(owned)
        .subnetIds(net.getSubnetIds() == null ? List.of() : List.copyOf(new TreeSet<>(net.getSubnetIds())))
        .vpcId(net.getSubnetSelector() != null ? net.getSubnetSelector().getVpcId() : blankToNull(net.getVpcId()))
        .family(family)
        .families(versions.families())
        .parameterGroupName(params.isEmpty() || family == null ? null : Names.parameterGroupName(clusterId, ns, name, family))
        .parameters(params)
        .engine(s.getEngine())
        .engineVersion(version)
        .nodeType(s.getNodeType())
        .dataTiering(s.dataTieringEnabled())
        .durability(s.getDurability() == null ? null : s.getDurability().awsName())
        .networkType(blankToNull(net.getNetworkType()))
        .ipDiscovery(ipDiscovery(net))
        .shards(s.getShards())
        .clusterModeTarget(s.effectiveClusterMode().awsName())
        .replicasPerShard(s.getReplicasPerShard())
        .multiAZ(s.isMultiAZ())
        .port(s.getPort())
        .tls(s.isTls())
        .auth(s.authEnabled())
        .atRest(s.atRestEnabled())
        .kmsKeyId(s.kmsKeyId())
        .backupRetentionDays(s.backupRetentionDays())
        .backupWindow(s.backupWindow())
        .maintenanceWindow(blankToNull(lower(s.getMaintenanceWindow())))
        .ingress(Set.copyOf(ingress))
        .additionalSecurityGroupIds(net.getAdditionalSecurityGroupIds() == null ? List.of()
            : List.copyOf(new TreeSet<>(net.getAdditionalSecurityGroupIds())))
        .tags(Names.tags(clusterId, ns, name, uid, s.tagsOrEmpty()))
        .authSecretName(Names.authSecretName(clusterId, ns, name))
        .secretsManager(s.secretsManagerEnabled())
        .connectionSecretName(Names.connectionSecretName(name, s.getConnectionSecret() == null ? null : s.getConnectionSecret().getName()))
        .template(s.secretTemplate())
        .deletionPolicy(s.getDeletionPolicy() != null ? s.getDeletionPolicy() : adopted ? DeletionPolicy.Retain : DeletionPolicy.Delete)
        .applyImmediately(s.getApplyChanges() != ApplyChanges.NextMaintenanceWindow)
        .rotationEvery(rotation(s, true))
        .rotationGracePeriod(rotation(s, false))
        .logDelivery(logDelivery(s))
        .alarms(s.getAlarms())
        .restoreSnapshotName(s.getRestoreFrom() == null ? null : blankToNull(s.getRestoreFrom().getSnapshotName()))
        .restoreS3Arns(s.getRestoreFrom() == null || s.getRestoreFrom().getRdbS3Arns() == null ? List.of()
            : List.copyOf(s.getRestoreFrom().getRdbS3Arns()))
        .serverless(s.serverlessEnabled())
        .maxDataStorageGB(s.serverlessEnabled() ? s.getServerless().getMaxDataStorageGB() : null)
        .maxECPUPerSecond(s.serverlessEnabled() ? s.getServerless().getMaxECPUPerSecond() : null)
        .users(CacheUsers.of(s, Names.replicationGroupId(clusterId, ns, name), name))
        .userGroupId(s.usersOrEmpty().isEmpty() ? null : Names.userGroupId(Names.replicationGroupId(clusterId, ns, name)))
        .build();
  }

  /** The ports of a serverless cache: reads and writes, and reads from replicas. */
  public static final int SERVERLESS_PORT = 6379;
  public static final int SERVERLESS_READER_PORT = 6380;

  /** Cluster mode enabled asked for (a group created so; a running one migrated to it). */
  public boolean clusterMode() { return "enabled".equals(clusterModeTargetOrDefault()); }

  /** disabled, compatible or enabled: as asked, else from the shards. */
  public String clusterModeTargetOrDefault() {
    return clusterModeTarget != null ? clusterModeTarget : shards > 1 ? "enabled" : "disabled";
  }

  /** MajorEngineVersion of a serverless cache: the major part of the engine version ("8.0" gives "8"). */
  public String majorEngineVersion() {
    return engineVersion == null ? null : engineVersion.split("\\.")[0];
  }

  /** Sent only with a network type: as asked, else ipv6 for an ipv6-only cache and ipv4 otherwise. */
  static String ipDiscovery(NetworkSpec net) {
    if (net.getNetworkType() == null || net.getNetworkType().isBlank()) return blankToNull(net.getIpDiscovery());
    if (net.getIpDiscovery() != null && !net.getIpDiscovery().isBlank()) return net.getIpDiscovery();
    return "ipv6".equals(net.getNetworkType()) ? "ipv6" : "ipv4";
  }

  /** The replication group of a RedisCache: the adopted one, or the one named from it. */
  public static String replicationGroupId(RedisCache rc, String clusterId) {
    if (adopted(rc.getSpec())) return rc.getSpec().getAdoption().getReplicationGroupId();
    return Names.replicationGroupId(clusterId, rc.getMetadata().getNamespace(), rc.getMetadata().getName());
  }

  static boolean adopted(RedisCacheSpec s) {
    return s != null && s.getAdoption() != null && s.getAdoption().getReplicationGroupId() != null
        && !s.getAdoption().getReplicationGroupId().isBlank();
  }

  /** Parameter groups the operator may have made for this cache, one per family AWS offers, except the one in use. */
  public List<String> staleParameterGroupNames() {
    return families.stream().map(f -> Names.parameterGroupName(nameBase, f))
        .filter(n -> !n.equals(parameterGroupName)).toList();
  }

  /** status.restoredFrom: "snapshot NAME", "s3 ARN[,ARN...]", or null when the cache starts empty. */
  public String restoredFrom() {
    if (restoreSnapshotName != null) return "snapshot " + restoreSnapshotName;
    if (!restoreS3Arns.isEmpty()) return "s3 " + String.join(",", restoreS3Arns);
    return null;
  }

  /** Where an app user's password is kept in Secrets Manager (when {@link #secretsManager()}). */
  public String userSecretName(String userName) { return Names.userSecretName(authSecretName, userName); }

  public boolean automaticFailover() { return replicasPerShard >= 1; }

  /** Nodes AWS will run. */
  public int nodes() { return shards * (1 + replicasPerShard); }

  /** The owned security group first, then the user's additional ones, as AWS is sent them. */
  public List<String> securityGroupIds(String ownedGroupId) {
    List<String> ids = new ArrayList<>();
    ids.add(ownedGroupId);
    ids.addAll(additionalSecurityGroupIds);
    return ids;
  }

  /** The CreateReplicationGroup request, without the token (added by the caller at the last moment). */
  public ReplicationGroupSpec replicationGroupSpec(String ownedSecurityGroupId) {
    return ReplicationGroupSpecBuilder.builder()
        .replicationGroupId(replicationGroupId)
        .description("RedisCache " + namespace + "/" + name + " (managed by rediscache-operator)")
        .engine(engine.awsName())
        .engineVersion(engineVersion)
        .cacheNodeType(nodeType)
        .dataTiering(dataTiering)
        .durability(durability)
        .networkType(networkType)
        .ipDiscovery(ipDiscovery)
        .numNodeGroups(shards)
        .replicasPerNodeGroup(replicasPerShard)
        .clusterMode(clusterMode())
        .automaticFailover(automaticFailover())
        .multiAZ(multiAZ)
        .port(port)
        .cacheSubnetGroupName(subnetGroupName)
        .securityGroupIds(securityGroupIds(ownedSecurityGroupId))
        .cacheParameterGroupName(parameterGroupName)
        .transitEncryption(tls)
        .atRestEncryption(atRest)
        .kmsKeyId(kmsKeyId)
        .snapshotRetentionLimit(backupRetentionDays)
        .snapshotWindow(backupWindow)
        .preferredMaintenanceWindow(maintenanceWindow)
        .snapshotName(restoreSnapshotName)
        .snapshotArns(restoreS3Arns)
        .userGroupIds(userGroupId == null ? List.of() : List.of(userGroupId))
        .tags(tags)
        .build();
  }

  private static List<LogDelivery> logDelivery(RedisCacheSpec s) {
    List<LogDelivery> out = new ArrayList<>();
    if (s.getLogDelivery() != null) {
      LogTargetSpec slow = s.getLogDelivery().getSlowLog();
      LogTargetSpec engine = s.getLogDelivery().getEngineLog();
      if (slow != null && slow.getLogGroup() != null) out.add(new LogDelivery(LogDelivery.SLOW, slow.getLogGroup(), format(slow), true));
      if (engine != null && engine.getLogGroup() != null) out.add(new LogDelivery(LogDelivery.ENGINE, engine.getLogGroup(), format(engine), true));
    }
    return List.copyOf(out);
  }

  private static String format(LogTargetSpec t) {
    return t.getFormat() == null || t.getFormat().isBlank() ? "json" : t.getFormat();
  }

  private static Duration rotation(RedisCacheSpec s, boolean every) {
    RotationSpec r = s.getAuth() == null ? null : s.getAuth().getRotation();
    if (every) return r == null || r.getEvery() == null || r.getEvery().isBlank() ? null : Durations.parse(r.getEvery());
    return r == null || r.getGracePeriod() == null || r.getGracePeriod().isBlank() ? Duration.ofMinutes(10) : Durations.parse(r.getGracePeriod());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase();
  }
}
