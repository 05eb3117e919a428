package dev.operators.elasticache.fake;

import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.AwsException.Kind;
import dev.operators.elasticache.aws.CacheClusterInfo;
import dev.operators.elasticache.aws.Ec2Port;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.aws.Endpoint;
import dev.operators.elasticache.aws.IngressRule;
import dev.operators.elasticache.aws.ObservedGroup;
import dev.operators.elasticache.aws.ParameterGroupInfo;
import dev.operators.elasticache.aws.ReplicationGroupInfo;
import dev.operators.elasticache.aws.ReplicationGroupSpec;
import dev.operators.elasticache.aws.SecretsPort;
import dev.operators.elasticache.aws.SecurityGroupInfo;
import dev.operators.elasticache.aws.SubnetGroupInfo;
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
public final class FakeAws implements Ec2Port, ElastiCachePort, SecretsPort, dev.operators.elasticache.aws.MonitoringPort {
  public static final String VPC = "vpc-0123456789abcdef0";
  public static final Map<String, String> SUBNETS = Map.of(
      "subnet-0a1b2c3d4e5f60718", VPC, "subnet-0f1e2d3c4b5a69788", VPC, "subnet-0999999999999999a", "vpc-0fffffffffffffff0");

  /** A controllable clock shared with the operator under test. */
  public static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    public void advance(Duration d) { now = now.plus(d); }
    @Override public Instant instant() { return now; }
    @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
  }

  public final MutableClock clock = new MutableClock();
  public Duration creatingTime = Duration.ofMinutes(10);
  public Duration deletingTime = Duration.ofMinutes(5);
  public Duration modifyingTime = Duration.ofMinutes(3);
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
    public String pendingNodeType;
    /** Tokens the group accepts now (two during a ROTATE). */
    public List<String> tokens = new ArrayList<>();
    public Map<String, dev.operators.elasticache.aws.LogDelivery> logs = new java.util.TreeMap<>();
    public Instant tokenModified;
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

  private void tick() {
    Instant now = clock.instant();
    groups.entrySet().removeIf(e -> "deleting".equals(e.getValue().status) && !now.isBefore(e.getValue().until));
    groups.values().forEach(g -> {
      if (("creating".equals(g.status) || "modifying".equals(g.status)) && !now.isBefore(g.until)) {
        g.status = "available";
        if (g.rollBackTo != null) {
          g.spec = g.rollBackTo;
          g.rollBackTo = null;
        }
      }
    });
  }

  // ---- EC2

  @Override
  public String vpcOfSubnets(List<String> subnetIds) {
    call("ec2:DescribeSubnets");
    Set<String> vpcs = new HashSet<>();
    for (String s : subnetIds) {
      String vpc = SUBNETS.get(s);
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
    if (groups.values().stream().anyMatch(g -> g.spec.securityGroupIds().contains(groupId))) {
      throw new AwsException(Kind.BUSY, "ec2:DeleteSecurityGroup", "DependencyViolation", "resource " + groupId + " has a dependent object");
    }
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
    subnetGroups.put(name, new SubnetGroupInfo(name, SUBNETS.get(subnetIds.get(0)), List.copyOf(subnetIds), "arn:aws:elasticache:us-east-1:123456789012:subnetgroup:" + name));
    subnetGroupTags.put(name, tags.get("elasticache.operators.dev/uid"));
  }

  @Override
  public void modifySubnetGroup(String name, List<String> subnetIds) {
    call("elasticache:ModifyCacheSubnetGroup");
    SubnetGroupInfo g = subnetGroups.get(name);
    subnetGroups.put(name, new SubnetGroupInfo(name, g.vpcId(), List.copyOf(subnetIds), g.arn()));
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
    params.forEach((k, v) -> {
      if (k.equals("no-such-parameter")) throw new AwsException(Kind.INVALID_INPUT, "elasticache:ModifyCacheParameterGroup", "InvalidParameterValue", "Unknown parameter: " + k);
    });
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
    beforeCreate.accept(s);
    Group g = new Group();
    g.spec = s;
    g.status = "creating";
    g.until = clock.instant().plus(creatingTime);
    g.tags = Map.copyOf(s.tags());
    g.arn = "arn:aws:elasticache:us-east-1:123456789012:replicationgroup:" + s.replicationGroupId();
    if (s.authToken() != null) {
      g.tokens.add(s.authToken());
      g.tokenModified = clock.instant();
    }
    groups.put(s.replicationGroupId(), g);
    return info(g);
  }

  @Override
  public Optional<ObservedGroup> describeReplicationGroup(String id) {
    call("elasticache:DescribeReplicationGroups");
    tick();
    Group g = groups.get(id);
    return g == null ? Optional.empty() : Optional.of(observed(g));
  }

  @Override
  public Map<String, ObservedGroup> describeAll() {
    call("elasticache:DescribeReplicationGroups");
    call("elasticache:DescribeCacheClusters");
    tick();
    Map<String, ObservedGroup> out = new LinkedHashMap<>();
    groups.forEach((id, g) -> out.put(id, observed(g)));
    return out;
  }

  @Override
  public void deleteReplicationGroup(String id, String finalSnapshotName) {
    call("elasticache:DeleteReplicationGroup");
    tick();
    Group g = groups.get(id);
    if (g == null) throw new AwsException(Kind.NOT_FOUND, "elasticache:DeleteReplicationGroup", "ReplicationGroupNotFoundFault", "not found");
    if (!"available".equals(g.status)) throw new AwsException(Kind.BUSY, "elasticache:DeleteReplicationGroup", "InvalidReplicationGroupState", "Replication group " + id + " is not in available state");
    if (finalSnapshotName != null) snapshots.add(finalSnapshotName);
    g.status = "deleting";
    g.until = clock.instant().plus(deletingTime);
  }

  @Override
  public void modifyReplicationGroup(dev.operators.elasticache.aws.ModifyRequest m) {
    String op = "elasticache:ModifyReplicationGroup";
    call(op);
    Group g = modifiable(m.replicationGroupId(), op);
    ReplicationGroupSpec s = g.spec;
    boolean failover = m.automaticFailover() != null ? m.automaticFailover() : s.automaticFailover();
    boolean multi = m.multiAZ() != null ? m.multiAZ() : s.multiAZ();
    if (multi && !failover) throw new AwsException(Kind.INVALID_INPUT, op, "InvalidParameterCombination", "Multi-AZ needs automatic failover");
    if (failover && s.replicasPerNodeGroup() < 1) throw new AwsException(Kind.INVALID_INPUT, op, "InvalidParameterCombination", "automatic failover needs a replica");
    if (m.cacheParameterGroupName() != null && !m.cacheParameterGroupName().startsWith("default.") && !parameterGroups.containsKey(m.cacheParameterGroupName())) {
      throw new AwsException(Kind.NOT_FOUND, op, "CacheParameterGroupNotFound", "no parameter group");
    }
    if (m.authToken() != null) {
      if (!AuthTokens.isValid(m.authToken())) throw new AwsException(Kind.INVALID_INPUT, op, "InvalidParameterValue", "Invalid AuthToken provided.");
      if ("ROTATE".equals(m.authTokenUpdateStrategy())) {
        String current = g.tokens.isEmpty() ? null : g.tokens.get(g.tokens.size() - 1);
        g.tokens = new ArrayList<>();
        if (current != null) g.tokens.add(current);
        g.tokens.add(m.authToken());
      } else if ("SET".equals(m.authTokenUpdateStrategy())) {
        g.tokens = new ArrayList<>(List.of(m.authToken()));
      }
      g.tokenModified = clock.instant();
    }
    if (m.logDelivery() != null) {
      for (var l : m.logDelivery()) {
        if (l.enabled() && !logGroups.containsKey(l.logGroup())) {
          throw new AwsException(Kind.INVALID_INPUT, op, "InvalidParameterValue", "log group " + l.logGroup() + " does not exist");
        }
        if (l.enabled()) g.logs.put(l.logType(), l);
        else g.logs.remove(l.logType());
      }
    }
    String nodeType = s.cacheNodeType();
    if (m.cacheNodeType() != null) {
      if (m.applyImmediately()) nodeType = m.cacheNodeType();
      else g.pendingNodeType = m.cacheNodeType();
    }
    ReplicationGroupSpec next = new ReplicationGroupSpec(s.replicationGroupId(), s.description(),
        m.engine() != null ? m.engine() : s.engine(), m.engineVersion() != null ? m.engineVersion() : s.engineVersion(), nodeType,
        s.numNodeGroups(), s.replicasPerNodeGroup(), s.clusterMode(), failover, multi, s.port(), s.cacheSubnetGroupName(),
        m.securityGroupIds() != null ? List.copyOf(m.securityGroupIds()) : s.securityGroupIds(),
        m.cacheParameterGroupName() != null ? m.cacheParameterGroupName() : s.cacheParameterGroupName(),
        s.transitEncryption(), s.atRestEncryption(), s.kmsKeyId(), m.authToken() != null ? m.authToken() : s.authToken(),
        m.snapshotRetentionLimit() != null ? m.snapshotRetentionLimit() : s.snapshotRetentionLimit(),
        m.snapshotWindow() != null ? m.snapshotWindow() : s.snapshotWindow(),
        m.preferredMaintenanceWindow() != null ? m.preferredMaintenanceWindow() : s.preferredMaintenanceWindow(), s.tags());
    startModifying(g, next);
  }

  @Override
  public void increaseReplicaCount(String id, int newReplicaCount) {
    String op = "elasticache:IncreaseReplicaCount";
    call(op);
    Group g = modifiable(id, op);
    if (newReplicaCount <= g.spec.replicasPerNodeGroup() || newReplicaCount > 5) throw new AwsException(Kind.INVALID_INPUT, op, "InvalidParameterValue", "bad replica count");
    startModifying(g, withCounts(g.spec, g.spec.numNodeGroups(), newReplicaCount));
  }

  @Override
  public void decreaseReplicaCount(String id, int newReplicaCount) {
    String op = "elasticache:DecreaseReplicaCount";
    call(op);
    Group g = modifiable(id, op);
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
    if (!g.spec.clusterMode()) throw new AwsException(Kind.INVALID_INPUT, op, "InvalidParameterValue", "cluster mode required");
    if (nodeGroupCount < g.spec.numNodeGroups() && (retain == null || retain.size() != nodeGroupCount)) {
      throw new AwsException(Kind.INVALID_INPUT, op, "InvalidParameterValue", "NodeGroupsToRetain required");
    }
    startModifying(g, withCounts(g.spec, nodeGroupCount, g.spec.replicasPerNodeGroup()));
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
    return new ReplicationGroupSpec(s.replicationGroupId(), s.description(), s.engine(), s.engineVersion(), s.cacheNodeType(),
        shards, replicas, s.clusterMode(), s.automaticFailover(), s.multiAZ(), s.port(), s.cacheSubnetGroupName(),
        s.securityGroupIds(), s.cacheParameterGroupName(), s.transitEncryption(), s.atRestEncryption(), s.kmsKeyId(),
        s.authToken(), s.snapshotRetentionLimit(), s.snapshotWindow(), s.preferredMaintenanceWindow(), s.tags());
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
    Group g = groups.values().stream().filter(x -> x.arn.equals(arn)).findFirst().orElseThrow();
    Map<String, String> all = new LinkedHashMap<>(g.tags);
    keys.forEach(all::remove);
    g.tags = Map.copyOf(all);
  }

  @Override
  public Map<String, String> tagsOf(String arn) {
    call("elasticache:ListTagsForResource");
    return groups.values().stream().filter(g -> g.arn.equals(arn)).findFirst().map(g -> g.tags).orElse(Map.of());
  }

  private ObservedGroup observed(Group g) {
    ReplicationGroupInfo info = info(g);
    List<CacheClusterInfo> clusters = new ArrayList<>();
    for (String m : info.memberClusters()) {
      clusters.add(new CacheClusterInfo(m, g.spec.replicationGroupId(), g.status, g.spec.engineVersion() + ".1",
          g.spec.cacheParameterGroupName() == null ? "default." + g.spec.engine() : g.spec.cacheParameterGroupName(),
          g.spec.cacheSubnetGroupName(), g.spec.securityGroupIds().stream().sorted().toList(), g.spec.preferredMaintenanceWindow(),
          g.pendingNodeType, null));
    }
    return new ObservedGroup(info, clusters);
  }

  private ReplicationGroupInfo info(Group g) {
    ReplicationGroupSpec s = g.spec;
    List<String> members = new ArrayList<>();
    for (int shard = 1; shard <= s.numNodeGroups(); shard++) {
      for (int node = 1; node <= 1 + s.replicasPerNodeGroup(); node++) {
        members.add(s.clusterMode() ? String.format("%s-%04d-%03d", s.replicationGroupId(), shard, node)
            : String.format("%s-%03d", s.replicationGroupId(), node));
      }
    }
    boolean up = "available".equals(g.status) || "modifying".equals(g.status) || "snapshotting".equals(g.status);
    String host = s.replicationGroupId() + ".abc123.use1.cache.amazonaws.com";
    return new ReplicationGroupInfo(s.replicationGroupId(), g.arn, g.status, s.engine(), s.cacheNodeType(), s.clusterMode(),
        s.numNodeGroups(), s.replicasPerNodeGroup(), members,
        up && !s.clusterMode() ? new Endpoint("master." + host, s.port()) : null,
        up && !s.clusterMode() ? new Endpoint("replica." + host, s.port()) : null,
        up && s.clusterMode() ? new Endpoint("clustercfg." + host, s.port()) : null,
        s.automaticFailover(), s.multiAZ(), s.transitEncryption(), s.atRestEncryption(), s.authToken() != null,
        s.snapshotRetentionLimit(), s.snapshotWindow(),
        java.util.stream.IntStream.rangeClosed(1, s.numNodeGroups()).mapToObj(i -> String.format("%04d", i)).toList(), false,
        g.tokenModified, List.copyOf(g.logs.values()));
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

  // ---- Secrets Manager

  @Override
  public Optional<StoredSecret> get(String name) {
    call("secretsmanager:GetSecretValue");
    return Optional.ofNullable(secrets.get(name));
  }

  @Override
  public StoredSecret create(String name, String description, String value, Map<String, String> tags) {
    call("secretsmanager:CreateSecret");
    if (secrets.containsKey(name)) throw new AwsException(Kind.ALREADY_EXISTS, "secretsmanager:CreateSecret", "ResourceExistsException", "exists");
    StoredSecret s = new StoredSecret("arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name + "-AbCdEf", value);
    secrets.put(name, s);
    return s;
  }

  @Override
  public void delete(String name) {
    call("secretsmanager:DeleteSecret");
    secrets.remove(name);
    pendingSecrets.remove(name);
  }

  @Override
  public void putPending(String name, String value) {
    call("secretsmanager:PutSecretValue");
    if (!secrets.containsKey(name)) throw new AwsException(Kind.NOT_FOUND, "secretsmanager:PutSecretValue", "ResourceNotFoundException", "no secret");
    pendingSecrets.put(name, value);
  }

  @Override
  public Optional<String> pending(String name) {
    call("secretsmanager:GetSecretValue");
    return Optional.ofNullable(pendingSecrets.get(name));
  }

  @Override
  public void promotePending(String name) {
    call("secretsmanager:UpdateSecretVersionStage");
    String v = pendingSecrets.remove(name);
    if (v != null) secrets.put(name, new StoredSecret(secrets.get(name).arn(), v));
  }
}
