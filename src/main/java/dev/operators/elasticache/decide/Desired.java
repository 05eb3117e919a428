package dev.operators.elasticache.decide;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Everything the operator wants in AWS for one RedisCache, computed from the spec alone. */
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
    String parameterGroupName,
    Map<String, String> parameters,
    Engine engine,
    String engineVersion,
    String nodeType,
    int shards,
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
    AlarmsSpec alarms) {

  /** Meant for a spec that passed {@link SpecValidation}; lenient otherwise (teardown of an edited spec). */
  public static Desired of(RedisCache rc, String clusterId) {
    RedisCacheSpec s = rc.getSpec();
    String ns = rc.getMetadata().getNamespace();
    String name = rc.getMetadata().getName();
    String uid = rc.getMetadata().getUid();
    NetworkSpec net = s.getNetwork();
    String version = EngineVersions.effective(s.getEngine(), s.getEngineVersion());
    String family = EngineVersions.family(s.getEngine(), version).orElse(null);
    boolean owned = net.getSubnetGroupName() == null || net.getSubnetGroupName().isBlank();
    Map<String, String> params = s.parametersOrEmpty();
    if (s.getShards() > 1 && !params.isEmpty()) {
      // AWS: a custom parameter group for cluster mode must have cluster-enabled yes.
      params.put("cluster-enabled", "yes");
    }
    Set<IngressRule> ingress = new TreeSet<>(IngressRule.ORDER);
    if (net.getAllowedSecurityGroupIds() != null) {
      net.getAllowedSecurityGroupIds().forEach(g -> ingress.add(IngressRule.fromGroup(s.getPort(), g)));
    }
    if (net.getAllowedCidrBlocks() != null) {
      net.getAllowedCidrBlocks().forEach(c -> ingress.add(IngressRule.fromCidr(s.getPort(), c)));
    }
    return new Desired(ns, name, uid,
        replicationGroupId(rc, clusterId),
        adopted(s),
        Names.replicationGroupId(clusterId, ns, name),
        Names.securityGroupName(clusterId, ns, name),
        owned ? Names.subnetGroupName(clusterId, ns, name) : net.getSubnetGroupName(),
        owned,
        net.getSubnetIds() == null ? List.of() : List.copyOf(new TreeSet<>(net.getSubnetIds())),
        blankToNull(net.getVpcId()),
        family,
        params.isEmpty() || family == null ? null : Names.parameterGroupName(clusterId, ns, name, family),
        params,
        s.getEngine(), version, s.getNodeType(), s.getShards(), s.getReplicasPerShard(), s.isMultiAZ(), s.getPort(),
        s.isTls(), s.authEnabled(), s.atRestEnabled(), s.kmsKeyId(),
        s.backupRetentionDays(), s.backupWindow(), blankToNull(lower(s.getMaintenanceWindow())),
        Set.copyOf(ingress),
        net.getAdditionalSecurityGroupIds() == null ? List.of() : List.copyOf(new TreeSet<>(net.getAdditionalSecurityGroupIds())),
        Names.tags(clusterId, ns, name, uid, s.tagsOrEmpty()),
        Names.authSecretName(clusterId, ns, name),
        s.secretsManagerEnabled(),
        Names.connectionSecretName(name, s.getConnectionSecret() == null ? null : s.getConnectionSecret().getName()),
        s.secretTemplate(),
        s.getDeletionPolicy() != null ? s.getDeletionPolicy() : adopted(s) ? DeletionPolicy.Retain : DeletionPolicy.Delete,
        s.getApplyChanges() != ApplyChanges.NextMaintenanceWindow,
        rotation(s, true), rotation(s, false), logDelivery(s), s.getAlarms());
  }

  public boolean clusterMode() { return shards > 1; }

  /** The replication group of a RedisCache: the adopted one, or the one named from it. */
  public static String replicationGroupId(RedisCache rc, String clusterId) {
    if (adopted(rc.getSpec())) return rc.getSpec().getAdoption().getReplicationGroupId();
    return Names.replicationGroupId(clusterId, rc.getMetadata().getNamespace(), rc.getMetadata().getName());
  }

  static boolean adopted(RedisCacheSpec s) {
    return s != null && s.getAdoption() != null && s.getAdoption().getReplicationGroupId() != null
        && !s.getAdoption().getReplicationGroupId().isBlank();
  }

  /** Parameter groups the operator may have made for this cache, one per family, except the one in use. */
  public List<String> staleParameterGroupNames() {
    return EngineVersions.families().stream().map(f -> Names.parameterGroupName(nameBase, f))
        .filter(n -> !n.equals(parameterGroupName)).toList();
  }

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
    return new ReplicationGroupSpec(replicationGroupId,
        "RedisCache " + namespace + "/" + name + " (managed by rediscache-operator)",
        engine.awsName(), engineVersion, nodeType, shards, replicasPerShard, clusterMode(), automaticFailover(), multiAZ, port,
        subnetGroupName, securityGroupIds(ownedSecurityGroupId), parameterGroupName, tls, atRest, kmsKeyId, null,
        backupRetentionDays, backupWindow, maintenanceWindow, tags);
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
