package dev.operators.elasticache.fake;

import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.AwsException.Kind;
import dev.operators.elasticache.aws.CacheClusterInfo;
import dev.operators.elasticache.aws.CacheClusterInfoBuilder;
import dev.operators.elasticache.aws.CacheEvent;
import dev.operators.elasticache.aws.Ec2Port;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.aws.ServerlessCacheChange;
import dev.operators.elasticache.aws.ServerlessCacheInfo;
import dev.operators.elasticache.aws.ServerlessCacheSpec;
import dev.operators.elasticache.aws.Endpoint;
import dev.operators.elasticache.aws.EngineVersionInfo;
import dev.operators.elasticache.aws.IngressRule;
import dev.operators.elasticache.aws.ObservedGroup;
import dev.operators.elasticache.aws.ParameterGroupInfo;
import dev.operators.elasticache.aws.ReplicationGroupInfo;
import dev.operators.elasticache.aws.ReplicationGroupInfoBuilder;
import dev.operators.elasticache.aws.ReplicationGroupSpec;
import dev.operators.elasticache.aws.SnapshotInfo;
import dev.operators.elasticache.aws.ReplicationGroupSpecBuilder;
import dev.operators.elasticache.aws.SecretsPort;
import dev.operators.elasticache.aws.SecurityGroupInfo;
import dev.operators.elasticache.aws.SubnetGroupInfo;
import dev.operators.elasticache.aws.SubnetInfo;
import dev.operators.elasticache.aws.ServerlessSnapshotInfo;
import dev.operators.elasticache.decide.AuthTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A stateful fake of the three AWS ports. It keeps resources, moves replication groups through
 * AWS's states over (fake) time, checks AWS's documented rules, answers "in use" while dependents
 * exist, and throttles or fails on demand. Every call is logged.
 */
public final class FakeAws implements Ec2Port, ElastiCachePort, SecretsPort, dev.operators.elasticache.aws.MonitoringPort,
    dev.operators.elasticache.aws.KmsPort {
  public static final String VPC = "vpc-0123456789abcdef0";
  /** Two subnets with an IPv4 and an IPv6 CIDR block (dual-stack) and one IPv6-only subnet, all in {@link #VPC}. */
  public static final String DUAL_STACK_SUBNET_A = "subnet-0d0d0d0d0d0d0d0da";
  public static final String DUAL_STACK_SUBNET_B = "subnet-0d0d0d0d0d0d0d0db";
  public static final String IPV6_ONLY_SUBNET = "subnet-06060606060606060";
  public static final Map<String, String> SUBNETS = Map.of(
      "subnet-0a1b2c3d4e5f60718", VPC, "subnet-0f1e2d3c4b5a69788", VPC, "subnet-0999999999999999a", "vpc-0fffffffffffffff0",
      DUAL_STACK_SUBNET_A, VPC, DUAL_STACK_SUBNET_B, VPC, IPV6_ONLY_SUBNET, VPC);
  /**
   * The network types a subnet supports, as ElastiCache derives them for SupportedNetworkTypes
   * (and as moto does): ipv4 with an IPv4 CIDR, dual_stack with an IPv4 and an IPv6 CIDR, ipv6 for
   * an IPv6-only subnet. A subnet group supports what any of its subnets supports.
   */
  static List<String> networkTypesOf(String subnetId) {
    if (subnetId.equals(IPV6_ONLY_SUBNET)) return List.of("ipv6");
    if (subnetId.equals(DUAL_STACK_SUBNET_A) || subnetId.equals(DUAL_STACK_SUBNET_B)) return List.of("ipv4", "dual_stack");
    return List.of("ipv4");
  }

  static List<String> networkTypesOf(List<String> subnetIds) {
    return subnetIds.stream().flatMap(id -> networkTypesOf(id).stream()).distinct().sorted().toList();
  }

  /** KMS keys by id (DescribeKey answers for the id or the ARN). */
  public final Map<String, KeyInfo> kmsKeys = new LinkedHashMap<>();

  /** A key as CreateKey makes it: Enabled, symmetric, for encryption. Returns its id. */
  public String createKmsKey() {
    String id = java.util.UUID.nameUUIDFromBytes(("key" + ids.incrementAndGet()).getBytes()).toString();
    kmsKeys.put(id, new KeyInfo("arn:aws:kms:" + region + ":" + accountId + ":key/" + id, "Enabled", "ENCRYPT_DECRYPT", "SYMMETRIC_DEFAULT"));
    return id;
  }

  public void disableKmsKey(String id) {
    KeyInfo k = kmsKeys.get(id);
    kmsKeys.put(id, new KeyInfo(k.arn(), "Disabled", k.keyUsage(), k.keySpec()));
  }

  @Override
  public Optional<KeyInfo> describeKey(String keyId) {
    call("kms:DescribeKey");
    return kmsKeys.entrySet().stream().filter(e -> e.getKey().equals(keyId) || e.getValue().arn().equals(keyId))
        .map(Map.Entry::getValue).findFirst();
  }

  /** A controllable clock shared with the operator under test. */
  public static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    public void advance(Duration d) { now = now.plus(d); }
    @Override public Instant instant() { return now; }
    @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
  }

  public final MutableClock clock;
  /** The account and region this fake is (the operator's own by default): in the ARNs it makes. */
  public final String accountId;
  public final String region;

  public FakeAws() {
    this("123456789012", "us-east-1", new MutableClock());
  }

  /**
   * Another AWS account and region (a cache's spec.account names it; the operator reaches it through
   * the role it assumes there): resources, calls and ARNs of its own, on the operator's clock.
   */
  public FakeAws(String accountId, String region, MutableClock clock) {
    this.accountId = accountId;
    this.region = region;
    this.clock = clock;
    this.rbac = new FakeRbac(clock, this::call, this::groupsUsing,
        id -> serverless.values().stream().filter(c -> id.equals(c.userGroupId)).map(c -> c.name).sorted().toList());
  }
  public Duration creatingTime = Duration.ofMinutes(10);
  public Duration deletingTime = Duration.ofMinutes(5);
  public Duration modifyingTime = Duration.ofMinutes(3);
  /** B1: how long a backup (CreateSnapshot or the backup window) keeps a group {@code snapshotting}. */
  public Duration snapshottingTime = Duration.ofMinutes(2);
  /**
   * B7: how long after a group is gone its requester-managed ENIs still hold the security groups it
   * used (DeleteSecurityGroup answers DependencyViolation meanwhile). Default 0, as the emulator's.
   */
  public Duration eniReleaseTime = Duration.ZERO;
  /**
   * B6: how long Secrets Manager's background deletion of a secret deleted with
   * ForceDeleteWithoutRecovery takes ("there might be a short delay before the secret is
   * permanently deleted", DeleteSecret). The name stays taken until then.
   */
  public Duration secretDeletionTime = Duration.ofSeconds(30);
  /**
   * TestFailover (emulator E24): how long until the replica is promoted, and again until the old
   * primary has recovered ("Finished recovery for cache nodes"); the group stays available.
   */
  public Duration failoverTime = Duration.ofMinutes(1);
  /** TestFailover: "up to 15 shards … in any rolling 24-hour period" (API reference, TestFailover). */
  public int maxTestFailoversPerDay = 15;
  private final List<Instant> testFailovers = new ArrayList<>();
  /** B8: the account's node quota (AWS's default "Nodes per Region": 300). */
  public int maxNodes = 300;
  /**
   * B8: replication groups the account may have. AWS documents no separate default for it; the node
   * quota binds first with the default.
   */
  public int maxGroups = 300;
  /** B8: node types AWS has no capacity for (InsufficientCacheClusterCapacity). */
  public final Set<String> insufficientCapacityNodeTypes = new HashSet<>();
  /** B3: every event recorded, oldest first (DescribeEvents answers newest first). */
  public final List<CacheEvent> events = new ArrayList<>();
  /** B7: security group id -> when the ENIs of a deleted group stop holding it. */
  public final Map<String, Instant> eniHeldUntil = new LinkedHashMap<>();
  /** B6: secrets marked for deletion and not yet purged, by name. */
  public final Map<String, DeletedSecret> deletedSecrets = new LinkedHashMap<>();
  /** B2: reasons for the next creates to fail (accepted, then create-failed). */
  private final java.util.ArrayDeque<String> createFailures = new java.util.ArrayDeque<>();

  /**
   * A secret marked for deletion, when it is gone for good, and whether it was deleted with
   * ForceDeleteWithoutRecovery (then RestoreSecret cannot bring it back).
   */
  public record DeletedSecret(StoredSecret secret, String pending, Instant purgeAt, boolean forced) {}

  /**
   * Valkey and Redis OSS versions ElastiCache offers in 2026 and their parameter group families, as
   * DescribeCacheEngineVersions lists them (user guide, "Supported engines and versions" and "Engine
   * specific parameters": family valkey9 for "Valkey 9.1 and Valkey 9.0"); the emulator's
   * engine_data.py lists the same (EXTENSIONS.md E22).
   */
  public static final List<EngineVersionInfo> ENGINE_VERSIONS = List.of(
      new EngineVersionInfo("valkey", "7.2", "valkey7"), new EngineVersionInfo("valkey", "8.0", "valkey8"),
      new EngineVersionInfo("valkey", "8.1", "valkey8"), new EngineVersionInfo("valkey", "8.2", "valkey8"),
      new EngineVersionInfo("valkey", "9.0", "valkey9"), new EngineVersionInfo("valkey", "9.1", "valkey9"),
      new EngineVersionInfo("redis", "4.0.10", "redis4.0"), new EngineVersionInfo("redis", "5.0.6", "redis5.0"),
      new EngineVersionInfo("redis", "6.0", "redis6.x"), new EngineVersionInfo("redis", "6.2", "redis6.x"),
      new EngineVersionInfo("redis", "7.0", "redis7"), new EngineVersionInfo("redis", "7.1", "redis7"));

  /** The next modification is accepted, then rolled back when it ends. */
  public boolean rollBackNextModification;

  public final List<String> calls = new ArrayList<>();
  public final Map<String, SecurityGroupInfo> securityGroups = new LinkedHashMap<>();
  public final Map<String, SubnetGroupInfo> subnetGroups = new LinkedHashMap<>();
  public final Map<String, String> subnetGroupTags = new LinkedHashMap<>();
  public final Map<String, ParameterGroupInfo> parameterGroups = new LinkedHashMap<>();
  public final Map<String, Map<String, String>> parameters = new LinkedHashMap<>();
  public final Map<String, Group> groups = new LinkedHashMap<>();
  public final Map<String, StoredSecret> secrets = new LinkedHashMap<>();
  public final List<String> snapshots = new ArrayList<>();
  /** E27: what each snapshot was taken from (DescribeSnapshots), by name. */
  public final Map<String, SnapshotInfo> snapshotInfo = new LinkedHashMap<>();
  /** E27: objects ElastiCache can read in S3, as "bucket/key". */
  public final java.util.Set<String> s3Objects = new java.util.HashSet<>();
  /** E27: what each group was seeded from: "snapshot NAME" or the S3 ARNs, by group id. */
  public final Map<String, String> restoredFrom = new LinkedHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();

  private int throttleNext;
  private int failNext;
  private String failOperation;
  /** Runs just before a CreateReplicationGroup is accepted (to look at the world at that moment). */
  public Consumer<ReplicationGroupSpec> beforeCreate = s -> {};

  /** A replication group and when it changes state. */
  public static final class Group {
    public ReplicationGroupSpec spec;
    public String status;
    public Instant until;
    public Map<String, String> tags;
    public String arn;
    public ReplicationGroupSpec rollBackTo;
    /** Tokens the group accepts now (two during a ROTATE). */
    public List<String> tokens = new ArrayList<>();
    public Map<String, dev.operators.elasticache.aws.LogDelivery> logs = new java.util.TreeMap<>();
    public Instant tokenModified;
    /** B4: changes deferred to the maintenance window (CacheNodeType, EngineVersion, Engine). */
    public final Map<String, String> pending = new LinkedHashMap<>();
    /** B5: ROTATING or SETTING while an AUTH change is being applied. */
    public String authTokenStatus;
    /** B5: the tokens accepted once the AUTH change takes effect. */
    public List<String> tokensAfter;
    /** B5: the strategy of the last AUTH change that took effect (SET is allowed only after ROTATE). */
    public String lastAppliedStrategy;
    private String pendingStrategy;
    /** E71: the token brought in by RemoveUserGroups + ROTATE lets unauthenticated clients in too, until SET ("Migrating from RBAC to AUTH"). */
    public boolean tokenOptional;
    private boolean tokenOptionalAfter;
    /** E37: preferred or required while TLS is on, null while off. */
    public String transitMode;
    /** E37: TLS on/off and its mode once the current modification ends (null: no TLS change under way). */
    private Boolean transitAfter;
    private String transitModeAfter;
    /** B2: why the create fails. */
    public String failReason;
    /** B1: the snapshot being taken. */
    public String snapshotName;
    /** B3: the event recorded when the current modification ends. */
    private String endMessage;
    /** TestFailover: node group id to its primary member where a failover changed it (else member 001). */
    public final Map<String, String> primaries = new LinkedHashMap<>();
    /** TestFailover in progress, or null. */
    private Failover failover;
    /** E28: the service update being applied (the group is modifying meanwhile), or null. */
    private String applyingUpdate;
    /** E44: the user group(s) of the group (at most one), and those it has once the modification ends. */
    public List<String> userGroupIds = new ArrayList<>();
    private List<String> userGroupsAfter;
    /** E46: durability turned encryption at rest on (it stays on). */
    private boolean durabilityEncrypted;
    /** E53: ClusterMode as reported (disabled, compatible, enabled; null: as created), and once the modification ends. */
    private String clusterMode;
    private String clusterModeAfter;

    /** E53: the cluster mode the group runs in now. */
    public String clusterMode() {
      return clusterMode != null ? clusterMode : spec.clusterMode() ? "enabled" : "disabled";
    }
  }

  /** RBAC users and user groups (emulator E39..E44). */
  public final FakeRbac rbac;

  private List<String> groupsUsing(String userGroupId) {
    return groups.entrySet().stream()
        .filter(e -> e.getValue().userGroupIds.contains(userGroupId)
            || (e.getValue().userGroupsAfter != null && e.getValue().userGroupsAfter.contains(userGroupId)))
        .map(Map.Entry::getKey).sorted().toList();
  }

  @Override
  public Optional<dev.operators.elasticache.aws.UserInfo> describeUser(String userId) { return rbac.describeUser(userId); }

  @Override
  public dev.operators.elasticache.aws.UserInfo createUser(dev.operators.elasticache.aws.UserSpec spec) { return rbac.createUser(spec); }

  @Override
  public void modifyUser(String userId, String accessString, String type, List<String> passwords) { rbac.modifyUser(userId, accessString, type, passwords); }

  @Override
  public void deleteUser(String userId) { rbac.deleteUser(userId); }

  @Override
  public Optional<dev.operators.elasticache.aws.UserGroupInfo> describeUserGroup(String id) { return rbac.describeUserGroup(id); }

  @Override
  public void createUserGroup(String id, String engine, List<String> userIds, Map<String, String> tags) {
    rbac.createUserGroup(id, engine, userIds, tags);
  }

  @Override
  public void modifyUserGroup(String id, List<String> add, List<String> remove) { rbac.modifyUserGroup(id, add, remove); }

  @Override
  public void deleteUserGroup(String id) { rbac.deleteUserGroup(id); }

  /** E66: the users a serverless cache's data plane accepts now (enabled users of its user group; none without one). */
  public Map<String, List<String>> acceptedServerlessUsers(String name) {
    tick();
    Serverless c = serverless.get(name);
    return c == null || c.userGroupId == null ? Map.of() : rbac.acceptedUsers(List.of(c.userGroupId));
  }

  /** The users a group's data plane accepts now: user name to passwords (enabled users of its user group). */
  public Map<String, List<String>> acceptedUsers(String replicationGroupId) {
    tick();
    return rbac.acceptedUsers(groups.get(replicationGroupId).userGroupIds);
  }

  // ---- service updates (emulator E28; API reference: DescribeUpdateActions, BatchApplyUpdateAction,
  // BatchStopUpdateAction, data types ServiceUpdate and UpdateAction)

  /** A service update AWS published for one engine (ServiceUpdate: name, severity, type, dates). */
  public record ServiceUpdate(String name, String engine, String severity, String type, Instant releaseDate, Instant recommendedApplyBy) {}

  public final Map<String, ServiceUpdate> serviceUpdates = new LinkedHashMap<>();
  /** Update actions that left not-applied: group id -> update name -> UpdateActionStatus. */
  private final Map<String, Map<String, String>> updateActions = new LinkedHashMap<>();

  /** Control call: AWS publishes a service update (status available) for every group of {@code engine}. */
  public void publishServiceUpdate(String name, String engine, String severity, Instant recommendedApplyBy) {
    serviceUpdates.put(name, new ServiceUpdate(name, engine, severity, "security-update", clock.instant(), recommendedApplyBy));
  }

  /** The group's action of the update, or null when the update does not concern it (another engine, a group not yet created). */
  private String actionStatus(String id, Group g, ServiceUpdate u) {
    if (!u.engine().equals(g.spec.engine()) || Set.of("creating", "create-failed", "deleting").contains(g.status)) return null;
    return updateActions.getOrDefault(id, Map.of()).getOrDefault(u.name(), "not-applied");
  }

  private dev.operators.elasticache.aws.UpdateAction action(String id, ServiceUpdate u, String status) {
    return new dev.operators.elasticache.aws.UpdateAction(id, u.name(), u.severity(), u.type(), u.releaseDate(), u.recommendedApplyBy(), status);
  }

  @Override
  public List<dev.operators.elasticache.aws.UpdateAction> sweepUpdateActions() {
    tick();
    List<dev.operators.elasticache.aws.UpdateAction> out = new ArrayList<>();
    for (ServiceUpdate u : serviceUpdates.values()) {
      groups.forEach((id, g) -> {
        String status = actionStatus(id, g, u);
        if (status != null && PENDING_UPDATE_ACTION_STATUSES.contains(status)) out.add(action(id, u, status));
      });
    }
    for (int page = 0; page < Math.max(1, (out.size() + 99) / 100); page++) call("elasticache:DescribeUpdateActions"); // a page per 100
    return out;
  }

  @Override
  public List<dev.operators.elasticache.aws.UpdateAction> sweepUpdateActions(String serviceUpdateName, List<String> replicationGroupIds) {
    String op = "elasticache:DescribeUpdateActions";
    call(op);
    tick();
    if (replicationGroupIds.size() > 20) throw err(op, "InvalidParameterValue", "At most 20 replication group ids");
    ServiceUpdate u = serviceUpdates.get(serviceUpdateName);
    List<dev.operators.elasticache.aws.UpdateAction> out = new ArrayList<>();
    if (u == null) return out;
    for (String id : replicationGroupIds) {
      Group g = groups.get(id);
      String status = g == null ? null : actionStatus(id, g, u);
      if (status != null) out.add(action(id, u, status));
    }
    return out;
  }

  @Override
  public Map<String, String> applyServiceUpdate(String serviceUpdateName, List<String> replicationGroupIds) {
    String op = "elasticache:BatchApplyUpdateAction";
    call(op);
    tick();
    if (replicationGroupIds.size() > 20) throw err(op, "InvalidParameterValue", "At most 20 replication group ids");
    ServiceUpdate u = serviceUpdates.get(serviceUpdateName);
    if (u == null) throw err(op, "ServiceUpdateNotFoundFault", "The service update doesn't exist");
    Map<String, String> processed = new LinkedHashMap<>();
    for (String id : replicationGroupIds) {
      Group g = groups.get(id);
      String status = g == null ? null : actionStatus(id, g, u);
      // Unprocessed: no such group, not concerned, already under way or done, or a group AWS is busy with.
      if (status == null || !Set.of("not-applied", "stopped").contains(status) || !"available".equals(g.status)) continue;
      updateActions.computeIfAbsent(id, k -> new LinkedHashMap<>()).put(u.name(), "in-progress");
      g.applyingUpdate = u.name();
      g.status = "modifying";
      g.until = clock.instant().plus(modifyingTime);
      g.endMessage = "Service update " + u.name() + " has been applied to replication group " + id + ".";
      event(id, "Service update " + u.name() + " is being applied to replication group " + id + ".", clock.instant());
      processed.put(id, "in-progress");
    }
    return processed;
  }

  /** Control call (BatchStopUpdateAction): the update stops on these groups; the group is available again after its modification. */
  public Map<String, String> stopServiceUpdate(String serviceUpdateName, List<String> replicationGroupIds) {
    tick();
    Map<String, String> processed = new LinkedHashMap<>();
    for (String id : replicationGroupIds) {
      Group g = groups.get(id);
      ServiceUpdate u = serviceUpdates.get(serviceUpdateName);
      if (g == null || u == null || !"in-progress".equals(actionStatus(id, g, u))) continue;
      updateActions.get(id).put(u.name(), "stopped");
      g.applyingUpdate = null;
      g.endMessage = null;
      processed.put(id, "stopped");
    }
    return processed;
  }

  /** A test failover of one node group: promoting {@code replica}, then recovering {@code primary}. */
  private static final class Failover {
    String nodeGroup;
    String primary;
    String replica;
    boolean recovering;
    public Instant until;
  }

  /** Secrets Manager AWSPENDING values. */
  public final Map<String, String> pendingSecrets = new LinkedHashMap<>();

  public void throttleNext(int n) { throttleNext = n; }

  public void failNext(String operation, int n) { failOperation = operation; failNext = n; }

  public long count(String operation) { return calls.stream().filter(operation::equals).count(); }

  private void call(String op) {
    calls.add(op);
    if (throttleNext > 0) {
      throttleNext--;
      throw new AwsException(Kind.THROTTLED, op, "Throttling", "Rate exceeded");
    }
    if (failNext > 0 && op.equals(failOperation)) {
      failNext--;
      throw new AwsException(Kind.TRANSIENT, op, "InternalFailure", "An internal error occurred");
    }
  }

  /** An AWS error with the kind the SDK adapters would give it (HTTP 400 unless told). */
  private static AwsException err(String op, String code, String message) {
    return AwsException.of(op, code, 400, message); // classified as the SDK adapter classifies AWS's answer
  }

  private void event(String id, String message, Instant at) {
    events.add(new CacheEvent(id, "replication-group", message, at));
  }

  private void clusterEvent(String cacheClusterId, String message, Instant at) {
    events.add(new CacheEvent(cacheClusterId, "cache-cluster", message, at));
  }

  /** Moves a test failover on: the replica promoted after failoverTime, the old primary recovered after another. */
  private void advanceFailover(String id, Group g, Instant now) {
    Failover f = g.failover;
    if (f == null || now.isBefore(f.until)) return;
    if (!f.recovering) {
      Instant at = f.until;
      if (!nodeGroupMembers(g.spec, f.nodeGroup).contains(f.replica)) {
        g.failover = null; // the node group or the replica went away meanwhile
        return;
      }
      g.primaries.put(f.nodeGroup, f.replica);
      String message = "Failover from primary node " + f.primary + " to replica node " + f.replica + " completed";
      clusterEvent(f.primary, message, at);
      event(id, message, at);
      clusterEvent(f.primary, "Recovering cache nodes 0001", at);
      f.recovering = true;
      f.until = at.plus(failoverTime);
      if (now.isBefore(f.until)) return;
    }
    clusterEvent(f.primary, "Finished recovery for cache nodes 0001", f.until);
    g.failover = null;
  }

  private static List<String> nodeGroupMembers(ReplicationGroupSpec s, String nodeGroupId) {
    int shard = Integer.parseInt(nodeGroupId);
    List<String> out = new ArrayList<>();
    if (shard < 1 || shard > s.numNodeGroups()) return out;
    for (int node = 1; node <= 1 + s.replicasPerNodeGroup(); node++) {
      out.add(s.clusterMode() || shard > 1 ? String.format("%s-%04d-%03d", s.replicationGroupId(), shard, node)
          : String.format("%s-%03d", s.replicationGroupId(), node));
    }
    return out;
  }

  /** The primary member of a node group (member 001 unless a test failover promoted another). */
  public String primaryOf(String id, String nodeGroupId) {
    Group g = groups.get(id);
    return g.primaries.getOrDefault(nodeGroupId, nodeGroupMembers(g.spec, nodeGroupId).get(0));
  }

  /**
   * TestFailover, as the emulator's E24 (not a port call: the operator never fails a group over).
   * Refused as the API reference lists it; the group stays available; events and the promotion of
   * the node group's first replica follow over {@link #failoverTime}.
   */
  public void testFailover(String replicationGroupId, String nodeGroupId) {
    String op = "elasticache:TestFailover";
    call(op);
    tick();
    if (nodeGroupId == null || !nodeGroupId.matches("\\d{1,4}")) throw err(op, "InvalidParameterValue", "Invalid NodeGroupId: " + nodeGroupId);
    Group g = groups.get(replicationGroupId);
    if (g == null) throw err(op, "ReplicationGroupNotFoundFault", "ReplicationGroup " + replicationGroupId + " not found.");
    if (!"available".equals(g.status)) throw err(op, "InvalidReplicationGroupState", "Replication group " + replicationGroupId + " is not in available state");
    List<String> members = nodeGroupMembers(g.spec, nodeGroupId);
    if (members.isEmpty()) throw err(op, "NodeGroupNotFoundFault", "Node group " + nodeGroupId + " not found in replication group " + replicationGroupId + ".");
    if (!g.spec.automaticFailover()) throw err(op, "InvalidParameterCombination", "Automatic failover is disabled for replication group " + replicationGroupId + "; TestFailover needs AutomaticFailoverEnabled.");
    if (members.size() < 2) throw err(op, "InvalidParameterCombination", "Node group " + nodeGroupId + " of replication group " + replicationGroupId + " has no replica to fail over to.");
    if (g.failover != null) throw err(op, "TestFailoverNotAvailableFault", "A test failover of node group " + g.failover.nodeGroup + " of replication group " + replicationGroupId + " is in progress.");
    Instant now = clock.instant();
    testFailovers.removeIf(t -> !t.isAfter(now.minus(Duration.ofHours(24))));
    if (testFailovers.size() + 1 > maxTestFailoversPerDay) {
      throw err(op, "APICallRateForCustomerExceeded", "Test failover is allowed on at most " + maxTestFailoversPerDay + " node groups in any rolling 24-hour period.");
    }
    testFailovers.add(now);
    String primary = primaryOf(replicationGroupId, nodeGroupId);
    Failover f = new Failover();
    f.nodeGroup = nodeGroupId;
    f.primary = primary;
    f.replica = members.stream().filter(m -> !m.equals(primary)).findFirst().orElseThrow();
    f.until = now.plus(failoverTime);
    g.failover = f;
    event(replicationGroupId, "Test Failover API called for node group " + nodeGroupId, now);
  }

  /** Moves every group whose current state has ended to the next one, recording AWS's events. */
  private void tick() {
    Instant now = clock.instant();
    tickServerless(now);
    rbac.tick();
    deletedSecrets.entrySet().removeIf(e -> !now.isBefore(e.getValue().purgeAt()));
    var it = groups.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      String id = e.getKey();
      Group g = e.getValue();
      advanceFailover(id, g, now);
      if (g.until == null || now.isBefore(g.until)) continue;
      Instant at = g.until;
      switch (g.status) {
        case "deleting" -> {
          it.remove();
          event(id, "Replication group " + id + " has been deleted.", at);
          for (String sg : g.spec.securityGroupIds()) eniHeldUntil.merge(sg, at.plus(eniReleaseTime), (a, b) -> a.isAfter(b) ? a : b);
          // "If you delete a replication group, all of the automatic backups from the clusters in that
          // group are also deleted" (user guide, Deleting a backup); manual and final snapshots stay.
          snapshots.removeIf(name -> name.startsWith("automatic." + id + "-"));
          snapshotInfo.keySet().removeIf(name -> name.startsWith("automatic." + id + "-"));
        }
        case "creating" -> {
          g.until = null;
          if (g.failReason != null) {
            g.status = "create-failed";
            event(id, "Failed to create replication group " + id + ": " + g.failReason, at);
          } else {
            g.status = "available";
            event(id, "Replication group " + id + " created.", at);
          }
        }
        case "modifying" -> {
          g.until = null;
          g.status = "available";
          if (g.applyingUpdate != null) {
            updateActions.get(id).put(g.applyingUpdate, "complete");
            g.applyingUpdate = null;
          }
          if (g.rollBackTo != null) {
            g.spec = g.rollBackTo;
            g.rollBackTo = null;
          }
          if (g.clusterModeAfter != null) {
            g.clusterMode = g.clusterModeAfter; // E53: in effect when the modification ends
            g.clusterModeAfter = null;
          }
          if (g.transitAfter != null) {
            g.spec = g.spec.withTransitEncryption(g.transitAfter);
            g.transitMode = g.transitAfter ? g.transitModeAfter : null;
            g.transitAfter = null;
            g.transitModeAfter = null;
          }
          if (g.userGroupsAfter != null) {
            g.userGroupIds = g.userGroupsAfter;
            g.userGroupsAfter = null;
          }
          if (g.tokensAfter != null) {
            if (g.tokensAfter.isEmpty()) g.spec = g.spec.withAuthToken(null); // DELETE: AuthTokenEnabled false
            g.tokens = g.tokensAfter;
            g.tokensAfter = null;
            g.authTokenStatus = null;
            g.lastAppliedStrategy = g.pendingStrategy;
            g.pendingStrategy = null;
            g.tokenOptional = g.tokenOptionalAfter;
            g.tokenOptionalAfter = false;
            g.tokenModified = at;
          }
          event(id, g.endMessage == null ? "Modification of replication group " + id + " is complete." : g.endMessage, at);
          g.endMessage = null;
        }
        case "snapshotting" -> {
          g.until = null;
          g.status = "available";
          event(id, "Snapshot succeeded for snapshot with ID '" + g.snapshotName + "' of replication group with ID '" + id + "'", at);
          g.snapshotName = null;
        }
        default -> g.until = null;
      }
    }
  }

  // ---- control calls (the contract's, /work/contract-spec.md)

  /** B2: the next CreateReplicationGroup is accepted, shows creating, then ends in create-failed with this reason. */
  public void failNextCreate(String message) {
    createFailures.add(message);
  }

  /** B1: the group's backup window comes now (automatic backup). */
  public void startBackup(String id) {
    tick();
    Group g = groups.get(id);
    if (g == null || !"available".equals(g.status)) throw new IllegalStateException("group " + id + " is not available");
    // SnapshotRetentionLimit: "If the value of SnapshotRetentionLimit is set to zero (0), backups are turned off."
    if (g.spec.snapshotRetentionLimit() == 0) throw new IllegalStateException("group " + id + " has SnapshotRetentionLimit 0: automatic backups are off");
    startSnapshot(id, g, "automatic." + id + "-" + clock.instant().toString().replace(":", "-"));
  }

  /** B4: the group's maintenance window comes now; returns the deferred fields applied. */
  public List<String> reachMaintenanceWindow(String id) {
    tick();
    Group g = groups.get(id);
    if (g == null || !"available".equals(g.status) || g.pending.isEmpty()) return List.of();
    List<String> applied = List.copyOf(g.pending.keySet());
    ReplicationGroupSpec next = withDeferred(g.spec, g.pending);
    g.pending.clear();
    startModifying(g, next);
    g.endMessage = "Applied pending modifications (" + String.join(", ", applied) + ") to replication group " + id
        + " in its maintenance window.";
    return applied;
  }

  private void startSnapshot(String id, Group g, String name) {
    snapshots.add(name);
    recordSnapshot(id, g, name);
    g.status = "snapshotting";
    g.snapshotName = name;
    g.until = clock.instant().plus(snapshottingTime);
    event(id, "Backup started for snapshot with ID '" + name + "' of replication group with ID '" + id + "'", clock.instant());
  }

  private static ReplicationGroupSpec withDeferred(ReplicationGroupSpec s, Map<String, String> d) {
    return ReplicationGroupSpecBuilder.builder(s)
        .engine(d.getOrDefault("Engine", s.engine()))
        .engineVersion(d.getOrDefault("EngineVersion", s.engineVersion()))
        .cacheNodeType(d.getOrDefault("CacheNodeType", s.cacheNodeType()))
        .build();
  }

  private int nodes() {
    return groups.values().stream().mapToInt(g -> g.spec.numNodeGroups() * (1 + g.spec.replicasPerNodeGroup())).sum();
  }

  /**
   * E25: the node types of the API reference's CacheNode data type ({@link NodeTypes}, the emulator's
   * file): a previous-generation type or an unknown name is refused with InvalidParameterValue.
   */
  private void checkNodeType(String op, String nodeType) {
    String refusal = NodeTypes.shared().refusal(nodeType);
    if (refusal != null) throw new AwsException(Kind.INVALID_INPUT, op, "InvalidParameterValue", refusal);
  }

  /**
   * CreateReplicationGroup's DataTieringEnabled ("only supported for replication groups using the
   * r6gd node type. This parameter must be set to true when using r6gd nodes"); NetworkType and
   * IpDiscovery (user guide "Choosing a network type": Valkey 7.2+ or Redis OSS 6.2+ on Nitro
   * node types; dual-stack subnets for dual_stack, IPv6-only subnets for ipv6).
   */
  private void checkNodeFeatures(String op, ReplicationGroupSpec s) {
    boolean r6gd = s.cacheNodeType() != null && s.cacheNodeType().startsWith("cache.r6gd.");
    if (s.dataTiering() && !r6gd) throw err(op, "InvalidParameterCombination", "Data tiering is only supported for r6gd node types.");
    if (!s.dataTiering() && r6gd) throw err(op, "InvalidParameterCombination", "DataTieringEnabled must be true for r6gd node types.");
    String type = s.networkType() == null ? "ipv4" : s.networkType();
    if (!List.of("ipv4", "ipv6", "dual_stack").contains(type)) throw err(op, "InvalidParameterValue", "Invalid NetworkType: " + type);
    String discovery = s.ipDiscovery() == null ? ("ipv6".equals(type) ? "ipv6" : "ipv4") : s.ipDiscovery();
    if (!List.of("ipv4", "ipv6").contains(discovery)) throw err(op, "InvalidParameterValue", "Invalid IpDiscovery: " + discovery);
    if (type.equals("ipv4") && discovery.equals("ipv6")) throw err(op, "InvalidParameterCombination", "IpDiscovery ipv6 requires NetworkType ipv6 or dual_stack.");
    if (type.equals("ipv6") && discovery.equals("ipv4")) throw err(op, "InvalidParameterCombination", "IpDiscovery ipv4 is not valid with NetworkType ipv6.");
    if (type.equals("ipv4")) return;
    String[] v = s.engineVersion().split("\\.");
    boolean engineOk = "valkey".equals(s.engine()) || Integer.parseInt(v[0]) > 6 || (Integer.parseInt(v[0]) == 6 && Integer.parseInt(v[1]) >= 2);
    if (!engineOk) throw err(op, "InvalidParameterCombination", "NetworkType " + type + " requires Valkey 7.2 or Redis OSS 6.2 or later.");
    String family = s.cacheNodeType().split("\\.")[1];
    if (Set.of("t1", "t2", "m1", "m2", "m3", "m4", "c1", "r3", "r4").contains(family)) {
      throw err(op, "InvalidParameterCombination", "NetworkType " + type + " requires a node type built on the Nitro system.");
    }
    SubnetGroupInfo sg = subnetGroups.get(s.cacheSubnetGroupName());
    if (!sg.supportedNetworkTypes().contains(type)) {
      throw err(op, "InvalidParameterCombination", "Cache subnet group " + sg.name() + " does not support NetworkType " + type
          + " (it supports " + sg.supportedNetworkTypes() + ").");
    }
  }

  /** E46: Durability takes sync, async, disabled or default (API reference, Durability data type). */
  private void checkDurabilityValue(String op, String value) {
    if (value != null && !Set.of("sync", "async", "disabled", "default").contains(value)) {
      throw err(op, "InvalidParameterValue", "Invalid Durability: " + value + ". Valid values: sync, async, disabled, default.");
    }
  }

  private static boolean durable(String value) {
    return "sync".equals(value) || "async".equals(value);
  }

  /** EffectiveDurability of a group whose requested Durability is {@code value}: default means disabled (user guide, Configuring durability). */
  private static String effectiveDurability(String value) {
    return durable(value) ? value : "disabled";
  }

  /**
   * E46: durability's preconditions, user guide "Durability in ElastiCache": Limitations (Valkey
   * 9.0 or later; R8g, R7g, R6g, M8g, M7g, M6g, C8gn, C7gn; not with data tiering; not cluster mode
   * disabled; Multi-AZ with at least one replica per shard; TLS) and "Changing durability on an
   * existing cluster" (the same for a running group).
   */
  private void checkDurability(String op, String engine, String version, String nodeType, boolean clusterMode, boolean multiAZ,
      int replicas, boolean transit, boolean dataTiering) {
    if (!"valkey".equals(engine) || Integer.parseInt(version.split("\\.")[0]) < 9) {
      throw err(op, "InvalidParameterCombination", "Durability requires Valkey 9.0 or later.");
    }
    if (!clusterMode) throw err(op, "InvalidParameterCombination", "Durability is not supported for cluster mode disabled replication groups.");
    if (!multiAZ || replicas < 1) throw err(op, "InvalidParameterCombination", "Durability requires Multi-AZ enabled with at least one replica per shard.");
    if (!transit) throw err(op, "InvalidParameterCombination", "Durability requires encryption in transit to be enabled.");
    if (dataTiering) throw err(op, "InvalidParameterCombination", "Durability is not supported with data tiering.");
    String family = nodeType.split("\\.")[1];
    if (!Set.of("r8g", "r7g", "r6g", "m8g", "m7g", "m6g", "c8gn", "c7gn").contains(family)) {
      throw err(op, "InvalidParameterCombination", "Durability is not supported for node type " + nodeType + ".");
    }
  }

  private void checkCapacity(String op, String nodeType, int newNodes) {
    if (newNodes > 0 && nodes() + newNodes > maxNodes) {
      throw err(op, "NodeQuotaForCustomerExceeded", "The request cannot be processed because it would exceed the allowed number of cache nodes per customer (" + maxNodes + ").");
    }
    if (insufficientCapacityNodeTypes.contains(nodeType)) {
      throw err(op, "InsufficientCacheClusterCapacity", "There is not enough capacity for cache node type " + nodeType + " in the requested Availability Zones.");
    }
  }

  private static void checkVersion(String op, String engine, String version) {
    if (version != null && ENGINE_VERSIONS.stream().noneMatch(v -> v.engine().equals(engine) && v.version().equals(version))) {
      throw err(op, "InvalidParameterCombination", "Cannot find version " + version + " for " + engine);
    }
  }

  private void checkSecurityGroupsInVpc(String op, String subnetGroup, List<String> ids) {
    SubnetGroupInfo sub = subnetGroups.get(subnetGroup);
    if (sub == null || ids == null) return;
    for (String id : ids) {
      SecurityGroupInfo sg = securityGroups.get(id);
      if (sg != null && !sg.vpcId().equals(sub.vpcId())) {
        // AWS's answer as users report it (aws-controllers-k8s/community#1594):
        // "InvalidParameterCombination: Subnet group [default] belongs to a different VPC [vpc-…] than [vpc-…]"
        throw err(op, "InvalidParameterCombination", "Subnet group [" + subnetGroup + "] belongs to a different VPC [" + sub.vpcId() + "] than [" + sg.vpcId() + "]");
      }
    }
  }

  // ---- EC2

  /** Subnets made in this fake (EC2 CreateSubnet with tags), beside the fixed {@link #SUBNETS}: id to subnet and tags. */
  public final Map<String, SubnetInfo> madeSubnets = new LinkedHashMap<>();
  public final Map<String, Map<String, String>> subnetTags = new LinkedHashMap<>();
  private int subnetSeq;

  /** EC2 CreateSubnet (with TagSpecifications): a subnet of the VPC in the zone, carrying the tags; its id. */
  public String createSubnet(String vpcId, String availabilityZone, Map<String, String> tags) {
    String id = String.format("subnet-0c%015x", ++subnetSeq);
    madeSubnets.put(id, new SubnetInfo(id, vpcId, availabilityZone));
    subnetTags.put(id, new LinkedHashMap<>(tags));
    return id;
  }

  private String vpcOfSubnet(String id) {
    SubnetInfo made = madeSubnets.get(id);
    return made != null ? made.vpcId() : SUBNETS.get(id);
  }

  /**
   * DescribeSubnets with the filters vpc-id and tag:KEY=VALUE: a subnet matches when it is in the VPC
   * and carries every tag with that value (EC2 ANDs filters; the subnets of {@link #SUBNETS} carry no tags).
   */
  @Override
  public List<SubnetInfo> subnetsTagged(String vpcId, Map<String, String> tags) {
    call("ec2:DescribeSubnets");
    return madeSubnets.values().stream()
        .filter(sub -> sub.vpcId().equals(vpcId) && subnetTags.get(sub.subnetId()).entrySet().containsAll(tags.entrySet()))
        .sorted(java.util.Comparator.comparing(SubnetInfo::subnetId)).toList();
  }

  @Override
  public String vpcOfSubnets(List<String> subnetIds) {
    call("ec2:DescribeSubnets");
    Set<String> vpcs = new HashSet<>();
    for (String s : subnetIds) {
      String vpc = vpcOfSubnet(s);
      if (vpc == null) throw new AwsException(Kind.NOT_FOUND, "ec2:DescribeSubnets", "InvalidSubnetID.NotFound", "The subnet ID '" + s + "' does not exist");
      vpcs.add(vpc);
    }
    if (vpcs.size() != 1) throw new AwsException(Kind.INVALID_INPUT, "ec2:DescribeSubnets", "SubnetsInSeveralVpcs", "subnets in " + vpcs);
    return vpcs.iterator().next();
  }

  @Override
  public Optional<SecurityGroupInfo> findSecurityGroup(String vpcId, String groupName) {
    call("ec2:DescribeSecurityGroups");
    return securityGroups.values().stream().filter(g -> g.vpcId().equals(vpcId) && g.groupName().equals(groupName)).findFirst();
  }

  @Override
  public String createSecurityGroup(String vpcId, String groupName, String description, Map<String, String> tags) {
    call("ec2:CreateSecurityGroup");
    if (securityGroups.values().stream().anyMatch(g -> g.vpcId().equals(vpcId) && g.groupName().equals(groupName))) {
      throw new AwsException(Kind.ALREADY_EXISTS, "ec2:CreateSecurityGroup", "InvalidGroup.Duplicate", "The security group '" + groupName + "' already exists");
    }
    String id = String.format("sg-%017x", ids.incrementAndGet());
    securityGroups.put(id, new SecurityGroupInfo(id, groupName, vpcId, Set.of(), 0, Map.copyOf(tags)));
    return id;
  }

  @Override
  public void authorizeIngress(String groupId, List<IngressRule> rules) {
    call("ec2:AuthorizeSecurityGroupIngress");
    SecurityGroupInfo g = sg(groupId);
    Set<IngressRule> now = new HashSet<>(g.ingress());
    now.addAll(rules);
    securityGroups.put(groupId, new SecurityGroupInfo(g.groupId(), g.groupName(), g.vpcId(), Set.copyOf(now), g.otherIngress(), g.tags()));
  }

  @Override
  public void revokeIngress(String groupId, List<IngressRule> rules) {
    call("ec2:RevokeSecurityGroupIngress");
    SecurityGroupInfo g = sg(groupId);
    Set<IngressRule> now = new HashSet<>(g.ingress());
    rules.forEach(now::remove);
    securityGroups.put(groupId, new SecurityGroupInfo(g.groupId(), g.groupName(), g.vpcId(), Set.copyOf(now), g.otherIngress(), g.tags()));
  }

  @Override
  public void deleteSecurityGroup(String groupId) {
    call("ec2:DeleteSecurityGroup");
    sg(groupId);
    tick();
    if (groups.values().stream().anyMatch(g -> g.spec.securityGroupIds().contains(groupId))
        || serverless.values().stream().anyMatch(c -> c.securityGroupIds.contains(groupId))) {
      throw new AwsException(Kind.BUSY, "ec2:DeleteSecurityGroup", "DependencyViolation", "resource " + groupId + " has a dependent object");
    }
    Instant held = eniHeldUntil.get(groupId);
    if (held != null && clock.instant().isBefore(held)) {
      throw new AwsException(Kind.BUSY, "ec2:DeleteSecurityGroup", "DependencyViolation", "resource " + groupId + " has a dependent object");
    }
    eniHeldUntil.remove(groupId);
    securityGroups.remove(groupId);
  }

  @Override
  public void tag(String resourceId, Map<String, String> add, List<String> remove) {
    call("ec2:CreateTags");
    SecurityGroupInfo g = sg(resourceId);
    Map<String, String> tags = new LinkedHashMap<>(g.tags());
    tags.putAll(add);
    remove.forEach(tags::remove);
    securityGroups.put(resourceId, new SecurityGroupInfo(g.groupId(), g.groupName(), g.vpcId(), g.ingress(), g.otherIngress(), Map.copyOf(tags)));
  }

  @Override
  public List<SecurityGroupInfo> listSecurityGroupsTagged(String tagKey, String tagValue) {
    call("ec2:DescribeSecurityGroups");
    return securityGroups.values().stream().filter(g -> tagValue.equals(g.tags().get(tagKey))).toList();
  }

  private SecurityGroupInfo sg(String id) {
    SecurityGroupInfo g = securityGroups.get(id);
    if (g == null) throw new AwsException(Kind.NOT_FOUND, "ec2", "InvalidGroup.NotFound", "The security group '" + id + "' does not exist");
    return g;
  }

  // ---- ElastiCache

  @Override
  public Optional<SubnetGroupInfo> findSubnetGroup(String name) {
    call("elasticache:DescribeCacheSubnetGroups");
    return Optional.ofNullable(subnetGroups.get(name));
  }

  @Override
  public void createSubnetGroup(String name, String description, List<String> subnetIds, Map<String, String> tags) {
    call("elasticache:CreateCacheSubnetGroup");
    if (subnetGroups.containsKey(name)) throw new AwsException(Kind.ALREADY_EXISTS, "elasticache:CreateCacheSubnetGroup", "CacheSubnetGroupAlreadyExists", "exists");
    subnetGroups.put(name, new SubnetGroupInfo(name, vpcOfSubnet(subnetIds.get(0)), List.copyOf(subnetIds),
        "arn:aws:elasticache:" + region + ":" + accountId + ":subnetgroup:" + name, networkTypesOf(subnetIds)));
    subnetGroupTags.put(name, tags.get("elasticache.operators.dev/uid"));
  }

  @Override
  public void modifySubnetGroup(String name, List<String> subnetIds) {
    call("elasticache:ModifyCacheSubnetGroup");
    SubnetGroupInfo g = subnetGroups.get(name);
    subnetGroups.put(name, new SubnetGroupInfo(name, g.vpcId(), List.copyOf(subnetIds), g.arn(), networkTypesOf(subnetIds)));
  }

  @Override
  public void deleteSubnetGroup(String name) {
    call("elasticache:DeleteCacheSubnetGroup");
    if (!subnetGroups.containsKey(name)) throw new AwsException(Kind.NOT_FOUND, "elasticache:DeleteCacheSubnetGroup", "CacheSubnetGroupNotFoundFault", "not found");
    tick();
    if (groups.values().stream().anyMatch(g -> name.equals(g.spec.cacheSubnetGroupName()))) {
      throw new AwsException(Kind.BUSY, "elasticache:DeleteCacheSubnetGroup", "CacheSubnetGroupInUse", "Cache subnet group " + name + " is currently in use");
    }
    subnetGroups.remove(name);
  }

  @Override
  public Optional<ParameterGroupInfo> findParameterGroup(String name) {
    call("elasticache:DescribeCacheParameterGroups");
    return Optional.ofNullable(parameterGroups.get(name));
  }

  @Override
  public void createParameterGroup(String name, String family, String description, Map<String, String> tags) {
    call("elasticache:CreateCacheParameterGroup");
    if (parameterGroups.containsKey(name)) throw new AwsException(Kind.ALREADY_EXISTS, "elasticache:CreateCacheParameterGroup", "CacheParameterGroupAlreadyExists", "exists");
    parameterGroups.put(name, new ParameterGroupInfo(name, family, "arn:pg:" + name));
    parameters.put(name, new LinkedHashMap<>());
  }

  @Override
  public Map<String, String> userParameters(String name) {
    call("elasticache:DescribeCacheParameters");
    return Map.copyOf(parameters.get(name));
  }

  @Override
  public void modifyParameterGroup(String name, Map<String, String> params) {
    call("elasticache:ModifyCacheParameterGroup");
    String op = "elasticache:ModifyCacheParameterGroup";
    if (params.size() > 20) throw err(op, "InvalidParameterCombination", "Cannot modify more than 20 parameters in a single request");
    // The one catalogue the emulator loads too (test/aws-emulator/emulator/parameters.json): names, values, modifiability.
    String family = parameterGroups.get(name).family();
    boolean inUse = groups.values().stream().anyMatch(g -> name.equals(g.spec.cacheParameterGroupName()));
    params.forEach((k, v) -> ParameterCatalogue.shared().refusal(family, k, v, inUse).ifPresent(message -> {
      throw err(op, ParameterCatalogue.ERROR_CODE, message);
    }));
    parameters.get(name).putAll(params);
  }

  @Override
  public void resetParameters(String name, List<String> names) {
    call("elasticache:ResetCacheParameterGroup");
    names.forEach(parameters.get(name)::remove);
  }

  @Override
  public void deleteParameterGroup(String name) {
    call("elasticache:DeleteCacheParameterGroup");
    if (!parameterGroups.containsKey(name)) throw new AwsException(Kind.NOT_FOUND, "elasticache:DeleteCacheParameterGroup", "CacheParameterGroupNotFound", "not found");
    tick();
    if (groups.values().stream().anyMatch(g -> name.equals(g.spec.cacheParameterGroupName()))) {
      throw new AwsException(Kind.BUSY, "elasticache:DeleteCacheParameterGroup", "InvalidCacheParameterGroupState", "in use");
    }
    parameterGroups.remove(name);
    parameters.remove(name);
  }

  @Override
  public ReplicationGroupInfo createReplicationGroup(ReplicationGroupSpec s) {
    call("elasticache:CreateReplicationGroup");
    tick();
    String op = "elasticache:CreateReplicationGroup";
    if (groups.containsKey(s.replicationGroupId())) throw new AwsException(Kind.ALREADY_EXISTS, op, "ReplicationGroupAlreadyExists", "Replication group " + s.replicationGroupId() + " already exists");
    if (s.authToken() != null && !s.transitEncryption()) throw new AwsException(Kind.INVALID_INPUT, op, "InvalidParameterCombination", "Encryption feature is not enabled");
    if (s.authToken() != null && !AuthTokens.isValid(s.authToken())) throw new AwsException(Kind.INVALID_INPUT, op, "InvalidParameterValue", "Invalid AuthToken provided.");
    if (s.multiAZ() && !s.automaticFailover()) throw new AwsException(Kind.INVALID_INPUT, op, "InvalidParameterCombination", "Multi-AZ needs automatic failover");
    if (s.automaticFailover() && s.replicasPerNodeGroup() < 1) throw new AwsException(Kind.INVALID_INPUT, op, "InvalidParameterCombination", "automatic failover needs a replica");
    if (!subnetGroups.containsKey(s.cacheSubnetGroupName())) throw new AwsException(Kind.NOT_FOUND, op, "CacheSubnetGroupNotFoundFault", "no subnet group");
    if (s.cacheParameterGroupName() != null && !parameterGroups.containsKey(s.cacheParameterGroupName())) throw new AwsException(Kind.NOT_FOUND, op, "CacheParameterGroupNotFound", "no parameter group");
    checkVersion(op, s.engine(), s.engineVersion());
    checkSecurityGroupsInVpc(op, s.cacheSubnetGroupName(), s.securityGroupIds());
    checkNodeFeatures(op, s);
    checkDurabilityValue(op, s.durability());
    if (durable(s.durability())) {
      checkDurability(op, s.engine(), s.engineVersion(), s.cacheNodeType(), s.clusterMode(), s.multiAZ(), s.replicasPerNodeGroup(), s.transitEncryption(), s.dataTiering());
    }
    if (groups.size() + 1 > maxGroups) {
      throw err(op, "ClusterQuotaForCustomerExceeded", "The request cannot be processed because it would exceed the allowed number of clusters per customer (" + maxGroups + ").");
    }
    checkNodeType(op, s.cacheNodeType());
    checkCapacity(op, s.cacheNodeType(), s.numNodeGroups() * (1 + s.replicasPerNodeGroup()));
    String seed = restoreSource(op, s);
    List<String> userGroups = createUserGroups(op, s);
    beforeCreate.accept(s);
    Group g = new Group();
    g.spec = s;
    g.status = "creating";
    g.until = clock.instant().plus(creatingTime);
    g.tags = Map.copyOf(s.tags());
    g.arn = "arn:aws:elasticache:" + region + ":" + accountId + ":replicationgroup:" + s.replicationGroupId();
    g.failReason = createFailures.poll();
    if (s.authToken() != null) {
      g.tokens.add(s.authToken());
      g.tokenModified = clock.instant();
    }
    g.transitMode = s.transitEncryption() ? "required" : null;
    g.durabilityEncrypted = durable(s.durability());
    g.userGroupIds = new ArrayList<>(userGroups);
    groups.put(s.replicationGroupId(), g);
    if (seed != null) restoredFrom.put(s.replicationGroupId(), seed);
    return info(g);
  }

  /**
   * E47, CreateReplicationGroup UserGroupIds (API reference; RBAC guide): not with an AuthToken
   * (the emulator's InvalidParameterCombination), and the rules of E44 for the group: it exists, is
   * active, fits the engine, needs in-transit encryption, at most one.
   */
  private List<String> createUserGroups(String op, ReplicationGroupSpec s) {
    List<String> ids = s.userGroupIds() == null ? List.of() : s.userGroupIds().stream().map(x -> x.toLowerCase(java.util.Locale.ROOT)).toList();
    if (ids.isEmpty()) return List.of();
    if (s.authToken() != null) throw err(op, "InvalidParameterCombination", "AuthToken and UserGroupIds cannot both be specified.");
    return rbac.userGroupsAfter(op, s.engine(), s.transitEncryption(), List.of(), ids, List.of());
  }

  private static final java.util.regex.Pattern S3_ARN = java.util.regex.Pattern.compile("^arn:aws[a-z-]*:s3:::([^/,]+)/([^,]+)$");

  /**
   * E27, CreateReplicationGroup SnapshotName / SnapshotArns (API reference; user guide "Restoring
   * from a backup into a new cache", "Seeding a new cluster with an externally created backup"): one
   * of the two; the snapshot must exist (SnapshotNotFoundFault) and be available
   * (InvalidSnapshotState); no Valkey data into Redis OSS, no older version; a cluster-mode snapshot
   * keeps its shard count (the operator sends no NodeGroupConfiguration); S3 files must be object
   * ARNs ElastiCache can read (InvalidParameterValue, the emulator's choice of code).
   */
  private String restoreSource(String op, ReplicationGroupSpec s) {
    boolean files = s.snapshotArns() != null && !s.snapshotArns().isEmpty();
    if (s.snapshotName() != null && files) throw err(op, "InvalidParameterCombination", "Only one of SnapshotName or SnapshotArns can be specified.");
    if (s.snapshotName() != null) {
      String name = s.snapshotName();
      SnapshotInfo snap = describeSnapshotQuietly(name);
      if (snap == null) throw AwsException.of(op, "SnapshotNotFoundFault", 404, "Snapshot " + name + " not found.");
      if (!snap.available()) throw err(op, "InvalidSnapshotState", "Snapshot " + name + " is not in available state (current status: " + snap.status() + ").");
      if (!snap.engine().equals(s.engine()) && !(snap.engine().equals("redis") && s.engine().equals("valkey"))) {
        throw err(op, "InvalidParameterCombination", "Snapshot " + name + " of engine " + snap.engine() + " cannot be restored into engine " + s.engine() + ".");
      }
      if (snap.engine().equals(s.engine()) && minor(s.engineVersion()) < minor(snap.engineVersion())) {
        throw err(op, "InvalidParameterCombination", "Snapshot " + name + " of " + snap.engine() + " " + snap.engineVersion() + " cannot be restored into the older version " + s.engineVersion() + ".");
      }
      if (snap.clusterMode() && snap.numNodeGroups() != s.numNodeGroups()) {
        throw err(op, "InvalidParameterCombination", "Snapshot " + name + " has " + snap.numNodeGroups() + " node groups; NumNodeGroups must be " + snap.numNodeGroups() + " unless NodeGroupConfiguration is given.");
      }
      return "snapshot " + name;
    }
    if (files) {
      for (String arn : s.snapshotArns()) {
        var m = S3_ARN.matcher(arn);
        if (!m.matches()) throw err(op, "InvalidParameterValue", "Invalid SnapshotArns value: " + arn + ". Expected arn:aws:s3:::bucket/key.");
        if (!s3Objects.contains(m.group(1) + "/" + m.group(2))) {
          throw err(op, "InvalidParameterValue", "No object " + m.group(2) + " in bucket " + m.group(1) + " that ElastiCache can read (" + arn + ").");
        }
      }
      return "s3 " + String.join(",", s.snapshotArns());
    }
    return null;
  }

  /** major * 1000 + minor of "8.0" or "8.0.1". */
  private static int minor(String version) {
    String[] p = version.split("\\.");
    int major = Integer.parseInt(p[0].replaceAll("[^0-9].*", "0"));
    int min = p.length > 1 ? Integer.parseInt(("0" + p[1]).replaceAll("[^0-9].*", "")) : 0;
    return major * 1000 + min;
  }

  private void recordSnapshot(String id, Group g, String name) {
    snapshotInfo.put(name, new SnapshotInfo(name, "available", g.spec.engine(), g.spec.engineVersion() + ".1", g.spec.cacheNodeType(),
        g.spec.numNodeGroups(), g.spec.clusterMode(), id, "arn:aws:elasticache:" + region + ":" + accountId + ":snapshot:" + name));
  }

  private SnapshotInfo describeSnapshotQuietly(String name) {
    SnapshotInfo snap = snapshotInfo.get(name);
    if (snap == null) return null;
    // B1: a snapshot being taken is "creating" until its group leaves snapshotting
    boolean taking = groups.values().stream().anyMatch(g -> "snapshotting".equals(g.status) && name.equals(g.snapshotName));
    return taking ? new SnapshotInfo(snap.name(), "creating", snap.engine(), snap.engineVersion(), snap.cacheNodeType(),
        snap.numNodeGroups(), snap.clusterMode(), snap.replicationGroupId(), snap.arn()) : snap;
  }

  @Override
  public Optional<SnapshotInfo> describeSnapshot(String snapshotName) {
    call("elasticache:DescribeSnapshots");
    tick();
    return Optional.ofNullable(describeSnapshotQuietly(snapshotName));
  }

  @Override
  public Optional<ObservedGroup> describeReplicationGroup(String id) {
    call("elasticache:DescribeReplicationGroups");
    tick();
    Group g = groups.get(id);
    if (g == null) return Optional.empty();
    ObservedGroup o = observed(g);
    o.group().memberClusters().forEach(m -> call("elasticache:DescribeCacheClusters")); // one per member, as the SDK adapter asks
    return Optional.of(o);
  }

  /** DescribeCacheEngineVersions, one call per engine (each fits one page), as the SDK adapter asks. */
  @Override
  public List<EngineVersionInfo> describeEngineVersions() {
    call("elasticache:DescribeCacheEngineVersions"); // both engines in one page, as the adapter asks
    return ENGINE_VERSIONS;
  }

  @Override
  public Map<String, ObservedGroup> describeAll(java.util.function.Consumer<ObservedGroup> complete) {
    call("elasticache:DescribeReplicationGroups");
    call("elasticache:DescribeCacheClusters");
    tick();
    Map<String, ObservedGroup> out = new LinkedHashMap<>();
    groups.forEach((id, g) -> out.put(id, observed(g)));
    out.values().forEach(complete);
    return out;
  }

  @Override
  public Map<String, ObservedGroup> describeGroups() {
    call("elasticache:DescribeReplicationGroups");
    tick();
    Map<String, ObservedGroup> out = new LinkedHashMap<>();
    groups.forEach((id, g) -> out.put(id, new ObservedGroup(observed(g).group(), null)));
    return out;
  }

  @Override
  public void deleteReplicationGroup(String id, String finalSnapshotName) {
    call("elasticache:DeleteReplicationGroup");
    tick();
    Group g = groups.get(id);
    if (g == null) throw new AwsException(Kind.NOT_FOUND, "elasticache:DeleteReplicationGroup", "ReplicationGroupNotFoundFault", "not found");
    if (!"available".equals(g.status) && !"create-failed".equals(g.status)) throw new AwsException(Kind.BUSY, "elasticache:DeleteReplicationGroup", "InvalidReplicationGroupState", "Replication group " + id + " is not in available state");
    if (finalSnapshotName != null && "available".equals(g.status)) {
      snapshots.add(finalSnapshotName);
      recordSnapshot(id, g, finalSnapshotName);
    }
    g.status = "deleting";
    g.until = clock.instant().plus(deletingTime);
  }

  /**
   * ModifyReplicationGroup. B4: with ApplyImmediately=false, CacheNodeType and EngineVersion (the
   * node changes the API reference says are "applied on the next maintenance reboot") wait for the
   * maintenance window in PendingModifiedValues; everything else is applied at once. With
   * ApplyImmediately=true the request and any pending modifications are applied (API reference,
   * ApplyImmediately). B5: AUTH changes take effect when the modification ends.
   */
  /** Called with every ModifyReplicationGroup before it is judged (a test looks at what else holds at that moment). */
  public java.util.function.Consumer<dev.operators.elasticache.aws.ModifyRequest> beforeModify = m -> { };

  @Override
  public void modifyReplicationGroup(dev.operators.elasticache.aws.ModifyRequest m) {
    String op = "elasticache:ModifyReplicationGroup";
    call(op);
    beforeModify.accept(m);
    Group g = modifiable(m.replicationGroupId(), op);
    ReplicationGroupSpec s = g.spec;
    boolean failover = m.automaticFailover() != null ? m.automaticFailover() : s.automaticFailover();
    boolean multi = m.multiAZ() != null ? m.multiAZ() : s.multiAZ();
    if (multi && !failover) throw new AwsException(Kind.INVALID_INPUT, op, "InvalidParameterCombination", "Multi-AZ needs automatic failover");
    if (failover && s.replicasPerNodeGroup() < 1) throw new AwsException(Kind.INVALID_INPUT, op, "InvalidParameterCombination", "automatic failover needs a replica");
    if (m.cacheParameterGroupName() != null && !m.cacheParameterGroupName().startsWith("default.") && !parameterGroups.containsKey(m.cacheParameterGroupName())) {
      throw new AwsException(Kind.NOT_FOUND, op, "CacheParameterGroupNotFound", "no parameter group");
    }
    if (m.engineVersion() != null) checkVersion(op, m.engine() != null ? m.engine() : s.engine(), m.engineVersion());
    if (m.securityGroupIds() != null) checkSecurityGroupsInVpc(op, s.cacheSubnetGroupName(), m.securityGroupIds());
    if (m.cacheNodeType() != null) checkNodeType(op, m.cacheNodeType());
    if (m.cacheNodeType() != null && !m.cacheNodeType().equals(s.cacheNodeType())) checkCapacity(op, m.cacheNodeType(), 0);
    if (m.ipDiscovery() != null) {
      String type = s.networkType() == null ? "ipv4" : s.networkType();
      if (!List.of("ipv4", "ipv6").contains(m.ipDiscovery())) throw err(op, "InvalidParameterValue", "Invalid IpDiscovery: " + m.ipDiscovery());
      if (type.equals("ipv4") && m.ipDiscovery().equals("ipv6")) throw err(op, "InvalidParameterCombination", "IpDiscovery ipv6 requires NetworkType ipv6 or dual_stack.");
      if (type.equals("ipv6") && m.ipDiscovery().equals("ipv4")) throw err(op, "InvalidParameterCombination", "IpDiscovery ipv4 is not valid with NetworkType ipv6.");
    }
    boolean clusterModeChange = checkClusterModeChange(op, g, m);
    boolean transitChange = checkTransitChange(op, g, m.transitEncryptionEnabled(), m.transitEncryptionMode());
    if (m.durability() != null) {
      checkDurabilityValue(op, m.durability());
      // "Changing durability on an existing cluster": sync, async and disabled, on a group that meets the requirements
      checkDurability(op, s.engine(), s.engineVersion(), s.cacheNodeType(), "enabled".equals(g.clusterMode()), s.multiAZ(), s.replicasPerNodeGroup(), s.transitEncryption(), s.dataTiering());
    }
    String strategy = m.authTokenUpdateStrategy() == null && m.authToken() != null ? "ROTATE" : m.authTokenUpdateStrategy();
    if (strategy != null) {
      // AuthTokenUpdateStrategy (API reference): ROTATE - default; SET - allowed only after ROTATE;
      // DELETE - allowed only when transitioning to RBAC (UserGroupIdsToAdd, which this port never sends).
      if (!s.transitEncryption()) throw err(op, "InvalidParameterCombination", "AuthToken can be specified only when TransitEncryptionEnabled is true.");
      if (m.authToken() != null && !AuthTokens.isValid(m.authToken())) throw err(op, "InvalidParameterValue", "Invalid AuthToken provided.");
      switch (strategy) {
        case "ROTATE" -> { }
        case "SET" -> {
          if (!"ROTATE".equals(g.lastAppliedStrategy)) {
            throw err(op, "InvalidParameterCombination", "AuthTokenUpdateStrategy SET is allowed only after ROTATE.");
          }
        }
        case "DELETE" -> {
          if (m.authToken() != null) throw err(op, "InvalidParameterCombination", "AuthToken must not be specified with AuthTokenUpdateStrategy DELETE.");
          if ((m.userGroupIdsToAdd() == null || m.userGroupIdsToAdd().isEmpty()) && g.userGroupIds.isEmpty()) {
            throw err(op, "InvalidParameterCombination", "AuthTokenUpdateStrategy DELETE is allowed only when transitioning to RBAC (UserGroupIdsToAdd).");
          }
          if (g.tokens.isEmpty()) throw err(op, "InvalidParameterCombination", "The replication group has no AUTH token to delete.");
        }
        default -> throw err(op, "InvalidParameterValue", "Invalid AuthTokenUpdateStrategy: " + strategy);
      }
      if (m.authToken() == null && !strategy.equals("DELETE")) {
        throw err(op, "InvalidParameterCombination", "AuthTokenUpdateStrategy " + strategy + " requires AuthToken.");
      }
    }
    List<String> ugAdd = m.userGroupIdsToAdd() == null ? List.of() : m.userGroupIdsToAdd();
    List<String> ugRemove = m.userGroupIdsToRemove() == null ? List.of() : m.userGroupIdsToRemove();
    boolean removeAll = Boolean.TRUE.equals(m.removeUserGroups());
    if (removeAll) {
      // E71: RemoveUserGroups "Removes the user group associated with this replication group"; the refusals are the emulator's choice
      if (g.userGroupIds.isEmpty()) throw err(op, "InvalidParameterCombination", "The replication group has no user group to remove.");
      if (!ugAdd.isEmpty() || !ugRemove.isEmpty()) {
        throw err(op, "InvalidParameterCombination", "RemoveUserGroups cannot be given with UserGroupIdsToAdd or UserGroupIdsToRemove.");
      }
      if ("DELETE".equals(strategy)) throw err(op, "InvalidParameterCombination", "RemoveUserGroups cannot be given with AuthTokenUpdateStrategy DELETE.");
      ugRemove = List.copyOf(g.userGroupIds);
    }
    List<String> ugAfter = null;
    if (!ugAdd.isEmpty() || !ugRemove.isEmpty()) {
      ugAfter = rbac.userGroupsAfter(op, s.engine(), s.transitEncryption(), g.userGroupIds, ugAdd, ugRemove);
      if (!g.tokens.isEmpty() && !ugAdd.isEmpty() && !"DELETE".equals(strategy)) {
        // the way from AUTH to RBAC is AuthTokenUpdateStrategy DELETE with UserGroupIdsToAdd (emulator E44)
        throw err(op, "InvalidParameterCombination", "A replication group with an AUTH token gets a user group only with AuthTokenUpdateStrategy DELETE.");
      }
    }
    if (m.logDelivery() != null) {
      for (var l : m.logDelivery()) {
        if (l.enabled() && !logGroups.containsKey(l.logGroup())) {
          throw new AwsException(Kind.INVALID_INPUT, op, "InvalidParameterValue", "log group " + l.logGroup() + " does not exist");
        }
      }
    }
    // ---- accepted
    if (m.logDelivery() != null) {
      for (var l : m.logDelivery()) {
        if (l.enabled()) g.logs.put(l.logType(), l);
        else g.logs.remove(l.logType());
      }
    }
    Map<String, String> deferred = new LinkedHashMap<>();
    if (m.cacheNodeType() != null) deferred.put("CacheNodeType", m.cacheNodeType());
    if (m.engine() != null) deferred.put("Engine", m.engine());
    if (m.engineVersion() != null) deferred.put("EngineVersion", m.engineVersion());
    boolean immediate = m.cacheParameterGroupName() != null || m.securityGroupIds() != null || m.snapshotRetentionLimit() != null
        || m.snapshotWindow() != null || m.preferredMaintenanceWindow() != null || m.automaticFailover() != null
        || m.multiAZ() != null || strategy != null || m.logDelivery() != null || m.ipDiscovery() != null || transitChange || ugAfter != null
        || clusterModeChange
        || (m.durability() != null && !effectiveDurability(m.durability()).equals(effectiveDurability(s.durability())));
    if (ugAfter != null) g.userGroupsAfter = ugAfter; // takes effect when the modification ends (E44)
    // E46: the new mode is in effect at once (EffectiveDurability), the group modifying meanwhile
    if (durable(m.durability())) g.durabilityEncrypted = true;
    Map<String, String> applyNow = new LinkedHashMap<>();
    if (m.applyImmediately()) {
      applyNow.putAll(g.pending);
      applyNow.putAll(deferred);
      g.pending.clear();
    } else {
      g.pending.putAll(deferred);
    }
    if (strategy != null) {
      String current = g.tokens.isEmpty() ? null : g.tokens.get(g.tokens.size() - 1);
      if ("ROTATE".equals(strategy)) {
        g.tokensAfter = new ArrayList<>();
        if (current != null) g.tokensAfter.add(current);
        g.tokensAfter.add(m.authToken());
        g.authTokenStatus = "ROTATING";
      } else if ("DELETE".equals(strategy)) {
        g.tokensAfter = new ArrayList<>(); // DELETE has no AuthTokenStatus value
      } else {
        g.tokensAfter = new ArrayList<>(List.of(m.authToken()));
        g.authTokenStatus = "SETTING";
      }
      g.pendingStrategy = strategy;
      g.tokenOptionalAfter = removeAll && "ROTATE".equals(strategy); // E71
    }
    if (clusterModeChange) g.clusterModeAfter = m.clusterMode().toLowerCase(); // E53: takes effect when the modification ends
    if (transitChange) {
      // E37: takes effect when the modification ends
      g.transitAfter = m.transitEncryptionEnabled() != null ? m.transitEncryptionEnabled() : s.transitEncryption();
      g.transitModeAfter = g.transitAfter ? (m.transitEncryptionMode() != null ? m.transitEncryptionMode() : g.transitMode) : null;
    }
    if (!immediate && applyNow.isEmpty()) return; // only deferred changes: the group stays available
    ReplicationGroupSpec base = withDeferred(s, applyNow);
    ReplicationGroupSpec next = ReplicationGroupSpecBuilder.builder(s)
        .engine(base.engine())
        .engineVersion(base.engineVersion())
        .cacheNodeType(base.cacheNodeType())
        .automaticFailover(failover)
        .multiAZ(multi)
        .securityGroupIds(m.securityGroupIds() != null ? List.copyOf(m.securityGroupIds()) : s.securityGroupIds())
        .cacheParameterGroupName(m.cacheParameterGroupName() != null ? m.cacheParameterGroupName() : s.cacheParameterGroupName())
        .authToken(m.authToken() != null ? m.authToken() : s.authToken())
        .snapshotRetentionLimit(m.snapshotRetentionLimit() != null ? m.snapshotRetentionLimit() : s.snapshotRetentionLimit())
        .snapshotWindow(m.snapshotWindow() != null ? m.snapshotWindow() : s.snapshotWindow())
        .preferredMaintenanceWindow(m.preferredMaintenanceWindow() != null ? m.preferredMaintenanceWindow() : s.preferredMaintenanceWindow())
        .ipDiscovery(m.ipDiscovery() != null ? m.ipDiscovery() : s.ipDiscovery())
        .durability(m.durability() != null ? m.durability() : s.durability())
        .build();
    startModifying(g, next);
  }

  @Override
  public void increaseReplicaCount(String id, int newReplicaCount) {
    String op = "elasticache:IncreaseReplicaCount";
    call(op);
    Group g = modifiable(id, op);
    refuseInCompatible(op, g);
    if (newReplicaCount <= g.spec.replicasPerNodeGroup() || newReplicaCount > 5) throw new AwsException(Kind.INVALID_INPUT, op, "InvalidParameterValue", "bad replica count");
    checkCapacity(op, g.spec.cacheNodeType(), g.spec.numNodeGroups() * (newReplicaCount - g.spec.replicasPerNodeGroup()));
    startModifying(g, withCounts(g.spec, g.spec.numNodeGroups(), newReplicaCount));
  }

  @Override
  public void decreaseReplicaCount(String id, int newReplicaCount) {
    String op = "elasticache:DecreaseReplicaCount";
    call(op);
    Group g = modifiable(id, op);
    refuseInCompatible(op, g);
    if (newReplicaCount >= g.spec.replicasPerNodeGroup()) throw new AwsException(Kind.INVALID_INPUT, op, "InvalidParameterValue", "bad replica count");
    if (newReplicaCount < 1 && (g.spec.automaticFailover() || g.spec.multiAZ())) {
      throw new AwsException(Kind.INVALID_INPUT, op, "InvalidParameterCombination", "Cannot have less than 1 replica with automatic failover enabled");
    }
    startModifying(g, withCounts(g.spec, g.spec.numNodeGroups(), newReplicaCount));
  }

  @Override
  public void modifyShardCount(String id, int nodeGroupCount, List<String> retain) {
    String op = "elasticache:ModifyReplicationGroupShardConfiguration";
    call(op);
    Group g = modifiable(id, op);
    if (!"enabled".equals(g.clusterMode())) throw new AwsException(Kind.INVALID_INPUT, op, "InvalidParameterValue", "cluster mode required");
    if (nodeGroupCount < g.spec.numNodeGroups() && (retain == null || retain.size() != nodeGroupCount)) {
      throw new AwsException(Kind.INVALID_INPUT, op, "InvalidParameterValue", "NodeGroupsToRetain required");
    }
    if (nodeGroupCount > g.spec.numNodeGroups()) {
      checkCapacity(op, g.spec.cacheNodeType(), (nodeGroupCount - g.spec.numNodeGroups()) * (1 + g.spec.replicasPerNodeGroup()));
    }
    startModifying(g, withCounts(g.spec, nodeGroupCount, g.spec.replicasPerNodeGroup()));
  }

  /**
   * E53, ModifyReplicationGroup ClusterMode (API reference; user guide "Modifying cluster mode"):
   * disabled -> compatible -> enabled, compatible -> disabled; enabled is final. Leaving disabled needs
   * Valkey 7.2+ or Redis OSS 7.0+ and automatic failover with a replica; a request with ClusterMode
   * changes nothing else (but the parameter group); in compatible no other modification is accepted.
   * True when the request changes the cluster mode.
   */
  private boolean checkClusterModeChange(String op, Group g, dev.operators.elasticache.aws.ModifyRequest m) {
    String current = g.clusterMode();
    if (m.clusterMode() == null) {
      boolean other = m.cacheNodeType() != null || m.engine() != null || m.engineVersion() != null || m.securityGroupIds() != null
          || m.snapshotRetentionLimit() != null || m.snapshotWindow() != null || m.preferredMaintenanceWindow() != null
          || m.automaticFailover() != null || m.multiAZ() != null || m.authToken() != null || m.authTokenUpdateStrategy() != null
          || m.logDelivery() != null || m.ipDiscovery() != null || m.transitEncryptionEnabled() != null || m.transitEncryptionMode() != null
          || m.userGroupIdsToAdd() != null || m.userGroupIdsToRemove() != null || m.removeUserGroups() != null || m.durability() != null || m.cacheParameterGroupName() != null;
      if (other) refuseInCompatible(op, g);
      return false;
    }
    String to = m.clusterMode().toLowerCase();
    if (!List.of("enabled", "disabled", "compatible").contains(to)) throw err(op, "InvalidParameterValue", "Invalid ClusterMode: " + m.clusterMode());
    boolean other = m.cacheNodeType() != null || m.engine() != null || m.engineVersion() != null || m.securityGroupIds() != null
        || m.snapshotRetentionLimit() != null || m.snapshotWindow() != null || m.preferredMaintenanceWindow() != null
        || m.automaticFailover() != null || m.multiAZ() != null || m.authToken() != null || m.authTokenUpdateStrategy() != null
        || m.logDelivery() != null || m.ipDiscovery() != null || m.transitEncryptionEnabled() != null || m.transitEncryptionMode() != null
        || m.userGroupIdsToAdd() != null || m.userGroupIdsToRemove() != null || m.removeUserGroups() != null || m.durability() != null;
    if (other) throw err(op, "InvalidParameterCombination", "No other modification can be made together with ClusterMode, except CacheParameterGroupName.");
    if (to.equals(current)) return false;
    if ("enabled".equals(current)) throw err(op, "InvalidParameterCombination", "Cluster mode enabled cannot be reverted.");
    if ("disabled".equals(current) && "enabled".equals(to)) {
      throw err(op, "InvalidParameterCombination", "To modify cluster mode from Disabled to Enabled, you must first set the cluster mode to Compatible.");
    }
    if ("disabled".equals(current)) {
      ReplicationGroupSpec s = g.spec;
      String version = s.engineVersion();
      boolean newEnough = "redis".equals(s.engine()) ? dev.operators.elasticache.decide.EngineVersions.atLeast(version, "7.0")
          : dev.operators.elasticache.decide.EngineVersions.atLeast(version, "7.2");
      if (!newEnough) throw err(op, "InvalidParameterCombination", "Cluster mode can be modified only on Valkey 7.2 and above or Redis OSS 7.0 and above.");
      if (!s.automaticFailover() || s.replicasPerNodeGroup() < 1) {
        throw err(op, "InvalidParameterCombination", "Cluster mode can be modified only with automatic failover enabled and at least 1 replica.");
      }
    }
    return true;
  }

  /** E53: in compatible mode AWS takes no other modification (scaling, engine version, ...). */
  private void refuseInCompatible(String op, Group g) {
    if ("compatible".equals(g.clusterMode())) {
      throw err(op, "InvalidParameterCombination", "Replication group " + g.spec.replicationGroupId()
          + " is in cluster mode compatible: no other modification is allowed until cluster mode is enabled or disabled.");
    }
  }

  /**
   * E37, ModifyReplicationGroup TransitEncryptionEnabled / TransitEncryptionMode (API reference;
   * user guide "Enabling in-transit encryption"): an existing group turns TLS on with mode preferred
   * in the same request, then required as a second step; only Valkey and Redis OSS 7 and above; not
   * on a group with an AUTH token (E7). True when the request changes TLS or its mode.
   */
  private boolean checkTransitChange(String op, Group g, Boolean enabled, String mode) {
    if (enabled == null && mode == null) return false;
    ReplicationGroupSpec s = g.spec;
    if (mode != null && !List.of("preferred", "required").contains(mode)) throw err(op, "InvalidParameterValue", "Invalid TransitEncryptionMode: " + mode);
    if (enabled != null && !g.tokens.isEmpty()) {
      throw err(op, "InvalidParameterCombination", "Modification of transit encryption is not supported for access control enabled clusters.");
    }
    boolean turningOn = Boolean.TRUE.equals(enabled) && !s.transitEncryption();
    if ((turningOn || mode != null) && "redis".equals(s.engine()) && Integer.parseInt(s.engineVersion().split("\\.")[0]) < 7) {
      throw err(op, "InvalidParameterCombination", "In-transit encryption can be modified only on Valkey or Redis OSS 7 and above.");
    }
    if (turningOn && !"preferred".equals(mode)) {
      throw err(op, "InvalidParameterCombination", "To enable in-transit encryption on an existing replication group, TransitEncryptionMode must be preferred in the same request.");
    }
    if ("required".equals(mode) && !(s.transitEncryption() && !Boolean.FALSE.equals(enabled))) {
      throw err(op, "InvalidParameterCombination", "TransitEncryptionMode required needs in-transit encryption enabled in mode preferred first.");
    }
    if (mode != null && Boolean.FALSE.equals(enabled)) {
      throw err(op, "InvalidParameterCombination", "TransitEncryptionMode cannot be set when TransitEncryptionEnabled is false.");
    }
    return (enabled != null && enabled != s.transitEncryption()) || (mode != null && !mode.equals(g.transitMode));
  }

  private Group modifiable(String id, String op) {
    tick();
    Group g = groups.get(id);
    if (g == null) throw new AwsException(Kind.NOT_FOUND, op, "ReplicationGroupNotFoundFault", "not found");
    if (!"available".equals(g.status)) throw new AwsException(Kind.BUSY, op, "InvalidReplicationGroupState", "Replication group " + id + " is not in available state");
    return g;
  }

  private void startModifying(Group g, ReplicationGroupSpec next) {
    if (rollBackNextModification) {
      g.rollBackTo = g.spec;
      rollBackNextModification = false;
    }
    g.spec = next;
    g.status = "modifying";
    g.until = clock.instant().plus(modifyingTime);
  }

  private static ReplicationGroupSpec withCounts(ReplicationGroupSpec s, int shards, int replicas) {
    return s.withNumNodeGroups(shards).withReplicasPerNodeGroup(replicas);
  }

  @Override
  public List<CacheEvent> describeEvents(String replicationGroupId, Instant since) {
    call("elasticache:DescribeEvents");
    tick();
    List<CacheEvent> out = new ArrayList<>(events.stream()
        .filter(e -> "replication-group".equals(e.sourceType()) && !e.date().isBefore(since))
        .filter(e -> replicationGroupId == null || replicationGroupId.equals(e.sourceId())).toList());
    java.util.Collections.reverse(out);
    return out;
  }

  @Override
  public List<CacheEvent> sweepEvents(Instant since) {
    return describeEvents(null, since);
  }

  @Override
  public Optional<ObservedGroup> sweepGroup(String id) {
    return describeReplicationGroup(id);
  }

  @Override
  public void createSnapshot(String replicationGroupId, String snapshotName) {
    String op = "elasticache:CreateSnapshot";
    call(op);
    tick();
    Group g = groups.get(replicationGroupId);
    if (g == null) throw err(op, "ReplicationGroupNotFoundFault", "Replication group " + replicationGroupId + " not found.");
    if (snapshots.contains(snapshotName)) throw err(op, "SnapshotAlreadyExistsFault", "Snapshot " + snapshotName + " already exists.");
    if (!"available".equals(g.status)) throw err(op, "InvalidReplicationGroupState", "Replication group " + replicationGroupId + " is not in available state");
    startSnapshot(replicationGroupId, g, snapshotName);
  }

  /** Someone changes the group behind the operator's back (console, CLI). */
  public void changeBehindTheOperatorsBack(String id, java.util.function.UnaryOperator<ReplicationGroupSpec> change) {
    Group g = groups.get(id);
    g.spec = change.apply(g.spec);
  }

  @Override
  public void addTags(String arn, Map<String, String> tags) {
    call("elasticache:AddTagsToResource");
    Group g = groups.values().stream().filter(x -> x.arn.equals(arn)).findFirst()
        .orElseThrow(() -> new AwsException(Kind.NOT_FOUND, "elasticache:AddTagsToResource", "ReplicationGroupNotFoundFault", "not found"));
    Map<String, String> all = new LinkedHashMap<>(g.tags);
    all.putAll(tags);
    g.tags = Map.copyOf(all);
  }

  @Override
  public void removeTags(String arn, List<String> keys) {
    call("elasticache:RemoveTagsFromResource");
    Serverless c = serverless.values().stream().filter(x -> x.arn.equals(arn)).findFirst().orElse(null);
    if (c != null) { // a serverless cache is tagged like a replication group (E32)
      Map<String, String> all = new LinkedHashMap<>(c.tags);
      keys.forEach(all::remove);
      c.tags = Map.copyOf(all);
      return;
    }
    Group g = groups.values().stream().filter(x -> x.arn.equals(arn)).findFirst().orElseThrow();
    Map<String, String> all = new LinkedHashMap<>(g.tags);
    keys.forEach(all::remove);
    g.tags = Map.copyOf(all);
  }

  @Override
  public Map<String, String> tagsOf(String arn) {
    call("elasticache:ListTagsForResource");
    return groups.values().stream().filter(g -> g.arn.equals(arn)).findFirst().map(g -> g.tags)
        .or(() -> serverless.values().stream().filter(c -> c.arn.equals(arn)).findFirst().map(c -> c.tags))
        .or(() -> rbac.tagsOf(arn)).orElse(Map.of());
  }

  private ObservedGroup observed(Group g) {
    ReplicationGroupInfo info = info(g);
    List<CacheClusterInfo> clusters = new ArrayList<>();
    for (String m : info.memberClusters()) {
      clusters.add(CacheClusterInfoBuilder.builder()
          .id(m)
          .replicationGroupId(g.spec.replicationGroupId())
          .status(g.status)
          .engineVersion(g.spec.engineVersion() + ".1")
          .cacheParameterGroupName(g.spec.cacheParameterGroupName() == null ? "default." + g.spec.engine() : g.spec.cacheParameterGroupName())
          .cacheSubnetGroupName(g.spec.cacheSubnetGroupName())
          .securityGroupIds(g.spec.securityGroupIds().stream().sorted().toList())
          .preferredMaintenanceWindow(g.spec.preferredMaintenanceWindow())
          .pendingCacheNodeType(g.pending.get("CacheNodeType"))
          .pendingEngineVersion(g.pending.containsKey("EngineVersion") ? g.pending.get("EngineVersion") + ".1" : null)
          .build());
    }
    return new ObservedGroup(info, clusters);
  }

  private ReplicationGroupInfo info(Group g) {
    ReplicationGroupSpec s = g.spec;
    List<String> members = new ArrayList<>();
    for (int shard = 1; shard <= s.numNodeGroups(); shard++) {
      for (int node = 1; node <= 1 + s.replicasPerNodeGroup(); node++) {
        // a group migrated to cluster mode (E53) keeps the names of its first shard's nodes
        members.add(s.clusterMode() || shard > 1 ? String.format("%s-%04d-%03d", s.replicationGroupId(), shard, node)
            : String.format("%s-%03d", s.replicationGroupId(), node));
      }
    }
    boolean up = "available".equals(g.status) || "modifying".equals(g.status) || "snapshotting".equals(g.status);
    String host = s.replicationGroupId() + ".abc123.use1.cache.amazonaws.com";
    String mode = g.clusterMode();
    boolean enabled = "enabled".equals(mode);
    return ReplicationGroupInfoBuilder.builder()
        .id(s.replicationGroupId())
        .arn(g.arn)
        .status(g.status)
        .engine(s.engine())
        .cacheNodeType(s.cacheNodeType())
        .clusterEnabled(enabled)
        .clusterMode(mode)
        .numNodeGroups(s.numNodeGroups())
        .replicasPerNodeGroup(s.replicasPerNodeGroup())
        .memberClusters(members)
        // E53: in compatible both the primary (and reader) endpoints and the configuration endpoint
        .primaryEndpoint(up && !enabled ? new Endpoint("master." + host, s.port()) : null)
        .readerEndpoint(up && !enabled ? new Endpoint("replica." + host, s.port()) : null)
        .configurationEndpoint(up && !"disabled".equals(mode) ? new Endpoint("clustercfg." + host, s.port()) : null)
        .automaticFailover(s.automaticFailover())
        .multiAZ(s.multiAZ())
        .transitEncryption(s.transitEncryption())
        .transitEncryptionMode(s.transitEncryption() ? g.transitMode : null)
        .atRestEncryption(s.atRestEncryption())
        .dataTiering(s.dataTiering())
        .networkType(s.networkType() == null ? "ipv4" : s.networkType())
        .ipDiscovery(s.ipDiscovery() == null ? ("ipv6".equals(s.networkType()) ? "ipv6" : "ipv4") : s.ipDiscovery())
        .kmsKeyId(s.kmsKeyId())
        .durability(effectiveDurability(s.durability()))
        .storageEncryption(!s.atRestEncryption() && !g.durabilityEncrypted ? "none" : s.kmsKeyId() != null ? "sse-kms" : "sse-elasticache")
        .authTokenEnabled(!g.tokens.isEmpty()) // B5: as AWS reports it, changed when an AUTH change takes effect
        .snapshotRetentionLimit(s.snapshotRetentionLimit())
        .snapshotWindow(s.snapshotWindow())
        .nodeGroupIds(java.util.stream.IntStream.rangeClosed(1, s.numNodeGroups()).mapToObj(i -> String.format("%04d", i)).toList())
        .pendingChanges(g.authTokenStatus != null)
        .authTokenLastModified(g.tokenModified)
        .logDelivery(List.copyOf(g.logs.values()))
        .userGroupIds(List.copyOf(g.userGroupIds))
        .build();
  }

  // ---- ElastiCache Serverless (EXTENSIONS.md E32..E36: the same rules as the emulator)

  /** Serverless caches per account and region (the emulator's maxServerlessCaches). */
  public int maxServerlessCaches = 40;
  public final Map<String, Serverless> serverless = new LinkedHashMap<>();
  /** Final snapshots of deleted serverless caches, by name, with the cache they were taken of. */
  public final Map<String, String> serverlessSnapshots = new LinkedHashMap<>();
  /** The same snapshots as DescribeServerlessCacheSnapshots answers them. */
  public final Map<String, ServerlessSnapshotInfo> serverlessSnapshotInfo = new LinkedHashMap<>();
  /** E58: what each serverless cache was created from (its SnapshotArnsToRestore). */
  public final Map<String, List<String>> serverlessRestoredFrom = new LinkedHashMap<>();
  private static final java.util.regex.Pattern SERVERLESS_SNAPSHOT_ARN =
      java.util.regex.Pattern.compile("^arn:aws[a-z-]*:elasticache:us-east-1:123456789012:serverlesscachesnapshot:(.+)$");
  /** E67: a node-based snapshot of this account and region, as DescribeSnapshots answers its ARN. */
  private static final java.util.regex.Pattern NODE_SNAPSHOT_ARN =
      java.util.regex.Pattern.compile("^arn:aws[a-z-]*:elasticache:us-east-1:123456789012:snapshot:(.+)$");

  @Override
  public Optional<ServerlessSnapshotInfo> describeServerlessSnapshot(String snapshotName) {
    call("elasticache:DescribeServerlessCacheSnapshots");
    return Optional.ofNullable(serverlessSnapshotInfo.get(snapshotName));
  }

  /** E58: SnapshotArnsToRestore, each a serverless snapshot of this account and region or an RDB file in S3 (E27). */
  private void checkServerlessRestore(String op, List<String> arns, String engine, String major) {
    for (String arn : arns) {
      var m = SERVERLESS_SNAPSHOT_ARN.matcher(arn);
      if (m.matches()) {
        ServerlessSnapshotInfo snap = serverlessSnapshotInfo.get(m.group(1));
        if (snap == null) throw err(op, "InvalidParameterValue", "Serverless cache snapshot " + arn + " not found.");
        if (!snap.available()) throw err(op, "InvalidParameterCombination", "Serverless cache snapshot " + snap.name() + " is " + snap.status() + ", not available.");
        if (!snap.engine().equals(engine) && !(snap.engine().equals("redis") && engine.equals("valkey"))) {
          throw err(op, "InvalidParameterCombination", "Snapshot " + snap.name() + " of engine " + snap.engine() + " cannot be restored into engine " + engine + ".");
        }
        if (snap.engine().equals(engine) && Integer.parseInt(major) < Integer.parseInt(snap.majorEngineVersion())) {
          throw err(op, "InvalidParameterCombination", "Snapshot " + snap.name() + " of " + engine + " " + snap.majorEngineVersion() + " cannot be restored into the older major version " + major + ".");
        }
        continue;
      }
      var node = NODE_SNAPSHOT_ARN.matcher(arn);
      if (node.matches()) {
        // E67: "Backups from Valkey or Redis OSS node-based clusters can be restored into a serverless configuration."
        SnapshotInfo snap = describeSnapshotQuietly(node.group(1));
        if (snap == null) throw err(op, "InvalidParameterValue", "Snapshot " + arn + " not found.");
        if (!snap.available()) throw err(op, "InvalidParameterCombination", "Snapshot " + snap.name() + " is " + snap.status() + ", not available.");
        if (!snap.engine().equals(engine) && !(snap.engine().equals("redis") && engine.equals("valkey"))) {
          throw err(op, "InvalidParameterCombination", "Snapshot " + snap.name() + " of engine " + snap.engine() + " cannot be restored into engine " + engine + ".");
        }
        int snapMajor = Integer.parseInt(snap.engineVersion().split("\\.")[0]);
        if (snap.engine().equals(engine) && Integer.parseInt(major) < snapMajor) {
          throw err(op, "InvalidParameterCombination", "Snapshot " + snap.name() + " of " + engine + " " + snap.engineVersion() + " cannot be restored into the older major version " + major + ".");
        }
        continue;
      }
      var s3 = S3_ARN.matcher(arn);
      if (!s3.matches()) throw err(op, "InvalidParameterValue", "Invalid SnapshotArnsToRestore value: " + arn + ". Expected the ARN of a snapshot or arn:aws:s3:::bucket/key.");
      if (!s3Objects.contains(s3.group(1) + "/" + s3.group(2))) {
        throw err(op, "InvalidParameterValue", "No object " + s3.group(2) + " in bucket " + s3.group(1) + " that ElastiCache can read (" + arn + ").");
      }
    }
  }

  public static final class Serverless {
    public String name, arn, status, engine, major, description, kmsKeyId, dailySnapshotTime, address, userGroupId;
    public Integer maxDataStorageGB, maxECPUPerSecond;
    public List<String> securityGroupIds, subnetIds;
    public int snapshotRetentionLimit;
    public Map<String, String> tags;
    public Instant until;
  }

  private static final Map<String, List<String>> SERVERLESS_MAJORS = Map.of("valkey", List.of("7", "8"), "redis", List.of("7"));
  private static final Map<String, String> SERVERLESS_FULL = Map.of("valkey7", "7.2", "valkey8", "8.0", "redis7", "7.1");

  private void tickServerless(Instant now) {
    var it = serverless.entrySet().iterator();
    while (it.hasNext()) {
      Serverless c = it.next().getValue();
      if (c.until == null || now.isBefore(c.until)) continue;
      if ("deleting".equals(c.status)) {
        it.remove();
        for (String sg : c.securityGroupIds) eniHeldUntil.merge(sg, c.until.plus(eniReleaseTime), (a, b) -> a.isAfter(b) ? a : b);
      } else {
        c.status = "available";
        c.until = null;
      }
    }
  }

  private void checkServerlessLimits(String op, Integer storage, Integer ecpu) {
    if (storage != null && (storage < 1 || storage > 5000)) throw err(op, "InvalidParameterValue", "CacheUsageLimits.DataStorage must be between 1 and 5000 GB.");
    if (ecpu != null && (ecpu < 1000 || ecpu > 15_000_000)) throw err(op, "InvalidParameterValue", "CacheUsageLimits.ECPUPerSecond must be between 1000 and 15000000.");
  }

  private void checkServerlessNetwork(String op, List<String> subnetIds, List<String> sgIds) {
    Set<String> vpcs = new HashSet<>();
    for (String s : subnetIds) {
      String vpc = vpcOfSubnet(s);
      if (vpc == null) throw err(op, "InvalidParameterValue", "The subnet ID " + s + " does not exist");
      vpcs.add(vpc);
    }
    if (vpcs.size() > 1) throw err(op, "InvalidParameterCombination", "All the subnets of a serverless cache must belong to the same VPC.");
    for (String id : sgIds) {
      SecurityGroupInfo sg = securityGroups.get(id);
      if (sg == null) throw err(op, "InvalidParameterValue", "Some security group Id not recognized by EC2: " + id);
      if (!vpcs.isEmpty() && !vpcs.contains(sg.vpcId())) throw err(op, "InvalidParameterCombination", "The security group(s) " + id + " do not belong to the VPC of the serverless cache's subnets.");
    }
  }

  private Serverless serverlessCache(String op, String name) {
    Serverless c = name == null ? null : serverless.get(name.toLowerCase(java.util.Locale.ROOT));
    if (c == null) throw err(op, "ServerlessCacheNotFoundFault", "Serverless cache " + name + " not found.");
    return c;
  }

  @Override
  public ServerlessCacheInfo createServerlessCache(ServerlessCacheSpec s) {
    String op = "elasticache:CreateServerlessCache";
    call(op);
    tick();
    String name = s.name().toLowerCase(java.util.Locale.ROOT);
    if (!name.matches("[a-z][a-z0-9-]{0,39}") || name.contains("--") || name.endsWith("-")) throw err(op, "InvalidParameterValue", "The parameter ServerlessCacheName is not a valid identifier.");
    if (serverless.containsKey(name)) throw err(op, "ServerlessCacheAlreadyExistsFault", "Serverless cache " + name + " already exists.");
    List<String> majors = SERVERLESS_MAJORS.get(s.engine());
    if (majors == null) throw err(op, "InvalidParameterValue", "Invalid engine for a serverless cache: " + s.engine());
    String major = s.majorEngineVersion() == null ? majors.get(majors.size() - 1) : s.majorEngineVersion();
    if (!majors.contains(major)) throw err(op, "InvalidParameterValue", "Invalid MajorEngineVersion " + major + " for engine " + s.engine());
    checkServerlessLimits(op, s.maxDataStorageGB(), s.maxECPUPerSecond());
    checkServerlessNetwork(op, s.subnetIds(), s.securityGroupIds());
    int retention = s.snapshotRetentionLimit() == null ? 0 : s.snapshotRetentionLimit();
    if (retention < 0 || retention > 35) throw err(op, "InvalidParameterValue", "SnapshotRetentionLimit must be between 0 and 35.");
    if (s.dailySnapshotTime() != null && !s.dailySnapshotTime().matches("([01]\\d|2[0-3]):[0-5]\\d")) throw err(op, "InvalidParameterValue", "Invalid DailySnapshotTime: " + s.dailySnapshotTime());
    List<String> restore = s.snapshotArnsToRestore() == null ? List.of() : List.copyOf(s.snapshotArnsToRestore());
    checkServerlessRestore(op, restore, s.engine(), major);
    if (s.userGroupId() != null) checkServerlessUserGroup(op, s.userGroupId(), s.engine());
    if (serverless.size() >= maxServerlessCaches) throw err(op, "ServerlessCacheQuotaForCustomerExceededFault", "You have reached the maximum number of serverless caches (" + maxServerlessCaches + ") for this Region.");
    Serverless c = new Serverless();
    c.name = name;
    c.arn = "arn:aws:elasticache:" + region + ":" + accountId + ":serverlesscache:" + name;
    c.status = "creating";
    c.until = clock.instant().plus(creatingTime);
    c.engine = s.engine();
    c.major = major;
    c.description = s.description() == null ? "" : s.description();
    c.kmsKeyId = s.kmsKeyId();
    c.dailySnapshotTime = s.dailySnapshotTime();
    c.maxDataStorageGB = s.maxDataStorageGB();
    c.maxECPUPerSecond = s.maxECPUPerSecond();
    c.securityGroupIds = List.copyOf(s.securityGroupIds());
    c.subnetIds = List.copyOf(s.subnetIds());
    c.snapshotRetentionLimit = retention;
    c.tags = s.tags() == null ? Map.of() : Map.copyOf(s.tags());
    c.address = name + "-abc123.serverless.use1.cache.amazonaws.com";
    c.userGroupId = s.userGroupId();
    serverless.put(name, c);
    serverlessRestoredFrom.put(name, restore);
    return serverlessInfo(c);
  }

  @Override
  public Optional<ServerlessCacheInfo> describeServerlessCache(String name) {
    call("elasticache:DescribeServerlessCaches");
    tick();
    return Optional.ofNullable(serverless.get(name.toLowerCase(java.util.Locale.ROOT))).map(FakeAws::serverlessInfo);
  }

  @Override
  public Map<String, ServerlessCacheInfo> sweepServerlessCaches() {
    tick();
    Map<String, ServerlessCacheInfo> out = new LinkedHashMap<>();
    List<String> names = serverless.keySet().stream().sorted().toList();
    for (int i = 0; i < Math.max(1, names.size()); i += 50) {
      call("elasticache:DescribeServerlessCaches"); // one call per page of 50, as the adapter pages
      names.subList(i, Math.min(names.size(), i + 50)).forEach(n -> out.put(n, serverlessInfo(serverless.get(n))));
    }
    return out;
  }

  @Override
  public void modifyServerlessCache(ServerlessCacheChange m) {
    String op = "elasticache:ModifyServerlessCache";
    call(op);
    tick();
    Serverless c = serverlessCache(op, m.name());
    if (!"available".equals(c.status)) throw err(op, "InvalidServerlessCacheStateFault", "Serverless cache " + c.name + " is in the " + c.status + " state, which is not valid for modification.");
    checkServerlessLimits(op, m.maxDataStorageGB(), m.maxECPUPerSecond());
    if (m.securityGroupIds() != null) checkServerlessNetwork(op, c.subnetIds, m.securityGroupIds());
    if (m.snapshotRetentionLimit() != null && (m.snapshotRetentionLimit() < 0 || m.snapshotRetentionLimit() > 35)) throw err(op, "InvalidParameterValue", "SnapshotRetentionLimit must be between 0 and 35.");
    if (m.userGroupId() != null && Boolean.TRUE.equals(m.removeUserGroup())) {
      throw err(op, "InvalidParameterCombination", "UserGroupId and RemoveUserGroup cannot be given together.");
    }
    if (m.userGroupId() != null) checkServerlessUserGroup(op, m.userGroupId(), c.engine);
    if (Boolean.TRUE.equals(m.removeUserGroup()) && c.userGroupId == null) {
      throw err(op, "InvalidParameterCombination", "Serverless cache " + c.name + " has no user group to remove.");
    }
    boolean takesTime = m.maxDataStorageGB() != null || m.maxECPUPerSecond() != null || m.securityGroupIds() != null
        || m.userGroupId() != null || Boolean.TRUE.equals(m.removeUserGroup());
    if (m.userGroupId() != null) c.userGroupId = m.userGroupId();
    if (Boolean.TRUE.equals(m.removeUserGroup())) c.userGroupId = null;
    if (m.maxDataStorageGB() != null) c.maxDataStorageGB = m.maxDataStorageGB();
    if (m.maxECPUPerSecond() != null) c.maxECPUPerSecond = m.maxECPUPerSecond();
    if (m.securityGroupIds() != null) c.securityGroupIds = List.copyOf(m.securityGroupIds());
    if (m.description() != null) c.description = m.description();
    if (m.snapshotRetentionLimit() != null) c.snapshotRetentionLimit = m.snapshotRetentionLimit();
    if (m.dailySnapshotTime() != null) c.dailySnapshotTime = m.dailySnapshotTime();
    if (takesTime) {
      c.status = "modifying";
      c.until = clock.instant().plus(modifyingTime);
    }
  }

  @Override
  public void deleteServerlessCache(String name, String finalSnapshotName) {
    String op = "elasticache:DeleteServerlessCache";
    call(op);
    tick();
    Serverless c = serverlessCache(op, name);
    if (!"available".equals(c.status)) throw err(op, "InvalidServerlessCacheStateFault", "Serverless cache " + c.name + " is in the " + c.status + " state, which is not valid for deletion.");
    if (finalSnapshotName != null) {
      if (serverlessSnapshots.containsKey(finalSnapshotName)) throw err(op, "ServerlessCacheSnapshotAlreadyExistsFault", "Serverless cache snapshot " + finalSnapshotName + " already exists.");
      serverlessSnapshots.put(finalSnapshotName, c.name);
      serverlessSnapshotInfo.put(finalSnapshotName, new ServerlessSnapshotInfo(finalSnapshotName,
          "arn:aws:elasticache:us-east-1:123456789012:serverlesscachesnapshot:" + finalSnapshotName, "available", c.engine, c.major, c.name));
    }
    c.status = "deleting";
    c.until = clock.instant().plus(deletingTime);
  }

  private static ServerlessCacheInfo serverlessInfo(Serverless c) {
    boolean up = !"creating".equals(c.status);
    return new ServerlessCacheInfo(c.name, c.arn, c.status, c.engine, c.major, SERVERLESS_FULL.get(c.engine + c.major),
        c.maxDataStorageGB, c.maxECPUPerSecond, c.securityGroupIds, c.subnetIds, c.kmsKeyId, c.snapshotRetentionLimit,
        c.dailySnapshotTime, c.description, up ? new Endpoint(c.address, 6379) : null, up ? new Endpoint(c.address, 6380) : null,
        c.userGroupId);
  }

  /**
   * E66: the user group a serverless cache is created with or given (CreateServerlessCache /
   * ModifyServerlessCache UserGroupId): it exists (UserGroupNotFound), is active (InvalidUserGroupState),
   * and a Redis OSS cache takes only a redis group (as E44).
   */
  private void checkServerlessUserGroup(String op, String userGroupId, String engine) {
    var g = rbac.describeUserGroupQuietly(userGroupId);
    if (g == null) throw AwsException.of(op, "UserGroupNotFound", 404, "User group " + userGroupId + " not found.");
    if (!g.active()) throw err(op, "InvalidUserGroupState", "User group " + userGroupId + " is not active (current status: " + g.status() + ").");
    if (engine.equals("redis") && !g.engine().equals("redis")) {
      throw err(op, "InvalidParameterCombination", "User group " + userGroupId + " has engine " + g.engine() + "; a Redis OSS cache needs a redis user group.");
    }
  }

  // ---- CloudWatch and CloudWatch Logs

  public final Map<String, dev.operators.elasticache.aws.MetricAlarm> alarms = new java.util.TreeMap<>();
  public final Map<String, Map<String, String>> logGroups = new LinkedHashMap<>();

  @Override
  public List<dev.operators.elasticache.aws.MetricAlarm> alarms(String namePrefix) {
    call("cloudwatch:DescribeAlarms");
    return alarms.values().stream().filter(a -> a.name().startsWith(namePrefix)).toList();
  }

  @Override
  public void putAlarm(dev.operators.elasticache.aws.MetricAlarm alarm, Map<String, String> tags) {
    call("cloudwatch:PutMetricAlarm");
    alarms.put(alarm.name(), alarm);
  }

  @Override
  public void deleteAlarms(List<String> names) {
    call("cloudwatch:DeleteAlarms");
    names.forEach(alarms::remove);
  }

  @Override
  public boolean ensureLogGroup(String name, Map<String, String> tags) {
    call("logs:CreateLogGroup");
    if (logGroups.containsKey(name)) return false;
    logGroups.put(name, Map.copyOf(tags));
    return true;
  }

  @Override
  public Optional<Map<String, String>> logGroupTags(String name) {
    call("logs:ListTagsLogGroup");
    return Optional.ofNullable(logGroups.get(name));
  }

  @Override
  public void deleteLogGroup(String name) {
    call("logs:DeleteLogGroup");
    logGroups.remove(name);
  }

  // ---- Secrets Manager (B6: DeleteSecret is asynchronous; the name stays taken until it is done)

  private static final String MARKED = "You can't perform this operation on the secret because it was marked for deletion.";

  private void secretsTick() {
    Instant now = clock.instant();
    deletedSecrets.entrySet().removeIf(e -> !now.isBefore(e.getValue().purgeAt()));
  }

  private void notMarked(String op, String name) {
    secretsTick();
    if (deletedSecrets.containsKey(name)) throw err(op, "InvalidRequestException", MARKED);
  }

  @Override
  public Optional<StoredSecret> get(String name) {
    call("secretsmanager:GetSecretValue");
    notMarked("secretsmanager:GetSecretValue", name);
    return Optional.ofNullable(secrets.get(name));
  }

  @Override
  public StoredSecret create(String name, String description, String value, Map<String, String> tags) {
    String op = "secretsmanager:CreateSecret";
    call(op);
    secretsTick();
    if (deletedSecrets.containsKey(name)) {
      throw err(op, "InvalidRequestException", "You can't create this secret because a secret with this name is already scheduled for deletion.");
    }
    if (secrets.containsKey(name)) throw new AwsException(Kind.ALREADY_EXISTS, op, "ResourceExistsException", "exists");
    StoredSecret s = new StoredSecret("arn:aws:secretsmanager:" + region + ":" + accountId + ":secret:" + name + "-AbCdEf", value);
    secrets.put(name, s);
    return s;
  }

  /** ForceDeleteWithoutRecovery: marked for deletion now, gone after {@link #secretDeletionTime}. */
  @Override
  public void delete(String name) {
    call("secretsmanager:DeleteSecret");
    secretsTick();
    StoredSecret s = secrets.remove(name);
    String pending = pendingSecrets.remove(name);
    // "If you forcibly delete an already deleted or nonexistent secret, the operation does not return ResourceNotFoundException."
    if (s != null) deletedSecrets.put(name, new DeletedSecret(s, pending, clock.instant().plus(secretDeletionTime), true));
  }

  /** DeleteSecret with RecoveryWindowInDays (7..30), as a person would do it: restorable until the window ends. */
  public void deleteWithRecoveryWindow(String name, int days) {
    call("secretsmanager:DeleteSecret");
    secretsTick();
    StoredSecret s = secrets.remove(name);
    String pending = pendingSecrets.remove(name);
    if (s != null) deletedSecrets.put(name, new DeletedSecret(s, pending, clock.instant().plus(Duration.ofDays(days)), false));
  }

  /**
   * RestoreSecret: "Cancels the scheduled deletion of a secret by removing the DeletedDate time
   * stamp." Not for a secret deleted with ForceDeleteWithoutRecovery: "you have no opportunity to
   * recover the secret" (DeleteSecret).
   */
  @Override
  public void restore(String name) {
    String op = "secretsmanager:RestoreSecret";
    call(op);
    secretsTick();
    DeletedSecret d = deletedSecrets.get(name);
    if (d != null && d.forced()) {
      throw err(op, "InvalidRequestException", "You can't restore this secret because it was deleted with ForceDeleteWithoutRecovery.");
    }
    if (d != null) {
      deletedSecrets.remove(name);
      secrets.put(name, d.secret());
      if (d.pending() != null) pendingSecrets.put(name, d.pending());
      return;
    }
    if (!secrets.containsKey(name)) throw err(op, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
  }

  @Override
  public void putPending(String name, String value) {
    call("secretsmanager:PutSecretValue");
    notMarked("secretsmanager:PutSecretValue", name);
    if (!secrets.containsKey(name)) throw new AwsException(Kind.NOT_FOUND, "secretsmanager:PutSecretValue", "ResourceNotFoundException", "no secret");
    pendingSecrets.put(name, value);
  }

  @Override
  public Optional<String> pending(String name) {
    call("secretsmanager:GetSecretValue");
    notMarked("secretsmanager:GetSecretValue", name);
    return Optional.ofNullable(pendingSecrets.get(name));
  }

  @Override
  public void promotePending(String name) {
    call("secretsmanager:UpdateSecretVersionStage");
    notMarked("secretsmanager:UpdateSecretVersionStage", name);
    String v = pendingSecrets.remove(name);
    if (v != null) secrets.put(name, new StoredSecret(secrets.get(name).arn(), v));
  }
}
