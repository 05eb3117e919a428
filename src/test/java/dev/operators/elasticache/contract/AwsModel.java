package dev.operators.elasticache.contract;

import dev.operators.elasticache.aws.Ec2Port;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.aws.SecretsPort;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A model of AWS the contract runs against: the operator's three ports plus the contract's control
 * calls (/work/contract-spec.md). Both models are configured so that every AWS state transition
 * (creating, modifying, deleting, snapshotting) lasts {@link #unit()}.
 */
public interface AwsModel extends AutoCloseable {
  Ec2Port ec2();

  ElastiCachePort elastiCache();

  SecretsPort secrets();

  /** How long each state transition takes in this model. */
  Duration unit();

  /** AWS's time now (the emulator's events are stamped to the second: a second earlier). */
  java.time.Instant now();

  /** Lets AWS time pass: the fake advances its clock, the emulator sleeps. */
  void pass(Duration d);

  /** Two subnets of one VPC (for a subnet group). */
  List<String> subnets();

  /** The VPC of {@link #subnets()}. */
  String vpc();

  /** Another VPC, to make security groups the subnet group's VPC does not hold. */
  String otherVpc();

  /** EC2 CreateSubnet with tags (a TagSpecification): a new subnet of the VPC ({@link #vpc()} or {@link #otherVpc()}) in the zone; its id. */
  String createSubnet(String vpcId, String availabilityZone, java.util.Map<String, String> tags);

  /** The ports of another AWS account and region, with two subnets of a VPC there. */
  record OtherAccount(Ec2Port ec2, ElastiCachePort elastiCache, List<String> subnets) {}

  /**
   * E63: another account and region, as the operator reaches one (spec.account): the emulator
   * through a role made there and assumed (STS AssumeRole, E61), the fake as another FakeAws on
   * the same clock.
   */
  OtherAccount otherAccount(String accountId, String region);

  /** B1: the backup window comes now. */
  void startBackup(String replicationGroupId);

  /** B4: the maintenance window comes now; the deferred fields applied. */
  List<String> reachMaintenanceWindow(String replicationGroupId);

  /** B2: the next create is accepted, then ends in create-failed with this reason. */
  void failNextCreate(String message);

  /** B8 */
  void insufficientCapacity(Set<String> nodeTypes);

  /** B8 */
  void maxNodes(int nodes);

  /** B8 */
  void maxGroups(int groups);

  /** E32: serverless caches per account and region. */
  void maxServerlessCaches(int caches);

  /** B7 */
  void eniRelease(Duration d);

  /** B6 */
  void secretDeletion(Duration d);

  /**
   * TestFailover of one node group (not a port call: the operator never fails a group over). AWS's
   * refusals surface as {@link dev.operators.elasticache.aws.AwsException}s.
   */
  void failover(String replicationGroupId, String nodeGroupId);

  /** E27: an object ElastiCache can read in S3 (for SnapshotArns). */
  void putS3Object(String bucket, String key);

  /** E27: what the group was seeded from: "snapshot NAME", "s3 ARN[,ARN...]", or null. */
  String restoredFrom(String replicationGroupId);

  /** E58: the ARNs the serverless cache was created from (its SnapshotArnsToRestore). */
  List<String> serverlessRestoredFrom(String name);

  /** E28: AWS publishes a service update for every group of the engine. */
  void publishServiceUpdate(String name, String engine, String severity, java.time.Instant recommendedApplyBy);

  /**
   * BatchStopUpdateAction (not a port call: the operator never stops an update): the groups whose
   * action of the update AWS stopped.
   */
  List<String> stopServiceUpdate(String name, List<String> replicationGroupIds);

  /** KMS (DescribeKey), for the check before a cache is encrypted with a customer managed key. */
  dev.operators.elasticache.aws.KmsPort kms();

  /** A new symmetric customer managed key (KMS CreateKey); its id. */
  String createKmsKey();

  /** KMS DisableKey. */
  void disableKmsKey(String keyId);

  /** Two subnets of {@link #vpc()} with an IPv4 and an IPv6 CIDR block each (dual-stack). */
  List<String> dualStackSubnets();

  /** The AUTH tokens the group accepts now. */
  List<String> acceptedTokens(String replicationGroupId);

  /** E71: the token is optional now: a client without one is let in too (after RemoveUserGroups + ROTATE, until SET). */
  boolean tokenOptional(String replicationGroupId);

  /** The RBAC users the group's data plane accepts now (enabled members of its user group): user name to passwords. */
  java.util.Map<String, List<String>> acceptedUsers(String replicationGroupId);

  /** E66: the users a serverless cache's data plane accepts now (its user group's enabled users; none without a group). */
  java.util.Map<String, List<String>> acceptedServerlessUsers(String name);

  /** How long users and user groups stay creating / modifying / deleting (the emulator's userSeconds). */
  void userTime(Duration d);

  @Override
  default void close() {}
}
