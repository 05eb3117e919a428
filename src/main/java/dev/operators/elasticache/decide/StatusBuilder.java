package dev.operators.elasticache.decide;

import dev.operators.elasticache.api.BindingStatus;
import dev.operators.elasticache.api.CostStatus;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.api.RedisCacheStatus;
import dev.operators.elasticache.aws.Endpoint;
import dev.operators.elasticache.aws.ObservedGroup;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds status in one place. Conditions Ready, Reconciling and Stalled always appear together with
 * string status; a condition's lastTransitionTime changes only when its status changes, so an
 * unchanged outcome gives an equal status (and no write).
 */
public final class StatusBuilder {
  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";

  private final RedisCache resource;
  private final RedisCacheStatus status;
  private final Instant now;

  public StatusBuilder(RedisCache resource, Instant now) {
    this.resource = resource;
    this.now = now.truncatedTo(ChronoUnit.SECONDS);
    RedisCacheStatus current = resource.getStatus() == null ? new RedisCacheStatus() : resource.getStatus();
    this.status = copy(current);
  }

  public RedisCacheStatus status() { return status; }

  public StatusBuilder ready(String message) {
    return outcome(true, false, false, "Available", message);
  }

  /** Ready, with a reason saying what AWS is doing meanwhile (Snapshotting, Modifying). */
  public StatusBuilder ready(String reason, String message) {
    return outcome(true, false, false, reason, message);
  }

  public StatusBuilder reconciling(String reason, String message) {
    return outcome(false, true, false, reason, message);
  }

  public StatusBuilder stalled(String reason, String message) {
    return outcome(false, false, true, reason, message);
  }

  private StatusBuilder outcome(boolean ready, boolean reconciling, boolean stalled, String reason, String message) {
    long gen = resource.getMetadata().getGeneration() == null ? 0 : resource.getMetadata().getGeneration();
    status.setObservedGeneration(gen);
    List<Condition> conditions = new ArrayList<>();
    conditions.add(condition(READY, ready, reason, message, gen));
    conditions.add(condition(RECONCILING, reconciling, reason, message, gen));
    conditions.add(condition(STALLED, stalled, reason, message, gen));
    status.setConditions(conditions);
    return this;
  }

  private Condition condition(String type, boolean value, String reason, String message, long gen) {
    String s = value ? "True" : "False";
    Condition previous = find(type);
    String transition = previous != null && s.equals(previous.getStatus()) && previous.getLastTransitionTime() != null
        ? previous.getLastTransitionTime() : now.toString();
    return new ConditionBuilder().withType(type).withStatus(s).withReason(reason).withMessage(message)
        .withObservedGeneration(gen).withLastTransitionTime(transition).build();
  }

  private Condition find(String type) {
    if (status.getConditions() == null) return null;
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  /** AWS ids, endpoints, engine version, members and the cost estimate (in {@code region}) from what the sweep saw. */
  public StatusBuilder observed(Desired d, ObservedGroup g, String region) {
    status.setReplicationGroupId(d.replicationGroupId());
    if (g == null) return this;
    status.setReplicationGroupArn(g.group().arn());
    status.setAwsStatus(g.group().status());
    boolean clusterMode = ClusterModeMigration.secretClusterMode(d.clusterModeTargetOrDefault(), g.group()); // as the Secret says
    Endpoint ep = ConnectionDetails.endpoint(g.group(), clusterMode);
    status.setEndpoint(ep == null ? null : ep.toString());
    Endpoint reader = g.group().readerEndpoint();
    status.setReaderEndpoint(!clusterMode && d.replicasPerShard() > 0 && reader != null ? reader.toString() : null);
    status.setClusterMode(g.group().clusterModeOrDefault());
    if (g.engineVersion() != null) status.setEngineVersion(g.engineVersion());
    if (g.group().durability() != null) status.setDurability(g.group().durability());
    if (g.group().storageEncryption() != null) status.setStorageEncryption(g.group().storageEncryption());
    status.setMembers(g.members());
    String nodeType = g.group().cacheNodeType() == null ? d.nodeType() : g.group().cacheNodeType();
    Pricing.Estimate cost = Pricing.nodes(d.engine(), region, nodeType, g.members());
    status.setEstimatedMonthlyCostUSD(cost.usd());
    status.setEstimatedMonthlyCost(new CostStatus(cost.usd(), cost.note()));
    return this;
  }

  /**
   * A serverless cache as AWS reports it: its name and ARN in replicationGroupId/Arn, endpoints,
   * engine version, and the cost estimate of {@link Pricing#serverless} (no members: AWS sizes it).
   */
  public StatusBuilder observedServerless(Desired d, dev.operators.elasticache.aws.ServerlessCacheInfo c, String region) {
    status.setReplicationGroupId(d.replicationGroupId());
    status.setMembers(null);
    Pricing.Estimate cost = Pricing.serverlessCache(d.engine(), region, d.maxDataStorageGB(), d.maxECPUPerSecond());
    status.setEstimatedMonthlyCostUSD(cost.usd());
    status.setEstimatedMonthlyCost(new CostStatus(cost.usd(), cost.note()));
    if (c == null) return this;
    status.setReplicationGroupArn(c.arn());
    status.setAwsStatus(c.status());
    status.setEndpoint(c.endpoint() == null ? null : c.endpoint().toString());
    status.setReaderEndpoint(c.readerEndpoint() == null ? null : c.readerEndpoint().toString());
    if (c.fullEngineVersion() != null) status.setEngineVersion(c.fullEngineVersion());
    return this;
  }

  public StatusBuilder pendingChanges(List<String> changes) {
    status.setPendingChanges(changes == null || changes.isEmpty() ? null : List.copyOf(changes));
    return this;
  }

  public StatusBuilder tokenRotation(String phase) { status.setTokenRotation(phase); return this; }

  public StatusBuilder tokenRotated(String at, String request) {
    status.setTokenLastRotated(at);
    status.setTokenRotationRequest(request);
    status.setTokenRotation(null);
    return this;
  }

  public StatusBuilder logGroupCreated(String name) {
    List<String> groups = status.getLogGroups() == null ? new ArrayList<>() : new ArrayList<>(status.getLogGroups());
    if (!groups.contains(name)) groups.add(name);
    groups.sort(null);
    status.setLogGroups(groups);
    return this;
  }

  /** The group's pending service updates (none: no field). */
  /** When AWS reported a token cache on its user group (null: no switch under way). */
  public StatusBuilder usersSwitchedAt(java.time.Instant at) { status.setUsersSwitchedAt(at == null ? null : at.toString()); return this; }

  /** The cache's user group (null: none). */
  public StatusBuilder userGroup(String id) { status.setUserGroupId(id); return this; }

  /** The apps' users that exist (null or empty: none). */
  public StatusBuilder users(List<dev.operators.elasticache.api.UserStatus> users) {
    status.setUsers(users == null || users.isEmpty() ? null : List.copyOf(users));
    return this;
  }

  public StatusBuilder serviceUpdates(List<dev.operators.elasticache.api.ServiceUpdateStatus> updates) {
    status.setServiceUpdates(updates == null || updates.isEmpty() ? null : List.copyOf(updates));
    return this;
  }

  public StatusBuilder alarms(int count) { status.setAlarms(count == 0 ? null : count); return this; }

  /** What Extended Support the engine version is in (null: none). */
  public StatusBuilder extendedSupport(String note) { status.setExtendedSupport(note); return this; }

  /** Ready at the current generation: its spec was checked (against AWS's engine versions too) and met. */
  public static boolean readyAtThisGeneration(RedisCache rc) {
    long gen = rc.getMetadata().getGeneration() == null ? 0 : rc.getMetadata().getGeneration();
    return isTrue(rc.getStatus(), READY) && rc.getStatus().getObservedGeneration() != null && rc.getStatus().getObservedGeneration() == gen;
  }

  /** What the group was created from (spec.restoreFrom): written once, never changed after. */
  public StatusBuilder restoredFrom(String source) {
    if (status.getRestoredFrom() == null) status.setRestoredFrom(source);
    return this;
  }

  public StatusBuilder lastChange(String change) { status.setLastChange(change); return this; }

  public StatusBuilder tlsSecretSwitchedAt(java.time.Instant at) { status.setTlsSecretSwitchedAt(at == null ? null : at.toString()); return this; }
  public StatusBuilder clusterModeSecretSwitchedAt(java.time.Instant at) { status.setClusterModeSecretSwitchedAt(at == null ? null : at.toString()); return this; }

  /** The security, subnet and parameter groups and the log groups are in line with this generation. */
  public StatusBuilder prepared(long generation) { status.setPreparedGeneration(generation); return this; }

  /** Were they, at the last reconcile of this generation? */
  public static boolean prepared(RedisCache rc) {
    long gen = rc.getMetadata().getGeneration() == null ? 0 : rc.getMetadata().getGeneration();
    return rc.getStatus() != null && rc.getStatus().getPreparedGeneration() != null && rc.getStatus().getPreparedGeneration() == gen;
  }

  public StatusBuilder securityGroup(String id) { status.setSecurityGroupId(id); return this; }
  public StatusBuilder subnetGroup(String name) { status.setSubnetGroupName(name); return this; }
  /** The subnets spec.network.subnetSelector resolved to (null: no selector). */
  public StatusBuilder network(dev.operators.elasticache.api.NetworkStatus network) { status.setNetwork(network); return this; }
  public StatusBuilder parameterGroup(String name) { status.setParameterGroupName(name); return this; }
  public StatusBuilder authSecret(String arn) { status.setAuthSecretArn(arn); return this; }
  public StatusBuilder connectionSecret(String name) { status.setConnectionSecretName(name); return this; }
  /** The Service Binding duck type: the Secret a ServiceBinding projects, named once it is complete. */
  public StatusBuilder binding(String secretName) { status.setBinding(new BindingStatus(secretName)); return this; }
  public StatusBuilder replicationGroup(String id, String arn) {
    status.setReplicationGroupId(id);
    if (arn != null) status.setReplicationGroupArn(arn);
    return this;
  }

  /** True when the built status differs from what the resource has. */
  public boolean changed() {
    return !Objects.equals(resource.getStatus(), status);
  }

  public static boolean isTrue(RedisCacheStatus s, String type) {
    return s != null && s.getConditions() != null
        && s.getConditions().stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  public static RedisCacheStatus copy(RedisCacheStatus c) {
    RedisCacheStatus s = new RedisCacheStatus();
    s.setObservedGeneration(c.getObservedGeneration());
    s.setConditions(c.getConditions() == null ? new ArrayList<>() : new ArrayList<>(c.getConditions()));
    s.setReplicationGroupId(c.getReplicationGroupId());
    s.setReplicationGroupArn(c.getReplicationGroupArn());
    s.setAwsStatus(c.getAwsStatus());
    s.setSecurityGroupId(c.getSecurityGroupId());
    s.setSubnetGroupName(c.getSubnetGroupName());
    s.setNetwork(c.getNetwork() == null ? null : new dev.operators.elasticache.api.NetworkStatus(c.getNetwork().getSubnetIds(),
        c.getNetwork().getAvailabilityZones(), c.getNetwork().getSubnetSelectorHash()));
    s.setParameterGroupName(c.getParameterGroupName());
    s.setAuthSecretArn(c.getAuthSecretArn());
    s.setConnectionSecretName(c.getConnectionSecretName());
    s.setBinding(c.getBinding() == null ? null : new BindingStatus(c.getBinding().getName()));
    s.setEndpoint(c.getEndpoint());
    s.setReaderEndpoint(c.getReaderEndpoint());
    s.setRestoredFrom(c.getRestoredFrom());
    s.setEngineVersion(c.getEngineVersion());
    s.setMembers(c.getMembers());
    s.setEstimatedMonthlyCostUSD(c.getEstimatedMonthlyCostUSD());
    s.setEstimatedMonthlyCost(c.getEstimatedMonthlyCost() == null ? null
        : new CostStatus(c.getEstimatedMonthlyCost().getUsd(), c.getEstimatedMonthlyCost().getNote()));
    s.setPendingChanges(c.getPendingChanges() == null ? null : new ArrayList<>(c.getPendingChanges()));
    s.setLastChange(c.getLastChange());
    s.setTlsSecretSwitchedAt(c.getTlsSecretSwitchedAt());
    s.setClusterModeSecretSwitchedAt(c.getClusterModeSecretSwitchedAt());
    s.setClusterMode(c.getClusterMode());
    s.setPreparedGeneration(c.getPreparedGeneration());
    s.setTokenLastRotated(c.getTokenLastRotated());
    s.setTokenRotationRequest(c.getTokenRotationRequest());
    s.setTokenRotation(c.getTokenRotation());
    s.setAlarms(c.getAlarms());
    s.setLogGroups(c.getLogGroups() == null ? null : new ArrayList<>(c.getLogGroups()));
    s.setExtendedSupport(c.getExtendedSupport());
    s.setServiceUpdates(c.getServiceUpdates() == null ? null : new ArrayList<>(c.getServiceUpdates()));
    s.setUserGroupId(c.getUserGroupId());
    s.setUsersSwitchedAt(c.getUsersSwitchedAt());
    s.setUsers(c.getUsers() == null ? null : new ArrayList<>(c.getUsers()));
    return s;
  }
}
