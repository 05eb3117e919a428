package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator observed and did. Built in one place (StatusBuilder); never holds the token. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisCacheStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Ready, Reconciling and Stalled, with string status True/False/Unknown.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Id of the ElastiCache replication group, or the name of the serverless cache (spec.serverless).")
  private String replicationGroupId;
  @JsonPropertyDescription("ARN of the ElastiCache replication group, or of the serverless cache.")
  private String replicationGroupArn;
  @JsonPropertyDescription("Status AWS reports for the replication group (creating, available, modifying, deleting, ...).")
  private String awsStatus;
  @JsonPropertyDescription("Id of the security group the operator owns.")
  private String securityGroupId;
  @JsonPropertyDescription("The cache subnet group in use.")
  private String subnetGroupName;
  @JsonPropertyDescription("With spec.network.subnetSelector: the subnets it picked, their Availability Zones, and the selector they were picked for.")
  private NetworkStatus network;
  @JsonPropertyDescription("The cache parameter group the operator owns, when parameters are set.")
  private String parameterGroupName;
  @JsonPropertyDescription("ARN of the Secrets Manager secret holding the AUTH token, when kept there.")
  private String authSecretArn;
  @JsonPropertyDescription("Name of the connection Secret.")
  private String connectionSecretName;
  @JsonPropertyDescription("Service Binding (servicebinding.io) Provisioned Service: binding.name is the connection Secret, set once the Secret is complete.")
  private BindingStatus binding;
  @JsonPropertyDescription("Where apps connect: host:port of the primary endpoint, or of the configuration endpoint in cluster mode.")
  private String endpoint;
  @JsonPropertyDescription("Reader endpoint host:port, when there are replicas and no cluster mode.")
  private String readerEndpoint;
  @JsonPropertyDescription("Engine version AWS runs, with its patch level.")
  private String engineVersion;
  @JsonPropertyDescription("Number of cache nodes (member clusters).")
  private Integer members;
  @JsonPropertyDescription("Changes the spec asks of the running replication group that are not done yet, in the order the operator makes them, plus those AWS holds for the next maintenance window.")
  private List<String> pendingChanges;
  @JsonPropertyDescription("The last change sent to AWS (generation:summary), or generation:in line with the spec once the group matches that generation. Tells drift (a difference after that) from a change AWS accepted and then rolled back.")
  private String lastChange;
  @JsonPropertyDescription("While in-transit encryption changes on a running group: when the connection Secret switched to the URL the spec goes to (AWS in preferred accepts both). AWS is asked to require TLS (or to turn it off) only after the operator's grace period from then, so apps pick up the new URL first.")
  private String tlsSecretSwitchedAt;
  @JsonPropertyDescription("While cluster mode changes on a running group: when the connection Secret switched to the endpoint and clusterMode the spec goes to (AWS in compatible serves both). AWS is asked for enabled (or disabled) only after the operator's grace period from then, so apps pick up the new endpoint first.")
  private String clusterModeSecretSwitchedAt;
  @JsonPropertyDescription("Cluster mode AWS runs the replication group in: disabled, compatible or enabled.")
  private String clusterMode;
  @JsonPropertyDescription("The generation for which the security group, the subnet group, the parameter group and the log groups are in line with the spec: a reconcile of the same generation does not describe them again (the shared sweep watches the security group's rules).")
  private Long preparedGeneration;
  @JsonPropertyDescription("When the AUTH token last finished rotating.")
  private String tokenLastRotated;
  @JsonPropertyDescription("The value of the rotate-token annotation the operator last acted on.")
  private String tokenRotationRequest;
  @JsonPropertyDescription("A token rotation under way, for people: what step it is at and until when.")
  private String tokenRotation;
  @JsonPropertyDescription("CloudWatch Logs groups the operator created for this cache; deleted with it (kept while logging to them is off, so no logs are lost).")
  private List<String> logGroups;
  @JsonPropertyDescription("Number of CloudWatch alarms the operator keeps for this cache.")
  private Integer alarms;
  @JsonPropertyDescription("What the cache's data was restored from when it was created: \"snapshot <name>\" or \"s3 <arn>[,<arn>...]\" (spec.restoreFrom). Written once, when the operator asks AWS to create the group.")
  private String restoredFrom;
  @JsonPropertyDescription("Durability AWS reports in effect (EffectiveDurability): sync, async or disabled; absent when AWS does not say.")
  private String durability;
  @JsonPropertyDescription("Encryption at rest AWS reports in effect (StorageEncryptionType): none, sse-elasticache or sse-kms; durability turns it on.")
  private String storageEncryption;
  @JsonPropertyDescription("AWS service updates not yet applied to the replication group (and one just completed, until the next look at them), by name.")
  private List<ServiceUpdateStatus> serviceUpdates;

  @JsonPropertyDescription("A running cache switching from its AUTH token to spec.users: when AWS reported the user group on the cache (its default user still takes the token). The token stops working a grace period (auth.rotation.gracePeriod) later, when the default user is swapped for a disabled one. Absent otherwise.")
  private String usersSwitchedAt;

  @JsonPropertyDescription("The cache's RBAC user group (spec.users), once the operator made it.")
  private String userGroupId;

  @JsonPropertyDescription("The apps' users the operator made (spec.users), each with its ElastiCache user id and Secret; a user removed from spec.users stays here until its user and Secret are deleted.")
  private List<UserStatus> users;
  @JsonPropertyDescription("Estimated monthly on-demand cost of the nodes in USD (730 hours), from the operator's price table; an estimate, not a bill. Kept for compatibility: the same figure as estimatedMonthlyCost.usd, which also says why it is absent.")
  private String estimatedMonthlyCostUSD;
  @JsonPropertyDescription("Estimated monthly on-demand cost of the nodes: usd (absent when unknown) and a note saying what it is made of, or why it is unknown.")
  private CostStatus estimatedMonthlyCost;
  @JsonPropertyDescription("Set while the Redis OSS version asked for is in AWS's paid Extended Support: since when, until when, and what AWS does then (dates AWS published, kept in the operator). Absent otherwise.")
  private String extendedSupport;

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public String getReplicationGroupId() { return replicationGroupId; }
  public void setReplicationGroupId(String replicationGroupId) { this.replicationGroupId = replicationGroupId; }
  public String getReplicationGroupArn() { return replicationGroupArn; }
  public void setReplicationGroupArn(String replicationGroupArn) { this.replicationGroupArn = replicationGroupArn; }
  public String getAwsStatus() { return awsStatus; }
  public void setAwsStatus(String awsStatus) { this.awsStatus = awsStatus; }
  public String getSecurityGroupId() { return securityGroupId; }
  public void setSecurityGroupId(String securityGroupId) { this.securityGroupId = securityGroupId; }
  public String getSubnetGroupName() { return subnetGroupName; }
  public void setSubnetGroupName(String subnetGroupName) { this.subnetGroupName = subnetGroupName; }
  public NetworkStatus getNetwork() { return network; }
  public void setNetwork(NetworkStatus network) { this.network = network; }
  public String getParameterGroupName() { return parameterGroupName; }
  public void setParameterGroupName(String parameterGroupName) { this.parameterGroupName = parameterGroupName; }
  public String getAuthSecretArn() { return authSecretArn; }
  public void setAuthSecretArn(String authSecretArn) { this.authSecretArn = authSecretArn; }
  public String getConnectionSecretName() { return connectionSecretName; }
  public void setConnectionSecretName(String connectionSecretName) { this.connectionSecretName = connectionSecretName; }
  public BindingStatus getBinding() { return binding; }
  public void setBinding(BindingStatus binding) { this.binding = binding; }
  public String getEndpoint() { return endpoint; }
  public void setEndpoint(String endpoint) { this.endpoint = endpoint; }
  public String getReaderEndpoint() { return readerEndpoint; }
  public void setReaderEndpoint(String readerEndpoint) { this.readerEndpoint = readerEndpoint; }
  public String getEngineVersion() { return engineVersion; }
  public void setEngineVersion(String engineVersion) { this.engineVersion = engineVersion; }
  public Integer getMembers() { return members; }
  public void setMembers(Integer members) { this.members = members; }
  public List<String> getPendingChanges() { return pendingChanges; }
  public void setPendingChanges(List<String> pendingChanges) { this.pendingChanges = pendingChanges; }
  public Long getPreparedGeneration() { return preparedGeneration; }
  public void setPreparedGeneration(Long preparedGeneration) { this.preparedGeneration = preparedGeneration; }
  public String getLastChange() { return lastChange; }
  public void setLastChange(String lastChange) { this.lastChange = lastChange; }
  public String getClusterModeSecretSwitchedAt() { return clusterModeSecretSwitchedAt; }
  public void setClusterModeSecretSwitchedAt(String clusterModeSecretSwitchedAt) { this.clusterModeSecretSwitchedAt = clusterModeSecretSwitchedAt; }
  public String getClusterMode() { return clusterMode; }
  public void setClusterMode(String clusterMode) { this.clusterMode = clusterMode; }
  public String getTlsSecretSwitchedAt() { return tlsSecretSwitchedAt; }
  public void setTlsSecretSwitchedAt(String tlsSecretSwitchedAt) { this.tlsSecretSwitchedAt = tlsSecretSwitchedAt; }
  public String getTokenLastRotated() { return tokenLastRotated; }
  public void setTokenLastRotated(String tokenLastRotated) { this.tokenLastRotated = tokenLastRotated; }
  public String getTokenRotationRequest() { return tokenRotationRequest; }
  public void setTokenRotationRequest(String tokenRotationRequest) { this.tokenRotationRequest = tokenRotationRequest; }
  public String getTokenRotation() { return tokenRotation; }
  public void setTokenRotation(String tokenRotation) { this.tokenRotation = tokenRotation; }
  public List<String> getLogGroups() { return logGroups; }
  public void setLogGroups(List<String> logGroups) { this.logGroups = logGroups; }
  public String getUsersSwitchedAt() { return usersSwitchedAt; }
  public void setUsersSwitchedAt(String usersSwitchedAt) { this.usersSwitchedAt = usersSwitchedAt; }
  public String getUserGroupId() { return userGroupId; }
  public void setUserGroupId(String userGroupId) { this.userGroupId = userGroupId; }
  public List<UserStatus> getUsers() { return users; }
  public void setUsers(List<UserStatus> users) { this.users = users; }
  public List<ServiceUpdateStatus> getServiceUpdates() { return serviceUpdates; }
  public void setServiceUpdates(List<ServiceUpdateStatus> serviceUpdates) { this.serviceUpdates = serviceUpdates; }
  public Integer getAlarms() { return alarms; }
  public void setAlarms(Integer alarms) { this.alarms = alarms; }
  public String getDurability() { return durability; }
  public void setDurability(String durability) { this.durability = durability; }
  public String getStorageEncryption() { return storageEncryption; }
  public void setStorageEncryption(String storageEncryption) { this.storageEncryption = storageEncryption; }
  public String getRestoredFrom() { return restoredFrom; }
  public void setRestoredFrom(String restoredFrom) { this.restoredFrom = restoredFrom; }
  public String getEstimatedMonthlyCostUSD() { return estimatedMonthlyCostUSD; }
  public void setEstimatedMonthlyCostUSD(String estimatedMonthlyCostUSD) { this.estimatedMonthlyCostUSD = estimatedMonthlyCostUSD; }
  public CostStatus getEstimatedMonthlyCost() { return estimatedMonthlyCost; }
  public void setEstimatedMonthlyCost(CostStatus estimatedMonthlyCost) { this.estimatedMonthlyCost = estimatedMonthlyCost; }

  public String getExtendedSupport() { return extendedSupport; }
  public void setExtendedSupport(String extendedSupport) { this.extendedSupport = extendedSupport; }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof RedisCacheStatus s)) return false;
    return Objects.equals(observedGeneration, s.observedGeneration) && Objects.equals(conditions, s.conditions)
        && Objects.equals(replicationGroupId, s.replicationGroupId) && Objects.equals(replicationGroupArn, s.replicationGroupArn)
        && Objects.equals(awsStatus, s.awsStatus) && Objects.equals(securityGroupId, s.securityGroupId)
        && Objects.equals(subnetGroupName, s.subnetGroupName) && Objects.equals(network, s.network) && Objects.equals(parameterGroupName, s.parameterGroupName)
        && Objects.equals(authSecretArn, s.authSecretArn) && Objects.equals(connectionSecretName, s.connectionSecretName)
        && Objects.equals(binding, s.binding)
        && Objects.equals(endpoint, s.endpoint) && Objects.equals(readerEndpoint, s.readerEndpoint)
        && Objects.equals(engineVersion, s.engineVersion) && Objects.equals(members, s.members)
        && Objects.equals(estimatedMonthlyCostUSD, s.estimatedMonthlyCostUSD)
        && Objects.equals(estimatedMonthlyCost, s.estimatedMonthlyCost)
        && Objects.equals(pendingChanges, s.pendingChanges) && Objects.equals(lastChange, s.lastChange)
        && Objects.equals(tlsSecretSwitchedAt, s.tlsSecretSwitchedAt)
        && Objects.equals(clusterModeSecretSwitchedAt, s.clusterModeSecretSwitchedAt) && Objects.equals(clusterMode, s.clusterMode)
        && Objects.equals(preparedGeneration, s.preparedGeneration)
        && Objects.equals(tokenLastRotated, s.tokenLastRotated) && Objects.equals(tokenRotationRequest, s.tokenRotationRequest)
        && Objects.equals(tokenRotation, s.tokenRotation) && Objects.equals(alarms, s.alarms)
        && Objects.equals(logGroups, s.logGroups) && Objects.equals(extendedSupport, s.extendedSupport)
        && Objects.equals(restoredFrom, s.restoredFrom)
        && Objects.equals(durability, s.durability) && Objects.equals(storageEncryption, s.storageEncryption)
        && Objects.equals(serviceUpdates, s.serviceUpdates)
        && Objects.equals(userGroupId, s.userGroupId) && Objects.equals(users, s.users)
        && Objects.equals(usersSwitchedAt, s.usersSwitchedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, conditions, replicationGroupId, endpoint, awsStatus);
  }
}
