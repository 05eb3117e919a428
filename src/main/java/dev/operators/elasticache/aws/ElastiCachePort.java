package dev.operators.elasticache.aws;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the operator asks of ElastiCache. The only ElastiCache code outside the SDK adapter. */
public interface ElastiCachePort {
  Optional<SubnetGroupInfo> findSubnetGroup(String name);

  void createSubnetGroup(String name, String description, List<String> subnetIds, Map<String, String> tags);

  void deleteSubnetGroup(String name);

  void modifySubnetGroup(String name, List<String> subnetIds);

  Optional<ParameterGroupInfo> findParameterGroup(String name);

  void createParameterGroup(String name, String family, String description, Map<String, String> tags);

  /** Parameters changed from the family default (Source=user). */
  Map<String, String> userParameters(String name);

  void modifyParameterGroup(String name, Map<String, String> parameters);

  void resetParameters(String name, List<String> parameterNames);

  void deleteParameterGroup(String name);

  ReplicationGroupInfo createReplicationGroup(ReplicationGroupSpec spec);

  Optional<ObservedGroup> describeReplicationGroup(String id);

  /** Every replication group with its member clusters: two paginated calls, whatever the number of caches. */
  default Map<String, ObservedGroup> describeAll() {
    return describeAll(g -> {});
  }

  /**
   * {@link #describeAll()}, handing each group to {@code complete} as soon as its last member
   * cluster is read: with 1,000 caches the members take ten pages, and a cache whose group just
   * became available hears of it at the page that completes it, not after the last.
   */
  Map<String, ObservedGroup> describeAll(java.util.function.Consumer<ObservedGroup> complete);

  /**
   * Every replication group without its member clusters ({@link ObservedGroup#membersKnown()} false):
   * one paginated call. The first full sweep after a restart, when the caches' status says what the
   * members were when last seen.
   */
  Map<String, ObservedGroup> describeGroups();

  void deleteReplicationGroup(String id, String finalSnapshotName);

  void modifyReplicationGroup(ModifyRequest request);

  /** AWS only applies replica count changes immediately. */
  void increaseReplicaCount(String id, int newReplicaCount);

  void decreaseReplicaCount(String id, int newReplicaCount);

  /** Shard count changes are immediate; shrinking keeps {@code retain}. */
  void modifyShardCount(String id, int nodeGroupCount, List<String> retain);

  Map<String, String> tagsOf(String arn);

  void addTags(String arn, Map<String, String> tags);

  void removeTags(String arn, List<String> keys);

  /**
   * The replication-group events since {@code since} (DescribeEvents with SourceType
   * replication-group and StartTime, all pages), newest first as AWS answers: of one group
   * (SourceIdentifier), or of every group when {@code replicationGroupId} is null.
   */
  List<CacheEvent> describeEvents(String replicationGroupId, Instant since);

  /**
   * The poller's look for changes: {@link #describeEvents} of every group since {@code since}, with
   * the sweep's priority on the operator's call budget.
   */
  List<CacheEvent> sweepEvents(Instant since);

  /** The poller's read of one group: {@link #describeReplicationGroup}, with the sweep's priority. */
  Optional<ObservedGroup> sweepGroup(String id);

  /**
   * Every Valkey and Redis OSS version ElastiCache offers, with its parameter group family
   * (DescribeCacheEngineVersions for each engine, all pages). Asked once a day, not per cache
   * (see {@code resources.EngineCatalogue}).
   */
  List<EngineVersionInfo> describeEngineVersions();

  /** A manual backup of the group (CreateSnapshot): the group is {@code snapshotting} until it is taken. */
  void createSnapshot(String replicationGroupId, String snapshotName);

  /** The snapshot of this name (DescribeSnapshots SnapshotName, ShowNodeGroupConfig), or empty when none exists. */
  Optional<SnapshotInfo> describeSnapshot(String snapshotName);

  /** UpdateActionStatus values of an action still to be done (not complete, not not-applicable). */
  List<String> PENDING_UPDATE_ACTION_STATUSES =
      List.of("not-applied", "waiting-to-start", "in-progress", "stopping", "stopped", "scheduling", "scheduled");

  /**
   * The poller's look at service updates: the actions of every available service update
   * (ServiceUpdateStatus available) still to be done on any replication group
   * ({@link #PENDING_UPDATE_ACTION_STATUSES}): DescribeUpdateActions, all pages, with the sweep's priority.
   */
  List<UpdateAction> sweepUpdateActions();

  /**
   * The actions of one service update on these groups (at most 20), whatever their status (so a
   * complete one shows): DescribeUpdateActions, with the sweep's priority.
   */
  List<UpdateAction> sweepUpdateActions(String serviceUpdateName, List<String> replicationGroupIds);

  /**
   * BatchApplyUpdateAction of one service update to these groups (at most 20), with the sweep's
   * priority: the groups AWS processed, with the action's new status (those it did not process are
   * left out; AWS names them in UnprocessedUpdateActions).
   */
  Map<String, String> applyServiceUpdate(String serviceUpdateName, List<String> replicationGroupIds);

  // ElastiCache Serverless (a RedisCache with spec.serverless)

  /** CreateServerlessCache: the cache is {@code creating}, without endpoints yet. */
  ServerlessCacheInfo createServerlessCache(ServerlessCacheSpec spec);

  /** The serverless cache of this name (DescribeServerlessCaches ServerlessCacheName), or empty when none exists. */
  Optional<ServerlessCacheInfo> describeServerlessCache(String name);

  /** The poller's look at every serverless cache: DescribeServerlessCaches, all pages, with the sweep's priority. */
  Map<String, ServerlessCacheInfo> sweepServerlessCaches();

  /** ModifyServerlessCache with the change's non-null fields. */
  void modifyServerlessCache(ServerlessCacheChange change);

  /** DeleteServerlessCache, with a final snapshot of this name unless it is null. */
  void deleteServerlessCache(String name, String finalSnapshotName);

  /** The serverless cache snapshot of this name (DescribeServerlessCacheSnapshots), or empty when none exists. */
  Optional<ServerlessSnapshotInfo> describeServerlessSnapshot(String snapshotName);

  // ---- RBAC users and user groups (Valkey 7.2+, Redis OSS 6+)

  /** The user with this id (DescribeUsers UserId), or empty when none exists. */
  Optional<UserInfo> describeUser(String userId);

  /** CreateUser: the user is {@code active} at once. */
  UserInfo createUser(UserSpec spec);

  /**
   * ModifyUser: a new access string (null: unchanged) and/or new passwords (null: unchanged; one or
   * two, AWS's two-password window). The user is {@code modifying} for a while.
   */
  default void modifyUser(String userId, String accessString, List<String> passwords) {
    modifyUser(userId, accessString, passwords == null ? null : "password", passwords);
  }

  /**
   * ModifyUser with AuthenticationMode: {@code authenticationType} (null: unchanged) {@code password}
   * with one or two {@code passwords}, or {@code iam} with none (AWS: only for a user whose name is
   * its id). The switch between password and iam keeps the user, its id, name and groups.
   */
  void modifyUser(String userId, String accessString, String authenticationType, List<String> passwords);

  /** DeleteUser: the user is {@code deleting}, then gone. */
  void deleteUser(String userId);

  /** The user group with this id (DescribeUserGroups UserGroupId), or empty when none exists. */
  Optional<UserGroupInfo> describeUserGroup(String userGroupId);

  /** CreateUserGroup: {@code creating}, then {@code active}; it must hold a user named default. */
  void createUserGroup(String userGroupId, String engine, List<String> userIds, Map<String, String> tags);

  /** ModifyUserGroup: {@code modifying} until the members are added and removed. */
  void modifyUserGroup(String userGroupId, List<String> userIdsToAdd, List<String> userIdsToRemove);

  /** DeleteUserGroup: only once no cache uses it; {@code deleting}, then gone. */
  void deleteUserGroup(String userGroupId);
}
