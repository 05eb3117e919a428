package dev.operators.elasticache.aws.sdk;

import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.CacheClusterInfo;
import dev.operators.elasticache.aws.CacheClusterInfoBuilder;
import dev.operators.elasticache.aws.CacheEvent;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.aws.Endpoint;
import dev.operators.elasticache.aws.EngineVersionInfo;
import dev.operators.elasticache.aws.LogDelivery;
import software.amazon.awssdk.services.elasticache.model.LogDeliveryConfigurationRequest;
import dev.operators.elasticache.aws.ModifyRequest;
import dev.operators.elasticache.aws.ObservedGroup;
import dev.operators.elasticache.aws.ParameterGroupInfo;
import dev.operators.elasticache.aws.ReplicationGroupInfo;
import dev.operators.elasticache.aws.ReplicationGroupInfoBuilder;
import dev.operators.elasticache.aws.ReplicationGroupSpec;
import dev.operators.elasticache.aws.ServerlessCacheChange;
import dev.operators.elasticache.aws.ServerlessCacheInfo;
import dev.operators.elasticache.aws.ServerlessCacheSpec;
import dev.operators.elasticache.aws.SnapshotInfo;
import dev.operators.elasticache.aws.SubnetGroupInfo;
import dev.operators.elasticache.aws.UserGroupInfo;
import dev.operators.elasticache.aws.UserInfo;
import dev.operators.elasticache.aws.UserSpec;
import software.amazon.awssdk.services.elasticache.model.InputAuthenticationType;
import software.amazon.awssdk.services.elasticache.model.User;
import software.amazon.awssdk.services.elasticache.model.UserGroup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.AutomaticFailoverStatus;
import software.amazon.awssdk.services.elasticache.model.CacheCluster;
import software.amazon.awssdk.services.elasticache.model.CacheUsageLimits;
import software.amazon.awssdk.services.elasticache.model.DataStorageUnit;
import software.amazon.awssdk.services.elasticache.model.ServerlessCache;
import software.amazon.awssdk.services.elasticache.model.ClusterMode;
import software.amazon.awssdk.services.elasticache.model.CreateReplicationGroupRequest;
import software.amazon.awssdk.services.elasticache.model.MultiAZStatus;
import software.amazon.awssdk.services.elasticache.model.NodeGroup;
import software.amazon.awssdk.services.elasticache.model.ParameterNameValue;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.SecurityGroupMembership;
import software.amazon.awssdk.services.elasticache.model.SourceType;
import software.amazon.awssdk.services.elasticache.model.Tag;

/** ElastiCache through the AWS SDK. */
public final class SdkElastiCache implements ElastiCachePort {
  private static final String SVC = "elasticache";
  /** AWS takes at most 20 parameters per ModifyCacheParameterGroup call. */
  private static final int PARAMETERS_PER_CALL = 20;
  private final ElastiCacheClient ec;
  private final AwsCalls calls;

  public SdkElastiCache(ElastiCacheClient ec, AwsCalls calls) {
    this.ec = ec;
    this.calls = calls;
  }

  @Override
  public Optional<SubnetGroupInfo> findSubnetGroup(String name) {
    try {
      return calls.run(SVC, "DescribeCacheSubnetGroups",
          () -> ec.describeCacheSubnetGroups(r -> r.cacheSubnetGroupName(name)).cacheSubnetGroups()).stream().findFirst()
          .map(g -> new SubnetGroupInfo(g.cacheSubnetGroupName(), g.vpcId(),
              g.subnets().stream().map(s -> s.subnetIdentifier()).toList(), g.arn(), g.supportedNetworkTypesAsStrings()));
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.NOT_FOUND)) return Optional.empty();
      throw e;
    }
  }

  @Override
  public void createSubnetGroup(String name, String description, List<String> subnetIds, Map<String, String> tags) {
    calls.run(SVC, "CreateCacheSubnetGroup", () -> ec.createCacheSubnetGroup(r -> r.cacheSubnetGroupName(name)
        .cacheSubnetGroupDescription(description).subnetIds(subnetIds).tags(toTags(tags))));
  }

  @Override
  public void deleteSubnetGroup(String name) {
    calls.run(SVC, "DeleteCacheSubnetGroup", () -> ec.deleteCacheSubnetGroup(r -> r.cacheSubnetGroupName(name)));
  }

  @Override
  public void modifySubnetGroup(String name, List<String> subnetIds) {
    calls.run(SVC, "ModifyCacheSubnetGroup", () -> ec.modifyCacheSubnetGroup(r -> r.cacheSubnetGroupName(name).subnetIds(subnetIds)));
  }

  @Override
  public Optional<ParameterGroupInfo> findParameterGroup(String name) {
    try {
      return calls.run(SVC, "DescribeCacheParameterGroups",
          () -> ec.describeCacheParameterGroups(r -> r.cacheParameterGroupName(name)).cacheParameterGroups()).stream()
          .findFirst().map(g -> new ParameterGroupInfo(g.cacheParameterGroupName(), g.cacheParameterGroupFamily(), g.arn()));
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.NOT_FOUND)) return Optional.empty();
      throw e;
    }
  }

  @Override
  public void createParameterGroup(String name, String family, String description, Map<String, String> tags) {
    calls.run(SVC, "CreateCacheParameterGroup", () -> ec.createCacheParameterGroup(r -> r.cacheParameterGroupName(name)
        .cacheParameterGroupFamily(family).description(description).tags(toTags(tags))));
  }

  @Override
  public Map<String, String> userParameters(String name) {
    Map<String, String> out = new LinkedHashMap<>();
    String marker = null;
    do {
      String m = marker;
      var page = calls.run(SVC, "DescribeCacheParameters",
          () -> ec.describeCacheParameters(r -> r.cacheParameterGroupName(name).source("user").marker(m)));
      page.parameters().forEach(p -> out.put(p.parameterName(), p.parameterValue()));
      marker = page.marker();
    } while (marker != null && !marker.isEmpty());
    return out;
  }

  @Override
  public void modifyParameterGroup(String name, Map<String, String> parameters) {
    List<ParameterNameValue> all = parameters.entrySet().stream()
        .map(e -> ParameterNameValue.builder().parameterName(e.getKey()).parameterValue(e.getValue()).build()).toList();
    for (int i = 0; i < all.size(); i += PARAMETERS_PER_CALL) {
      List<ParameterNameValue> chunk = all.subList(i, Math.min(all.size(), i + PARAMETERS_PER_CALL));
      calls.run(SVC, "ModifyCacheParameterGroup",
          () -> ec.modifyCacheParameterGroup(r -> r.cacheParameterGroupName(name).parameterNameValues(chunk)));
    }
  }

  @Override
  public void resetParameters(String name, List<String> parameterNames) {
    List<ParameterNameValue> all = parameterNames.stream().map(n -> ParameterNameValue.builder().parameterName(n).build()).toList();
    for (int i = 0; i < all.size(); i += PARAMETERS_PER_CALL) {
      List<ParameterNameValue> chunk = all.subList(i, Math.min(all.size(), i + PARAMETERS_PER_CALL));
      calls.run(SVC, "ResetCacheParameterGroup", () -> ec.resetCacheParameterGroup(r -> r.cacheParameterGroupName(name)
          .resetAllParameters(false).parameterNameValues(chunk)));
    }
  }

  @Override
  public void deleteParameterGroup(String name) {
    calls.run(SVC, "DeleteCacheParameterGroup", () -> ec.deleteCacheParameterGroup(r -> r.cacheParameterGroupName(name)));
  }

  @Override
  public ReplicationGroupInfo createReplicationGroup(ReplicationGroupSpec s) {
    CreateReplicationGroupRequest.Builder b = CreateReplicationGroupRequest.builder()
        .replicationGroupId(s.replicationGroupId())
        .replicationGroupDescription(s.description())
        .engine(s.engine())
        .engineVersion(s.engineVersion())
        .cacheNodeType(s.cacheNodeType())
        .numNodeGroups(s.numNodeGroups())
        .replicasPerNodeGroup(s.replicasPerNodeGroup())
        .automaticFailoverEnabled(s.automaticFailover())
        .multiAZEnabled(s.multiAZ())
        .port(s.port())
        .cacheSubnetGroupName(s.cacheSubnetGroupName())
        .securityGroupIds(s.securityGroupIds())
        .transitEncryptionEnabled(s.transitEncryption())
        .atRestEncryptionEnabled(s.atRestEncryption())
        .snapshotRetentionLimit(s.snapshotRetentionLimit())
        .tags(toTags(s.tags()));
    if (s.clusterMode()) b.clusterMode(ClusterMode.ENABLED);
    if (s.cacheParameterGroupName() != null) b.cacheParameterGroupName(s.cacheParameterGroupName());
    if (s.kmsKeyId() != null) b.kmsKeyId(s.kmsKeyId());
    if (s.dataTiering()) b.dataTieringEnabled(true);
    if (s.durability() != null) b.durability(s.durability());
    if (s.networkType() != null) b.networkType(s.networkType());
    if (s.ipDiscovery() != null) b.ipDiscovery(s.ipDiscovery());
    if (s.authToken() != null) b.authToken(s.authToken());
    if (s.snapshotWindow() != null) b.snapshotWindow(s.snapshotWindow());
    if (s.preferredMaintenanceWindow() != null) b.preferredMaintenanceWindow(s.preferredMaintenanceWindow());
    if (s.snapshotName() != null) b.snapshotName(s.snapshotName());
    if (s.snapshotArns() != null && !s.snapshotArns().isEmpty()) b.snapshotArns(s.snapshotArns());
    if (s.userGroupIds() != null && !s.userGroupIds().isEmpty()) b.userGroupIds(s.userGroupIds());
    CreateReplicationGroupRequest request = b.build();
    return toInfo(calls.run(SVC, "CreateReplicationGroup", () -> ec.createReplicationGroup(request).replicationGroup()));
  }

  @Override
  public Optional<ObservedGroup> describeReplicationGroup(String id) {
    return describeGroup(id, false);
  }

  @Override
  public Optional<ObservedGroup> sweepGroup(String id) {
    return describeGroup(id, true);
  }

  private <T> T call(boolean sweep, String operation, java.util.function.Supplier<T> call) {
    return sweep ? calls.sweep(SVC, operation, call) : calls.run(SVC, operation, call);
  }

  private Optional<ObservedGroup> describeGroup(String id, boolean sweep) {
    List<ReplicationGroup> groups;
    try {
      groups = call(sweep, "DescribeReplicationGroups",
          () -> ec.describeReplicationGroups(r -> r.replicationGroupId(id)).replicationGroups());
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.NOT_FOUND)) return Optional.empty();
      throw e;
    }
    if (groups.isEmpty()) return Optional.empty();
    ReplicationGroupInfo info = toInfo(groups.get(0));
    List<CacheClusterInfo> clusters = new ArrayList<>();
    for (String member : info.memberClusters()) {
      try {
        call(sweep, "DescribeCacheClusters", () -> ec.describeCacheClusters(r -> r.cacheClusterId(member)).cacheClusters())
            .forEach(c -> clusters.add(toInfo(c)));
      } catch (AwsException e) {
        if (!e.is(AwsException.Kind.NOT_FOUND)) throw e;
      }
    }
    return Optional.of(new ObservedGroup(info, clusters));
  }

  @Override
  public Map<String, ObservedGroup> describeGroups() {
    Map<String, ObservedGroup> out = new LinkedHashMap<>();
    String marker = null;
    do {
      String m = marker;
      var page = calls.sweep(SVC, "DescribeReplicationGroups", () -> ec.describeReplicationGroups(r -> r.maxRecords(100).marker(m)));
      page.replicationGroups().forEach(g -> out.put(g.replicationGroupId(), new ObservedGroup(toInfo(g), null)));
      marker = page.marker();
    } while (marker != null && !marker.isEmpty());
    return out;
  }

  @Override
  public Map<String, ObservedGroup> describeAll(java.util.function.Consumer<ObservedGroup> complete) {
    Map<String, ObservedGroup> groups = describeGroups();
    Map<String, List<CacheClusterInfo>> clustersByGroup = new HashMap<>();
    // The members each group still waits for; a group is complete when the last one is read.
    Map<String, java.util.Set<String>> missing = new HashMap<>();
    Map<String, ObservedGroup> done = new HashMap<>();
    groups.forEach((id, g) -> missing.put(id, new java.util.HashSet<>(g.group().memberClusters())));
    groups.forEach((id, g) -> {
      if (missing.get(id).isEmpty()) done.put(id, withClusters(g, List.of(), complete));
    });
    String marker = null;
    do {
      String m = marker;
      var page = calls.sweep(SVC, "DescribeCacheClusters", () -> ec.describeCacheClusters(r -> r.maxRecords(100).marker(m)));
      for (CacheCluster c : page.cacheClusters()) {
        String id = c.replicationGroupId();
        if (id == null) continue;
        clustersByGroup.computeIfAbsent(id, k -> new ArrayList<>()).add(toInfo(c));
        java.util.Set<String> waiting = missing.get(id);
        if (waiting != null && waiting.remove(c.cacheClusterId()) && waiting.isEmpty() && groups.containsKey(id)) {
          done.put(id, withClusters(groups.get(id), clustersByGroup.get(id), complete));
        }
      }
      marker = page.marker();
    } while (marker != null && !marker.isEmpty());

    Map<String, ObservedGroup> out = new LinkedHashMap<>();
    groups.forEach((id, g) -> out.put(id, done.containsKey(id) ? done.get(id)
        : withClusters(g, clustersByGroup.getOrDefault(id, List.of()), complete)));
    return out;
  }

  /** The group with its members, sorted by id, handed to {@code complete}. */
  private static ObservedGroup withClusters(ObservedGroup g, List<CacheClusterInfo> members,
      java.util.function.Consumer<ObservedGroup> complete) {
    List<CacheClusterInfo> clusters = new ArrayList<>(members);
    clusters.sort(java.util.Comparator.comparing(CacheClusterInfo::id));
    ObservedGroup out = new ObservedGroup(g.group(), List.copyOf(clusters));
    complete.accept(out);
    return out;
  }

  @Override
  public void deleteReplicationGroup(String id, String finalSnapshotName) {
    calls.run(SVC, "DeleteReplicationGroup", () -> ec.deleteReplicationGroup(r -> {
      r.replicationGroupId(id).retainPrimaryCluster(false);
      if (finalSnapshotName != null) r.finalSnapshotIdentifier(finalSnapshotName);
    }));
  }

  @Override
  public void modifyReplicationGroup(ModifyRequest m) {
    calls.run(SVC, "ModifyReplicationGroup", () -> ec.modifyReplicationGroup(r -> {
      r.replicationGroupId(m.replicationGroupId()).applyImmediately(m.applyImmediately());
      if (m.cacheNodeType() != null) r.cacheNodeType(m.cacheNodeType());
      if (m.engine() != null) r.engine(m.engine());
      if (m.engineVersion() != null) r.engineVersion(m.engineVersion());
      if (m.cacheParameterGroupName() != null) r.cacheParameterGroupName(m.cacheParameterGroupName());
      if (m.securityGroupIds() != null) r.securityGroupIds(m.securityGroupIds());
      if (m.snapshotRetentionLimit() != null) r.snapshotRetentionLimit(m.snapshotRetentionLimit());
      if (m.snapshotWindow() != null) r.snapshotWindow(m.snapshotWindow());
      if (m.preferredMaintenanceWindow() != null) r.preferredMaintenanceWindow(m.preferredMaintenanceWindow());
      if (m.automaticFailover() != null) r.automaticFailoverEnabled(m.automaticFailover());
      if (m.multiAZ() != null) r.multiAZEnabled(m.multiAZ());
      if (m.ipDiscovery() != null) r.ipDiscovery(m.ipDiscovery());
      if (m.transitEncryptionEnabled() != null) r.transitEncryptionEnabled(m.transitEncryptionEnabled());
      if (m.transitEncryptionMode() != null) r.transitEncryptionMode(m.transitEncryptionMode());
      if (m.durability() != null) r.durability(m.durability());
      if (m.clusterMode() != null) r.clusterMode(m.clusterMode());
      if (m.authToken() != null) r.authToken(m.authToken());
      // DELETE is sent without a token (AWS refuses AuthToken with DELETE)
      if (m.authToken() != null || m.authTokenUpdateStrategy() != null) r.authTokenUpdateStrategy(m.authTokenUpdateStrategy());
      if (m.userGroupIdsToAdd() != null && !m.userGroupIdsToAdd().isEmpty()) r.userGroupIdsToAdd(m.userGroupIdsToAdd());
      if (m.userGroupIdsToRemove() != null && !m.userGroupIdsToRemove().isEmpty()) r.userGroupIdsToRemove(m.userGroupIdsToRemove());
      if (m.removeUserGroups() != null) r.removeUserGroups(m.removeUserGroups());
      if (m.logDelivery() != null) {
        r.logDeliveryConfigurations(m.logDelivery().stream().map(l -> LogDeliveryConfigurationRequest.builder()
            .logType(l.logType()).destinationType("cloudwatch-logs").logFormat(l.format()).enabled(l.enabled())
            .destinationDetails(d -> d.cloudWatchLogsDetails(c -> c.logGroup(l.logGroup()))).build()).toList());
      }
    }));
  }

  @Override
  public void increaseReplicaCount(String id, int newReplicaCount) {
    calls.run(SVC, "IncreaseReplicaCount", () -> ec.increaseReplicaCount(r -> r.replicationGroupId(id)
        .newReplicaCount(newReplicaCount).applyImmediately(true)));
  }

  @Override
  public void decreaseReplicaCount(String id, int newReplicaCount) {
    calls.run(SVC, "DecreaseReplicaCount", () -> ec.decreaseReplicaCount(r -> r.replicationGroupId(id)
        .newReplicaCount(newReplicaCount).applyImmediately(true)));
  }

  @Override
  public void modifyShardCount(String id, int nodeGroupCount, List<String> retain) {
    calls.run(SVC, "ModifyReplicationGroupShardConfiguration", () -> ec.modifyReplicationGroupShardConfiguration(r -> {
      r.replicationGroupId(id).nodeGroupCount(nodeGroupCount).applyImmediately(true);
      if (retain != null && !retain.isEmpty()) r.nodeGroupsToRetain(retain);
    }));
  }

  @Override
  public Map<String, String> tagsOf(String arn) {
    Map<String, String> out = new LinkedHashMap<>();
    calls.run(SVC, "ListTagsForResource", () -> ec.listTagsForResource(r -> r.resourceName(arn)).tagList())
        .forEach(t -> out.put(t.key(), t.value()));
    return out;
  }

  @Override
  public void addTags(String arn, Map<String, String> tags) {
    calls.run(SVC, "AddTagsToResource", () -> ec.addTagsToResource(r -> r.resourceName(arn).tags(toTags(tags))));
  }

  @Override
  public void removeTags(String arn, List<String> keys) {
    calls.run(SVC, "RemoveTagsFromResource", () -> ec.removeTagsFromResource(r -> r.resourceName(arn).tagKeys(keys)));
  }

  @Override
  public List<CacheEvent> describeEvents(String replicationGroupId, Instant since) {
    return events(replicationGroupId, since, false);
  }

  @Override
  public List<CacheEvent> sweepEvents(Instant since) {
    return events(null, since, true);
  }

  private List<CacheEvent> events(String replicationGroupId, Instant since, boolean sweep) {
    List<CacheEvent> out = new ArrayList<>();
    String marker = null;
    do {
      String m = marker;
      var page = call(sweep, "DescribeEvents", () -> ec.describeEvents(r -> r.sourceType(SourceType.REPLICATION_GROUP)
          .sourceIdentifier(replicationGroupId).startTime(since).maxRecords(100).marker(m)));
      page.events().forEach(e -> out.add(new CacheEvent(e.sourceIdentifier(), e.sourceTypeAsString(), e.message(), e.date())));
      marker = page.marker();
    } while (marker != null && !marker.isEmpty());
    return out;
  }

  @Override
  public List<EngineVersionInfo> describeEngineVersions() {
    // No Engine filter: AWS lists every engine (memcached too, dropped here) in one page of 100.
    List<EngineVersionInfo> out = new ArrayList<>();
    String marker = null;
    do {
      String m = marker;
      var page = calls.run(SVC, "DescribeCacheEngineVersions", () -> ec.describeCacheEngineVersions(r -> r.maxRecords(100).marker(m)));
      page.cacheEngineVersions().stream().filter(v -> "valkey".equals(v.engine()) || "redis".equals(v.engine()))
          .forEach(v -> out.add(new EngineVersionInfo(v.engine(), v.engineVersion(), v.cacheParameterGroupFamily())));
      marker = page.marker();
    } while (marker != null && !marker.isEmpty());
    return out;
  }

  @Override
  public List<dev.operators.elasticache.aws.UpdateAction> sweepUpdateActions() {
    return updateActions(b -> b.serviceUpdateStatusWithStrings("available")
        .updateActionStatusWithStrings(PENDING_UPDATE_ACTION_STATUSES));
  }

  @Override
  public List<dev.operators.elasticache.aws.UpdateAction> sweepUpdateActions(String serviceUpdateName, List<String> replicationGroupIds) {
    return updateActions(b -> b.serviceUpdateName(serviceUpdateName).replicationGroupIds(replicationGroupIds));
  }

  private List<dev.operators.elasticache.aws.UpdateAction> updateActions(
      java.util.function.Consumer<software.amazon.awssdk.services.elasticache.model.DescribeUpdateActionsRequest.Builder> filter) {
    List<dev.operators.elasticache.aws.UpdateAction> out = new ArrayList<>();
    String marker = null;
    do {
      String m = marker;
      var page = calls.sweep(SVC, "DescribeUpdateActions", () -> ec.describeUpdateActions(r -> {
        filter.accept(r);
        r.maxRecords(100).marker(m);
      }));
      page.updateActions().stream().filter(a -> a.replicationGroupId() != null).forEach(a -> out.add(new dev.operators.elasticache.aws.UpdateAction(
          a.replicationGroupId(), a.serviceUpdateName(), a.serviceUpdateSeverityAsString(), a.serviceUpdateTypeAsString(),
          a.serviceUpdateReleaseDate(), a.serviceUpdateRecommendedApplyByDate(), a.updateActionStatusAsString())));
      marker = page.marker();
    } while (marker != null && !marker.isEmpty());
    return out;
  }

  @Override
  public Optional<SnapshotInfo> describeSnapshot(String snapshotName) {
    try {
      return calls.run(SVC, "DescribeSnapshots", () -> ec.describeSnapshots(r -> r.snapshotName(snapshotName).showNodeGroupConfig(true)).snapshots())
          .stream().findFirst().map(sn -> {
            int shards = sn.numNodeGroups() != null ? sn.numNodeGroups() : Math.max(1, sn.nodeSnapshots().size());
            String pg = sn.cacheParameterGroupName();
            boolean clusterMode = shards > 1 || (pg != null && pg.endsWith(".cluster.on"));
            return new SnapshotInfo(sn.snapshotName(), sn.snapshotStatus(), sn.engine(), sn.engineVersion(), sn.cacheNodeType(),
                shards, clusterMode, sn.replicationGroupId(), sn.arn());
          });
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.NOT_FOUND)) return Optional.empty();
      throw e;
    }
  }

  @Override
  public Map<String, String> applyServiceUpdate(String serviceUpdateName, List<String> replicationGroupIds) {
    var answer = calls.sweep(SVC, "BatchApplyUpdateAction",
        () -> ec.batchApplyUpdateAction(r -> r.serviceUpdateName(serviceUpdateName).replicationGroupIds(replicationGroupIds)));
    Map<String, String> out = new LinkedHashMap<>();
    answer.processedUpdateActions().stream().filter(a -> a.replicationGroupId() != null)
        .forEach(a -> out.put(a.replicationGroupId(), a.updateActionStatusAsString()));
    return out;
  }

  @Override
  public void createSnapshot(String replicationGroupId, String snapshotName) {
    calls.run(SVC, "CreateSnapshot", () -> ec.createSnapshot(r -> r.replicationGroupId(replicationGroupId).snapshotName(snapshotName)));
  }

  // ---- RBAC users and user groups

  @Override
  public Optional<UserInfo> describeUser(String userId) {
    try {
      return calls.run(SVC, "DescribeUsers", () -> ec.describeUsers(r -> r.userId(userId)).users()).stream()
          .filter(u -> u.userId().equals(userId)).findFirst().map(SdkElastiCache::toUser);
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.NOT_FOUND)) return Optional.empty();
      throw e;
    }
  }

  @Override
  public UserInfo createUser(UserSpec s) {
    return toUser(calls.run(SVC, "CreateUser", () -> ec.createUser(r -> {
      r.userId(s.userId()).userName(s.userName()).engine(s.engine()).accessString(s.accessString()).tags(toTags(s.tags()));
      r.authenticationMode(a -> {
        a.type(InputAuthenticationType.fromValue(s.authenticationType()));
        if (!s.passwords().isEmpty()) a.passwords(s.passwords());
      });
    })));
  }

  private static UserInfo toUser(software.amazon.awssdk.services.elasticache.model.CreateUserResponse u) {
    return new UserInfo(u.userId(), u.userName(), u.status(), u.engine(), u.accessString(),
        u.authentication() == null ? null : u.authentication().typeAsString(),
        u.authentication() == null || u.authentication().passwordCount() == null ? 0 : u.authentication().passwordCount(),
        List.copyOf(u.userGroupIds()), u.arn());
  }

  static UserInfo toUser(User u) {
    return new UserInfo(u.userId(), u.userName(), u.status(), u.engine(), u.accessString(),
        u.authentication() == null ? null : u.authentication().typeAsString(),
        u.authentication() == null || u.authentication().passwordCount() == null ? 0 : u.authentication().passwordCount(),
        List.copyOf(u.userGroupIds()), u.arn());
  }

  @Override
  public void modifyUser(String userId, String accessString, String authenticationType, List<String> passwords) {
    calls.run(SVC, "ModifyUser", () -> ec.modifyUser(r -> {
      r.userId(userId);
      if (accessString != null) r.accessString(accessString);
      if (authenticationType != null) {
        r.authenticationMode(a -> {
          a.type(InputAuthenticationType.fromValue(authenticationType));
          if (passwords != null && !passwords.isEmpty()) a.passwords(passwords);
        });
      }
    }));
  }

  @Override
  public void deleteUser(String userId) {
    calls.run(SVC, "DeleteUser", () -> ec.deleteUser(r -> r.userId(userId)));
  }

  @Override
  public Optional<UserGroupInfo> describeUserGroup(String userGroupId) {
    try {
      return calls.run(SVC, "DescribeUserGroups", () -> ec.describeUserGroups(r -> r.userGroupId(userGroupId)).userGroups())
          .stream().filter(g -> g.userGroupId().equals(userGroupId)).findFirst().map(SdkElastiCache::toUserGroup);
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.NOT_FOUND)) return Optional.empty();
      throw e;
    }
  }

  static UserGroupInfo toUserGroup(UserGroup g) {
    var p = g.pendingChanges();
    return new UserGroupInfo(g.userGroupId(), g.status(), g.engine(), List.copyOf(g.userIds()),
        p == null ? List.of() : List.copyOf(p.userIdsToAdd()), p == null ? List.of() : List.copyOf(p.userIdsToRemove()),
        List.copyOf(g.replicationGroups()), g.arn(), List.copyOf(g.serverlessCaches()));
  }

  @Override
  public void createUserGroup(String userGroupId, String engine, List<String> userIds, Map<String, String> tags) {
    calls.run(SVC, "CreateUserGroup", () -> ec.createUserGroup(r -> r.userGroupId(userGroupId).engine(engine)
        .userIds(userIds).tags(toTags(tags))));
  }

  @Override
  public void modifyUserGroup(String userGroupId, List<String> userIdsToAdd, List<String> userIdsToRemove) {
    calls.run(SVC, "ModifyUserGroup", () -> ec.modifyUserGroup(r -> {
      r.userGroupId(userGroupId);
      if (userIdsToAdd != null && !userIdsToAdd.isEmpty()) r.userIdsToAdd(userIdsToAdd);
      if (userIdsToRemove != null && !userIdsToRemove.isEmpty()) r.userIdsToRemove(userIdsToRemove);
    }));
  }

  @Override
  public void deleteUserGroup(String userGroupId) {
    calls.run(SVC, "DeleteUserGroup", () -> ec.deleteUserGroup(r -> r.userGroupId(userGroupId)));
  }

  static ReplicationGroupInfo toInfo(ReplicationGroup g) {
    List<NodeGroup> nodeGroups = g.nodeGroups();
    boolean cluster = Boolean.TRUE.equals(g.clusterEnabled());
    Endpoint primary = null;
    Endpoint reader = null;
    int replicas = 0;
    if (!nodeGroups.isEmpty()) {
      NodeGroup first = nodeGroups.get(0);
      primary = endpoint(first.primaryEndpoint());
      reader = endpoint(first.readerEndpoint());
      replicas = Math.max(0, first.nodeGroupMembers().size() - 1);
    }
    if (nodeGroups.isEmpty() || nodeGroups.get(0).nodeGroupMembers().isEmpty()) {
      int groupsCount = Math.max(1, nodeGroups.size());
      replicas = Math.max(0, g.memberClusters().size() / groupsCount - 1);
    }
    Endpoint configuration = endpoint(g.configurationEndpoint());
    return ReplicationGroupInfoBuilder.builder()
        .id(g.replicationGroupId())
        .arn(g.arn())
        .status(g.status())
        .engine(g.engine())
        .cacheNodeType(g.cacheNodeType())
        .clusterEnabled(cluster)
        .numNodeGroups(Math.max(1, nodeGroups.size()))
        .replicasPerNodeGroup(replicas)
        .memberClusters(List.copyOf(g.memberClusters()))
        .primaryEndpoint(primary)
        .readerEndpoint(reader)
        .configurationEndpoint(configuration)
        .automaticFailover(g.automaticFailover() == AutomaticFailoverStatus.ENABLED || g.automaticFailover() == AutomaticFailoverStatus.ENABLING)
        .multiAZ(g.multiAZ() == MultiAZStatus.ENABLED)
        .transitEncryption(Boolean.TRUE.equals(g.transitEncryptionEnabled()))
        .transitEncryptionMode(Boolean.TRUE.equals(g.transitEncryptionEnabled()) ? g.transitEncryptionModeAsString() : null)
        .atRestEncryption(Boolean.TRUE.equals(g.atRestEncryptionEnabled()))
        .dataTiering("enabled".equals(g.dataTieringAsString()))
        .networkType(g.networkTypeAsString())
        .ipDiscovery(g.ipDiscoveryAsString())
        .kmsKeyId(g.kmsKeyId())
        .userGroupIds(List.copyOf(g.userGroupIds()))
        .authTokenEnabled(Boolean.TRUE.equals(g.authTokenEnabled()))
        .snapshotRetentionLimit(g.snapshotRetentionLimit())
        .snapshotWindow(g.snapshotWindow())
        .nodeGroupIds(nodeGroups.stream().map(NodeGroup::nodeGroupId).toList())
        .pendingChanges(g.pendingModifiedValues() != null && (g.pendingModifiedValues().automaticFailoverStatus() != null
            || g.pendingModifiedValues().resharding() != null || g.pendingModifiedValues().authTokenStatus() != null))
        .durability(g.effectiveDurabilityAsString())
        .storageEncryption(g.storageEncryptionTypeAsString())
        .clusterMode(g.clusterModeAsString() == null ? null : g.clusterModeAsString().toLowerCase())
        .authTokenLastModified(g.authTokenLastModifiedDate())
        .logDelivery(g.logDeliveryConfigurations().stream()
            .filter(l -> l.destinationDetails() != null && l.destinationDetails().cloudWatchLogsDetails() != null)
            .filter(l -> !"disabling".equals(l.statusAsString()))
            .map(l -> new LogDelivery(l.logTypeAsString(), l.destinationDetails().cloudWatchLogsDetails().logGroup(), l.logFormatAsString(), true))
            .sorted(java.util.Comparator.comparing(LogDelivery::logType)).toList())
        .build();
  }

  static CacheClusterInfo toInfo(CacheCluster c) {
    return CacheClusterInfoBuilder.builder()
        .id(c.cacheClusterId())
        .replicationGroupId(c.replicationGroupId())
        .status(c.cacheClusterStatus())
        .engineVersion(c.engineVersion())
        .cacheParameterGroupName(c.cacheParameterGroup() == null ? null : c.cacheParameterGroup().cacheParameterGroupName())
        .cacheSubnetGroupName(c.cacheSubnetGroupName())
        .securityGroupIds(c.securityGroups().stream().map(SecurityGroupMembership::securityGroupId).sorted().toList())
        .preferredMaintenanceWindow(c.preferredMaintenanceWindow())
        .pendingCacheNodeType(c.pendingModifiedValues() == null ? null : c.pendingModifiedValues().cacheNodeType())
        .pendingEngineVersion(c.pendingModifiedValues() == null ? null : c.pendingModifiedValues().engineVersion())
        .build();
  }

  static Endpoint endpoint(software.amazon.awssdk.services.elasticache.model.Endpoint e) {
    return e == null || e.address() == null ? null : new Endpoint(e.address(), e.port() == null ? 0 : e.port());
  }

  static List<Tag> toTags(Map<String, String> tags) {
    return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
  }

  // ---------------------------------------------------------------------------------------------
  // Serverless caches

  @Override
  public ServerlessCacheInfo createServerlessCache(ServerlessCacheSpec s) {
    return toInfo(calls.run(SVC, "CreateServerlessCache", () -> ec.createServerlessCache(r -> {
      r.serverlessCacheName(s.name()).description(s.description()).engine(s.engine())
          .securityGroupIds(s.securityGroupIds()).subnetIds(s.subnetIds()).tags(toTags(s.tags()));
      if (s.majorEngineVersion() != null) r.majorEngineVersion(s.majorEngineVersion());
      CacheUsageLimits limits = limits(s.maxDataStorageGB(), s.maxECPUPerSecond());
      if (limits != null) r.cacheUsageLimits(limits);
      if (s.kmsKeyId() != null) r.kmsKeyId(s.kmsKeyId());
      if (s.snapshotRetentionLimit() != null) r.snapshotRetentionLimit(s.snapshotRetentionLimit());
      if (s.dailySnapshotTime() != null) r.dailySnapshotTime(s.dailySnapshotTime());
      if (s.snapshotArnsToRestore() != null && !s.snapshotArnsToRestore().isEmpty()) r.snapshotArnsToRestore(s.snapshotArnsToRestore());
      if (s.userGroupId() != null) r.userGroupId(s.userGroupId());
    }).serverlessCache()));
  }

  @Override
  public Optional<dev.operators.elasticache.aws.ServerlessSnapshotInfo> describeServerlessSnapshot(String snapshotName) {
    try {
      return calls.run(SVC, "DescribeServerlessCacheSnapshots",
          () -> ec.describeServerlessCacheSnapshots(r -> r.serverlessCacheSnapshotName(snapshotName)).serverlessCacheSnapshots())
          .stream().findFirst().map(s -> new dev.operators.elasticache.aws.ServerlessSnapshotInfo(s.serverlessCacheSnapshotName(), s.arn(),
              s.status(), s.serverlessCacheConfiguration() == null ? null : s.serverlessCacheConfiguration().engine(),
              s.serverlessCacheConfiguration() == null ? null : s.serverlessCacheConfiguration().majorEngineVersion(),
              s.serverlessCacheConfiguration() == null ? null : s.serverlessCacheConfiguration().serverlessCacheName()));
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.NOT_FOUND)) return Optional.empty();
      throw e;
    }
  }

  @Override
  public Optional<ServerlessCacheInfo> describeServerlessCache(String name) {
    try {
      return calls.run(SVC, "DescribeServerlessCaches",
          () -> ec.describeServerlessCaches(r -> r.serverlessCacheName(name)).serverlessCaches()).stream().findFirst().map(SdkElastiCache::toInfo);
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.NOT_FOUND)) return Optional.empty();
      throw e;
    }
  }

  @Override
  public Map<String, ServerlessCacheInfo> sweepServerlessCaches() {
    Map<String, ServerlessCacheInfo> out = new LinkedHashMap<>();
    String token = null;
    do {
      String t = token;
      var page = calls.sweep(SVC, "DescribeServerlessCaches", () -> ec.describeServerlessCaches(r -> r.maxResults(50).nextToken(t)));
      page.serverlessCaches().forEach(c -> out.put(c.serverlessCacheName(), toInfo(c)));
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    return out;
  }

  @Override
  public void modifyServerlessCache(ServerlessCacheChange m) {
    calls.run(SVC, "ModifyServerlessCache", () -> ec.modifyServerlessCache(r -> {
      r.serverlessCacheName(m.name());
      if (m.description() != null) r.description(m.description());
      CacheUsageLimits limits = limits(m.maxDataStorageGB(), m.maxECPUPerSecond());
      if (limits != null) r.cacheUsageLimits(limits);
      if (m.securityGroupIds() != null) r.securityGroupIds(m.securityGroupIds());
      if (m.snapshotRetentionLimit() != null) r.snapshotRetentionLimit(m.snapshotRetentionLimit());
      if (m.dailySnapshotTime() != null) r.dailySnapshotTime(m.dailySnapshotTime());
      if (m.userGroupId() != null) r.userGroupId(m.userGroupId());
      if (m.removeUserGroup() != null) r.removeUserGroup(m.removeUserGroup());
    }));
  }

  @Override
  public void deleteServerlessCache(String name, String finalSnapshotName) {
    calls.run(SVC, "DeleteServerlessCache", () -> ec.deleteServerlessCache(r -> {
      r.serverlessCacheName(name);
      if (finalSnapshotName != null) r.finalSnapshotName(finalSnapshotName);
    }));
  }

  private static CacheUsageLimits limits(Integer maxDataStorageGB, Integer maxECPUPerSecond) {
    if (maxDataStorageGB == null && maxECPUPerSecond == null) return null;
    CacheUsageLimits.Builder b = CacheUsageLimits.builder();
    // DataStorage's Unit is required; GB is its one valid value
    if (maxDataStorageGB != null) b.dataStorage(d -> d.maximum(maxDataStorageGB).unit(DataStorageUnit.GB));
    if (maxECPUPerSecond != null) b.ecpuPerSecond(e -> e.maximum(maxECPUPerSecond));
    return b.build();
  }

  static ServerlessCacheInfo toInfo(ServerlessCache c) {
    CacheUsageLimits l = c.cacheUsageLimits();
    Integer storage = l == null || l.dataStorage() == null ? null : l.dataStorage().maximum();
    Integer ecpu = l == null || l.ecpuPerSecond() == null ? null : l.ecpuPerSecond().maximum();
    return new ServerlessCacheInfo(c.serverlessCacheName(), c.arn(), c.status(), c.engine(), c.majorEngineVersion(),
        c.fullEngineVersion(), storage, ecpu, c.securityGroupIds(), c.subnetIds(), c.kmsKeyId(),
        c.snapshotRetentionLimit() == null ? 0 : c.snapshotRetentionLimit(), c.dailySnapshotTime(), c.description(),
        endpoint(c.endpoint()), endpoint(c.readerEndpoint()), c.userGroupId());
  }
}
