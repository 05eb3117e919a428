package dev.operators.elasticache.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.AwsException.Kind;
import dev.operators.elasticache.aws.CacheClusterInfo;
import dev.operators.elasticache.aws.CacheEvent;
import dev.operators.elasticache.aws.EngineVersionInfo;
import dev.operators.elasticache.aws.ModifyRequest;
import dev.operators.elasticache.aws.ObservedGroup;
import dev.operators.elasticache.aws.ReplicationGroupInfo;
import dev.operators.elasticache.aws.ReplicationGroupSpec;
import dev.operators.elasticache.aws.ReplicationGroupSpecBuilder;
import dev.operators.elasticache.aws.ServerlessCacheChange;
import dev.operators.elasticache.aws.ServerlessCacheInfo;
import dev.operators.elasticache.aws.ServerlessCacheSpec;
import dev.operators.elasticache.aws.UpdateAction;
import dev.operators.elasticache.aws.UserGroupInfo;
import dev.operators.elasticache.aws.UserInfo;
import dev.operators.elasticache.aws.UserSpec;
import dev.operators.elasticache.decide.AuthTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The AWS contract (/work/contract-spec.md, B1..B9): scenarios that go only through the operator's
 * ports plus the contract's control calls, run on every model of AWS (the Java fake, the emulator
 * through the real SDK adapters). A scenario failing on one model only is a gap in that model.
 *
 * <p>Where the contract and AWS's documentation differ, the scenarios follow AWS's documentation:
 * a group quota is {@code ClusterQuotaForCustomerExceeded} (CreateReplicationGroup's errors list no
 * {@code ReplicationGroupQuotaExceeded}); {@code SET} is "allowed only after ROTATE" and
 * {@code DELETE} "allowed only when transitioning to RBAC" (AuthTokenUpdateStrategy).
 */
abstract class AwsContract {
  static final String SMALL = "cache.t4g.small";
  static final String MEDIUM = "cache.t4g.medium";
  static final String LARGE = "cache.r7g.large";

  AwsModel aws;
  String subnetGroup;
  Instant start;

  /** A fresh model (nothing in it but the network of {@link AwsModel#subnets()}). */
  protected abstract AwsModel model();

  @BeforeEach
  void setUp() {
    aws = model();
    subnetGroup = "rc-contract-" + Long.toHexString(System.nanoTime());
    aws.elastiCache().createSubnetGroup(subnetGroup, "contract", aws.subnets(), Map.of());
    start = now();
  }

  @AfterEach
  void tearDown() {
    if (aws != null) aws.close();
  }

  // ---------------------------------------------------------------------------------------------
  // Accounts and regions (E63): what one account and region holds, another does not see

  @Test
  void accountsAndRegionsAreApartAndEachMayUseTheSameNames() {
    AwsModel.OtherAccount other = aws.otherAccount("222222222222", "eu-west-1");
    other.elastiCache().createSubnetGroup(subnetGroup, "contract", other.subnets(), Map.of()); // the same name as this account's
    other.elastiCache().createReplicationGroup(spec("rc-acct", SMALL, 0));
    ReplicationGroupInfo there = other.elastiCache().describeReplicationGroup("rc-acct").orElseThrow().group();
    assertThat(there.arn()).isEqualTo("arn:aws:elasticache:eu-west-1:222222222222:replicationgroup:rc-acct");
    assertThat(group("rc-acct")).as("not in the operator's own account").isEmpty();
    assertThat(aws.elastiCache().describeGroups()).doesNotContainKey("rc-acct");

    aws.elastiCache().createReplicationGroup(spec("rc-acct", SMALL, 0)); // the same id here: no conflict
    assertThat(group("rc-acct").orElseThrow().group().arn()).doesNotContain("222222222222");
    assertThat(other.elastiCache().describeGroups()).containsOnlyKeys("rc-acct");
    assertThat(other.elastiCache().describeReplicationGroup("rc-acct").orElseThrow().group().arn()).isEqualTo(there.arn());
  }

  // ---------------------------------------------------------------------------------------------
  // States over time (B1, B2, B3)

  @Test
  void createdGroupIsCreatingThenAvailableWithEndpointsAndAnEvent() {
    aws.elastiCache().createReplicationGroup(spec("rc-c1", SMALL, 1));
    ReplicationGroupInfo creating = group("rc-c1").orElseThrow().group();
    assertThat(creating.status()).isEqualTo("creating");
    assertThat(creating.primaryEndpoint()).isNull();

    ReplicationGroupInfo up = await("rc-c1", g -> g != null && g.group().available()).group();
    assertThat(up.primaryEndpoint()).isNotNull();
    assertThat(eventsOf("rc-c1")).isNotEmpty();
  }

  @Test
  void modificationIsModifyingThenAvailableWithTheNewValue() {
    available("rc-m1", SMALL, 1);
    aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-m1", true).withSnapshotRetentionLimit(5));
    assertThat(group("rc-m1").orElseThrow().group().status()).isEqualTo("modifying");
    ReplicationGroupInfo done = await("rc-m1", g -> g.group().available()).group();
    assertThat(done.snapshotRetentionLimit()).isEqualTo(5);
  }

  @Test
  void snapshottingRefusesChangesKeepsEndpointsAndEnds() {
    available("rc-s1", SMALL, 1);
    aws.elastiCache().createSnapshot("rc-s1", "rc-s1-manual-1");
    ReplicationGroupInfo snap = group("rc-s1").orElseThrow().group();
    assertThat(snap.status()).isEqualTo("snapshotting");
    assertThat(snap.primaryEndpoint()).isNotNull();

    for (Runnable refused : List.<Runnable>of(
        () -> aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-s1", true).withSnapshotRetentionLimit(3)),
        () -> aws.elastiCache().increaseReplicaCount("rc-s1", 2),
        () -> aws.elastiCache().decreaseReplicaCount("rc-s1", 0),
        () -> aws.elastiCache().deleteReplicationGroup("rc-s1", null),
        () -> aws.elastiCache().createSnapshot("rc-s1", "rc-s1-manual-2"))) {
      AwsException e = awsError(refused);
      assertThat(e.code()).isEqualTo("InvalidReplicationGroupState");
      assertThat(e.kind()).isEqualTo(Kind.BUSY);
    }
    await("rc-s1", g -> g.group().available());
    assertThat(eventsOf("rc-s1")).anyMatch(e -> e.message().contains("rc-s1-manual-1"));
  }

  @Test
  void backupWindowSnapshotsLikeCreateSnapshot() {
    awaitAvailable(withRetention(spec("rc-s2", SMALL, 0), 1));
    aws.startBackup("rc-s2");
    assertThat(group("rc-s2").orElseThrow().group().status()).isEqualTo("snapshotting");
    AwsException e = awsError(() -> aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-s2", true).withSnapshotRetentionLimit(3)));
    assertThat(e.code()).isEqualTo("InvalidReplicationGroupState");
    await("rc-s2", g -> g.group().available());

    // "If the value of SnapshotRetentionLimit is set to zero (0), backups are turned off": no backup window
    available("rc-s3", SMALL, 0);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> aws.startBackup("rc-s3")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void failedCreateEndsInCreateFailedWithTheReasonInEventsAndCanOnlyBeDeleted() {
    String reason = "insufficient capacity for cache node type " + LARGE;
    aws.failNextCreate(reason);
    aws.elastiCache().createReplicationGroup(spec("rc-f1", LARGE, 0));
    assertThat(group("rc-f1").orElseThrow().group().status()).isEqualTo("creating");

    ReplicationGroupInfo failed = await("rc-f1", g -> g.group().status().equals("create-failed")).group();
    assertThat(failed.primaryEndpoint()).isNull();
    assertThat(failed.configurationEndpoint()).isNull();
    assertThat(eventsOf("rc-f1")).anyMatch(e -> e.message().contains(reason));

    AwsException modify = awsError(() -> aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-f1", true).withSnapshotRetentionLimit(3)));
    assertThat(modify.code()).isEqualTo("InvalidReplicationGroupState");

    aws.elastiCache().deleteReplicationGroup("rc-f1", null);
    assertThat(group("rc-f1").orElseThrow().group().status()).isEqualTo("deleting");
    await("rc-f1", g -> g == null);
  }

  @Test
  void deletedGroupIsDeletingThenGoneWithAnEvent() {
    available("rc-d1", SMALL, 0);
    int before = eventsOf("rc-d1").size();
    aws.elastiCache().deleteReplicationGroup("rc-d1", null);
    assertThat(group("rc-d1").orElseThrow().group().deleting()).isTrue();
    await("rc-d1", g -> g == null);
    assertThat(eventsOf("rc-d1")).hasSizeGreaterThan(before);
  }

  @Test
  void eventsAreNewestFirstAndOnlySinceTheGivenTime() {
    available("rc-e1", SMALL, 0);
    aws.pass(aws.unit().multipliedBy(3));
    Instant later = now();
    available("rc-e2", SMALL, 0);
    List<CacheEvent> all = aws.elastiCache().describeEvents(null, start);
    assertThat(all).extracting(CacheEvent::sourceType).containsOnly("replication-group");
    for (int i = 1; i < all.size(); i++) assertThat(all.get(i - 1).date()).isAfterOrEqualTo(all.get(i).date());
    assertThat(aws.elastiCache().describeEvents(null, later)).noneMatch(e -> e.sourceId().equals("rc-e1"));
    assertThat(aws.elastiCache().describeEvents(null, later)).anyMatch(e -> e.sourceId().equals("rc-e2"));
  }

  // ---------------------------------------------------------------------------------------------
  // Deferred changes (B4)

  @Test
  void deferredNodeTypeChangeIsPendingUntilTheMaintenanceWindow() {
    available("rc-p1", SMALL, 1);
    aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-p1", false).withCacheNodeType(MEDIUM));
    ObservedGroup g = group("rc-p1").orElseThrow();
    assertThat(g.group().status()).isEqualTo("available");
    assertThat(g.group().cacheNodeType()).isEqualTo(SMALL);
    assertThat(g.clusters()).extracting(CacheClusterInfo::pendingCacheNodeType).containsOnly(MEDIUM);

    aws.pass(aws.unit().multipliedBy(3));
    assertThat(group("rc-p1").orElseThrow().group().cacheNodeType()).isEqualTo(SMALL);

    Instant before = now();
    assertThat(aws.reachMaintenanceWindow("rc-p1")).contains("CacheNodeType");
    assertThat(group("rc-p1").orElseThrow().group().status()).isEqualTo("modifying");
    ObservedGroup done = await("rc-p1", x -> x.group().available());
    assertThat(done.group().cacheNodeType()).isEqualTo(MEDIUM);
    assertThat(done.clusters()).extracting(CacheClusterInfo::pendingCacheNodeType).containsOnlyNulls();
    assertThat(aws.elastiCache().describeEvents(null, before)).anyMatch(e -> e.sourceId().equals("rc-p1"));
  }

  @Test
  void deferredEngineVersionIsPendingOnTheClusters() {
    available("rc-p2", SMALL, 0);
    aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-p2", false).engine(null, "8.1"));
    ObservedGroup g = group("rc-p2").orElseThrow();
    assertThat(g.group().status()).isEqualTo("available");
    assertThat(g.clusters()).allMatch(c -> c.engineVersion().startsWith("8.0") && c.pendingEngineVersion().startsWith("8.1"));
    assertThat(aws.reachMaintenanceWindow("rc-p2")).contains("EngineVersion");
    ObservedGroup done = await("rc-p2", x -> x.group().available());
    assertThat(done.clusters()).allMatch(c -> c.engineVersion().startsWith("8.1") && c.pendingEngineVersion() == null);
  }

  @Test
  void fieldsAwsAppliesAtOnceAreAppliedWithoutApplyImmediately() {
    available("rc-p3", SMALL, 0);
    aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-p3", false).withSnapshotRetentionLimit(4).withSnapshotWindow("02:00-03:00"));
    ReplicationGroupInfo done = await("rc-p3", g -> g.group().available()).group();
    assertThat(done.snapshotRetentionLimit()).isEqualTo(4);
    assertThat(done.snapshotWindow()).isEqualTo("02:00-03:00");
  }

  @Test
  void applyImmediatelyAppliesTheRequestAndWhatWasPending() {
    available("rc-p4", SMALL, 1);
    aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-p4", false).withCacheNodeType(MEDIUM));
    aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-p4", true).withSnapshotRetentionLimit(2));
    ObservedGroup done = await("rc-p4", g -> g.group().available());
    assertThat(done.group().cacheNodeType()).isEqualTo(MEDIUM);
    assertThat(done.group().snapshotRetentionLimit()).isEqualTo(2);
    assertThat(done.clusters()).extracting(CacheClusterInfo::pendingCacheNodeType).containsOnlyNulls();
  }

  @Test
  void aLaterImmediateChangeOfTheSameFieldReplacesThePendingOne() {
    available("rc-p5", SMALL, 1);
    aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-p5", false).withCacheNodeType(MEDIUM));
    aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-p5", true).withCacheNodeType(LARGE));
    ObservedGroup done = await("rc-p5", g -> g.group().available());
    assertThat(done.group().cacheNodeType()).isEqualTo(LARGE);
    assertThat(aws.reachMaintenanceWindow("rc-p5")).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // AUTH token strategies (B5)

  @Test
  void rotateAcceptsOnlyTheOldTokenWhileModifyingThenBothThenSetLeavesTheNewOne() {
    String old = AuthTokens.generate();
    String fresh = AuthTokens.generate();
    Instant created = awaitAvailable(tokenSpec("rc-t1", old)).group().authTokenLastModified();
    assertThat(aws.acceptedTokens("rc-t1")).containsExactly(old);

    aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-t1", true).token(fresh, "ROTATE"));
    ReplicationGroupInfo rotating = group("rc-t1").orElseThrow().group();
    assertThat(rotating.status()).isEqualTo("modifying");
    assertThat(rotating.pendingChanges()).isTrue();
    assertThat(aws.acceptedTokens("rc-t1")).containsExactly(old);
    assertThat(rotating.authTokenLastModified()).isEqualTo(created);

    ReplicationGroupInfo rotated = await("rc-t1", g -> g.group().available()).group();
    assertThat(aws.acceptedTokens("rc-t1")).containsExactlyInAnyOrder(old, fresh);
    assertThat(rotated.authTokenEnabled()).isTrue();
    assertThat(rotated.pendingChanges()).isFalse();
    assertThat(rotated.authTokenLastModified()).isAfter(created);

    aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-t1", true).token(fresh, "SET"));
    assertThat(group("rc-t1").orElseThrow().group().status()).isEqualTo("modifying");
    assertThat(aws.acceptedTokens("rc-t1")).containsExactlyInAnyOrder(old, fresh);
    ReplicationGroupInfo set = await("rc-t1", g -> g.group().available()).group();
    assertThat(aws.acceptedTokens("rc-t1")).containsExactly(fresh);
    assertThat(set.authTokenLastModified()).isAfter(rotated.authTokenLastModified());
  }

  @Test
  void setWithoutAPreviousRotateIsRefused() {
    awaitAvailable(tokenSpec("rc-t2", AuthTokens.generate()));
    AwsException e = awsError(() -> aws.elastiCache().modifyReplicationGroup(
        ModifyRequest.of("rc-t2", true).token(AuthTokens.generate(), "SET")));
    assertThat(e.code()).isEqualTo("InvalidParameterCombination");
    assertThat(e.kind()).isEqualTo(Kind.INVALID_INPUT);
  }

  @Test
  void deleteStrategyWithoutMovingToRbacIsRefused() {
    String token = AuthTokens.generate();
    awaitAvailable(tokenSpec("rc-t3", token));
    AwsException e = awsError(() -> aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-t3", true).token(null, "DELETE")));
    assertThat(e.code()).isEqualTo("InvalidParameterCombination");
    assertThat(e.kind()).isEqualTo(Kind.INVALID_INPUT);
    assertThat(aws.acceptedTokens("rc-t3")).containsExactly(token);
  }

  // ---------------------------------------------------------------------------------------------
  // Secrets Manager's asynchronous deletion (B6)

  @Test
  void forceDeletedSecretKeepsItsNameUntilTheDeletionCompletesAndCannotBeRestored() {
    aws.secretDeletion(aws.unit().multipliedBy(3));
    String name = "rediscache/default/team-a/orders/auth";
    aws.secrets().create(name, "token", "value-1", Map.of("k", "v"));
    aws.secrets().delete(name);

    AwsException get = awsError(() -> aws.secrets().get(name));
    assertThat(get.code()).isEqualTo("InvalidRequestException");
    assertThat(get.awsMessage()).contains("marked for deletion");
    AwsException create = awsError(() -> aws.secrets().create(name, "token", "value-2", Map.of()));
    assertThat(create.code()).isEqualTo("InvalidRequestException");
    assertThat(create.awsMessage()).contains("scheduled for deletion");
    // ForceDeleteWithoutRecovery: "you have no opportunity to recover the secret" (DeleteSecret)
    AwsException restore = awsError(() -> aws.secrets().restore(name));
    assertThat(restore.code()).isEqualTo("InvalidRequestException");
    // deleting it again is no error ("does not return ResourceNotFoundException")
    aws.secrets().delete(name);

    aws.pass(aws.unit().multipliedBy(4));
    assertThat(aws.secrets().get(name)).isEmpty();
    assertThat(aws.secrets().create(name, "token", "value-3", Map.of()).value()).isEqualTo("value-3");
    assertThat(aws.secrets().get(name).orElseThrow().value()).isEqualTo("value-3");
  }

  @Test
  void restoringASecretThatDoesNotExistIsNotFound() {
    AwsException e = awsError(() -> aws.secrets().restore("rediscache/default/none/none/auth"));
    assertThat(e.code()).isEqualTo("ResourceNotFoundException");
    assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
  }

  // ---------------------------------------------------------------------------------------------
  // Lingering network interfaces (B7)

  @Test
  void securityGroupStaysInUseForTheEniReleaseTimeAfterTheGroupIsGone() {
    aws.eniRelease(aws.unit().multipliedBy(4));
    String sg = aws.ec2().createSecurityGroup(aws.vpc(), "rc-eni", "contract", Map.of("contract", "yes"));
    ReplicationGroupSpec s = spec("rc-n1", SMALL, 0);
    awaitAvailable(withSecurityGroups(s, List.of(sg)));
    aws.elastiCache().deleteReplicationGroup("rc-n1", null);
    await("rc-n1", g -> g == null);

    AwsException e = awsError(() -> aws.ec2().deleteSecurityGroup(sg));
    assertThat(e.code()).isEqualTo("DependencyViolation");
    assertThat(e.kind()).isEqualTo(Kind.BUSY);

    aws.pass(aws.unit().multipliedBy(5));
    aws.ec2().deleteSecurityGroup(sg);
    assertThat(aws.ec2().findSecurityGroup(aws.vpc(), "rc-eni")).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Capacity and quotas (B8)

  @Test
  void insufficientCapacityRefusesCreateAndNodeTypeChange() {
    aws.insufficientCapacity(Set.of(LARGE));
    AwsException create = awsError(() -> aws.elastiCache().createReplicationGroup(spec("rc-q1", LARGE, 0)));
    assertThat(create.code()).isEqualTo("InsufficientCacheClusterCapacity");
    assertThat(create.kind()).isEqualTo(Kind.CAPACITY);
    assertThat(group("rc-q1")).isEmpty();

    available("rc-q2", SMALL, 0);
    AwsException modify = awsError(() -> aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-q2", true).withCacheNodeType(LARGE)));
    assertThat(modify.code()).isEqualTo("InsufficientCacheClusterCapacity");
    assertThat(group("rc-q2").orElseThrow().group().status()).isEqualTo("available");
  }

  @Test
  void nodeQuotaRefusesCreateAndReplicaIncrease() {
    aws.maxNodes(3);
    available("rc-q3", SMALL, 1);
    AwsException create = awsError(() -> aws.elastiCache().createReplicationGroup(spec("rc-q4", SMALL, 1)));
    assertThat(create.code()).isEqualTo("NodeQuotaForCustomerExceeded");
    assertThat(create.kind()).isEqualTo(Kind.CAPACITY);

    AwsException increase = awsError(() -> aws.elastiCache().increaseReplicaCount("rc-q3", 3));
    assertThat(increase.code()).isEqualTo("NodeQuotaForCustomerExceeded");
    assertThat(group("rc-q3").orElseThrow().group().status()).isEqualTo("available");
  }

  @Test
  void groupQuotaRefusesCreate() {
    aws.maxGroups(1);
    available("rc-q5", SMALL, 0);
    AwsException create = awsError(() -> aws.elastiCache().createReplicationGroup(spec("rc-q6", SMALL, 0)));
    assertThat(create.code()).isEqualTo("ClusterQuotaForCustomerExceeded");
    assertThat(create.kind()).isEqualTo(Kind.CAPACITY);
  }

  // ---------------------------------------------------------------------------------------------
  // What AWS accepts (B9)

  @Test
  void unknownEngineVersionIsRefusedOnCreateAndModify() {
    AwsException create = awsError(() -> aws.elastiCache().createReplicationGroup(withVersion(spec("rc-v1", SMALL, 0), "7.9")));
    assertThat(create.code()).isEqualTo("InvalidParameterCombination");
    assertThat(create.kind()).isEqualTo(Kind.INVALID_INPUT);

    available("rc-v2", SMALL, 0);
    AwsException modify = awsError(() -> aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-v2", true).engine(null, "8.9")));
    assertThat(modify.code()).isEqualTo("InvalidParameterCombination");
  }

  /** E26: the engine catalogue the operator takes its versions and families from; each listed version is accepted. */
  @Test
  void engineCatalogueListsBothEnginesWithTheirFamilies() {
    List<EngineVersionInfo> offered = aws.elastiCache().describeEngineVersions();
    assertThat(offered).extracting(v -> v.engine() + " " + v.version() + " " + v.family()).containsExactlyInAnyOrder(
        "valkey 7.2 valkey7", "valkey 8.0 valkey8", "valkey 8.1 valkey8", "valkey 8.2 valkey8", "valkey 9.0 valkey9",
        "valkey 9.1 valkey9", "redis 4.0.10 redis4.0", "redis 5.0.6 redis5.0", "redis 6.0 redis6.x", "redis 6.2 redis6.x",
        "redis 7.0 redis7", "redis 7.1 redis7");
    int i = 0;
    for (EngineVersionInfo v : offered) {
      ReplicationGroupSpec s = withVersion(spec("rc-e" + i++, SMALL, 0), v.version()).withEngine(v.engine());
      aws.elastiCache().createReplicationGroup(s);
    }
    aws.elastiCache().createParameterGroup("rc-pg9", "valkey9", "contract", Map.of());
    aws.elastiCache().modifyParameterGroup("rc-pg9", Map.of("maxmemory-policy", "allkeys-lru"));
  }

  @Test
  void onlyNodeTypesAwsOffersForNewClustersAreAccepted() {
    // API reference, CacheNode: previous generation types are "still supported" on existing clusters,
    // but "creation of new clusters is not supported for these types"; an unknown name is refused.
    for (String nodeType : List.of("cache.m3.medium", "cache.x9.large")) {
      AwsException create = awsError(() -> aws.elastiCache().createReplicationGroup(spec("rc-n1", nodeType, 0)));
      assertThat(create.code()).isEqualTo("InvalidParameterValue");
      assertThat(create.kind()).isEqualTo(Kind.INVALID_INPUT);
    }
    assertThat(group("rc-n1")).isEmpty();
    available("rc-n2", "cache.m7g.16xlarge", 0);
    AwsException modify = awsError(() -> aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-n2", true).withCacheNodeType("cache.r3.large")));
    assertThat(modify.code()).isEqualTo("InvalidParameterValue");
  }

  @Test
  void unknownParameterNameIsRefused() {
    aws.elastiCache().createParameterGroup("rc-pg1", "valkey8", "contract", Map.of());
    AwsException e = awsError(() -> aws.elastiCache().modifyParameterGroup("rc-pg1", Map.of("no-such-parameter", "1")));
    assertThat(e.code()).isEqualTo("InvalidParameterValue");
    assertThat(e.kind()).isEqualTo(Kind.INVALID_INPUT);
    aws.elastiCache().modifyParameterGroup("rc-pg1", Map.of("maxmemory-policy", "allkeys-lru"));
    assertThat(aws.elastiCache().userParameters("rc-pg1")).containsEntry("maxmemory-policy", "allkeys-lru");
  }

  @Test
  void securityGroupOutsideTheSubnetGroupsVpcIsRefused() {
    String elsewhere = aws.ec2().createSecurityGroup(aws.otherVpc(), "rc-elsewhere", "contract", Map.of("contract", "yes"));
    AwsException e = awsError(() -> aws.elastiCache().createReplicationGroup(withSecurityGroups(spec("rc-v3", SMALL, 0), List.of(elsewhere))));
    // as AWS answers it (users report "InvalidParameterCombination: Subnet group [...] belongs to a different VPC [...]")
    assertThat(e.code()).isEqualTo("InvalidParameterCombination");
    assertThat(e.kind()).isEqualTo(Kind.INVALID_INPUT);
  }

  // ---------------------------------------------------------------------------------------------
  // TestFailover (emulator E24; API reference TestFailover, user guide "Testing automatic failover")

  @Test
  void failoverIsRefusedWithoutAutomaticFailoverOrAnAvailableGroup() {
    AwsException unknown = awsError(() -> aws.failover("rc-fo0", "0001"));
    assertThat(unknown.code()).isEqualTo("ReplicationGroupNotFoundFault");
    assertThat(unknown.kind()).isEqualTo(Kind.NOT_FOUND);

    available("rc-fo1", SMALL, 1); // a replica, but AutomaticFailoverEnabled=false
    AwsException disabled = awsError(() -> aws.failover("rc-fo1", "0001"));
    assertThat(disabled.code()).isEqualTo("InvalidParameterCombination");
    assertThat(disabled.kind()).isEqualTo(Kind.INVALID_INPUT);

    aws.elastiCache().createReplicationGroup(withFailover(spec("rc-fo2", SMALL, 1)));
    AwsException creating = awsError(() -> aws.failover("rc-fo2", "0001"));
    assertThat(creating.code()).isEqualTo("InvalidReplicationGroupState");
    assertThat(creating.kind()).isEqualTo(Kind.BUSY);
    await("rc-fo2", g -> g.group().available());
    AwsException noSuchShard = awsError(() -> aws.failover("rc-fo2", "0002"));
    assertThat(noSuchShard.code()).isEqualTo("NodeGroupNotFoundFault");
    assertThat(noSuchShard.kind()).isEqualTo(Kind.NOT_FOUND);
    assertThat(aws.elastiCache().describeEvents(null, start)).noneMatch(e -> e.message().startsWith("Test Failover"));
  }

  // ---------------------------------------------------------------------------------------------
  // Service updates (emulator E28: DescribeUpdateActions, BatchApplyUpdateAction, BatchStopUpdateAction)

  @Test
  void serviceUpdateHasActionsForGroupsOfItsEngineAndApplyingCompletesThem() {
    available("rc-su1", SMALL, 0); // valkey
    awaitAvailable(spec("rc-su2", SMALL, 0).withEngine("redis").withEngineVersion("7.1"));
    Instant applyBy = Instant.parse("2027-01-31T00:00:00Z");
    aws.publishServiceUpdate("su-valkey-1", "valkey", "critical", applyBy);

    List<UpdateAction> pending = aws.elastiCache().sweepUpdateActions();
    assertThat(pending).extracting(UpdateAction::replicationGroupId, UpdateAction::serviceUpdateName, UpdateAction::severity,
        UpdateAction::type, UpdateAction::status).containsExactly(tuple("rc-su1", "su-valkey-1", "critical", "security-update", "not-applied"));
    assertThat(pending.get(0).recommendedApplyByDate()).isEqualTo(applyBy);
    assertThat(pending.get(0).releaseDate()).isNotNull();

    // the redis group is not concerned: AWS leaves it out of the processed ones
    assertThat(aws.elastiCache().applyServiceUpdate("su-valkey-1", List.of("rc-su1", "rc-su2"))).containsExactly(entry("rc-su1", "in-progress"));
    assertThat(group("rc-su1").orElseThrow().group().status()).isEqualTo("modifying");
    assertThat(aws.elastiCache().sweepUpdateActions()).extracting(UpdateAction::status).containsExactly("in-progress");
    assertThat(aws.elastiCache().applyServiceUpdate("su-valkey-1", List.of("rc-su1"))).as("already under way").isEmpty();

    await("rc-su1", g -> g.group().available());
    assertThat(aws.elastiCache().sweepUpdateActions()).as("nothing pending once complete").isEmpty();
    assertThat(aws.elastiCache().sweepUpdateActions("su-valkey-1", List.of("rc-su1", "rc-su2")))
        .extracting(UpdateAction::replicationGroupId, UpdateAction::status).containsExactly(tuple("rc-su1", "complete"));
    AwsException unknown = awsError(() -> aws.elastiCache().applyServiceUpdate("no-such-update", List.of("rc-su1")));
    assertThat(unknown.code()).isEqualTo("ServiceUpdateNotFoundFault");
    assertThat(unknown.is(Kind.NOT_FOUND)).isTrue();
  }

  @Test
  void stoppedServiceUpdateShowsStoppedAndCanBeAppliedAgain() {
    available("rc-su3", SMALL, 0);
    aws.publishServiceUpdate("su-valkey-2", "valkey", "important", Instant.parse("2027-01-31T00:00:00Z"));
    assertThat(aws.elastiCache().applyServiceUpdate("su-valkey-2", List.of("rc-su3"))).containsOnlyKeys("rc-su3");
    assertThat(aws.stopServiceUpdate("su-valkey-2", List.of("rc-su3"))).containsExactly("rc-su3");
    await("rc-su3", g -> g.group().available());
    assertThat(aws.elastiCache().sweepUpdateActions()).extracting(UpdateAction::status).containsExactly("stopped");
    assertThat(aws.elastiCache().applyServiceUpdate("su-valkey-2", List.of("rc-su3"))).containsExactly(entry("rc-su3", "in-progress"));
  }

  @Test
  void failoverRecordsTheDocumentedEventsKeepsTheGroupAvailableAndThenAllowsAnother() {
    ObservedGroup before = awaitAvailable(withFailover(spec("rc-fo3", SMALL, 1)));
    aws.failover("rc-fo3", "0001");
    // "During the failover process, the console continues to show the node's status as available"
    ObservedGroup during = group("rc-fo3").orElseThrow();
    assertThat(during.group().status()).isEqualTo("available");
    assertThat(during.clusters()).extracting(CacheClusterInfo::status).containsOnly("available");
    assertThat(eventsOf("rc-fo3").get(0).message()).isEqualTo("Test Failover API called for node group 0001");
    // "the first node replacement must complete before a subsequent call can be made"
    AwsException again = awsError(() -> aws.failover("rc-fo3", "0001"));
    assertThat(again.code()).isEqualTo("TestFailoverNotAvailableFault");

    String completed = "Failover from primary node rc-fo3-001 to replica node rc-fo3-002 completed";
    aws.pass(aws.unit().multipliedBy(2).plus(aws.unit().dividedBy(2)));
    List<CacheEvent> events = eventsOf("rc-fo3");
    assertThat(events).extracting(CacheEvent::message).startsWith(completed, "Test Failover API called for node group 0001");
    assertThat(events).extracting(CacheEvent::sourceType).containsOnly("replication-group");
    for (int i = 1; i < events.size(); i++) assertThat(events.get(i - 1).date()).isAfterOrEqualTo(events.get(i).date());

    // roles are not part of ObservedGroup: the port sees the same group, members and endpoints
    ObservedGroup after = group("rc-fo3").orElseThrow();
    assertThat(after.group().available()).isTrue();
    assertThat(after.group().memberClusters()).containsExactlyElementsOf(before.group().memberClusters());
    assertThat(after.group().primaryEndpoint()).isEqualTo(before.group().primaryEndpoint());
    assertThat(after.group().readerEndpoint()).isEqualTo(before.group().readerEndpoint());

    // recovered: another test fails back over to rc-fo3-001
    aws.failover("rc-fo3", "0001");
    aws.pass(aws.unit().plus(aws.unit().dividedBy(2)));
    assertThat(eventsOf("rc-fo3").get(0).message())
        .isEqualTo("Failover from primary node rc-fo3-002 to replica node rc-fo3-001 completed");
  }

  // ---------------------------------------------------------------------------------------------
  // Errors' codes and kinds

  @Test
  void errorsHaveAwsCodesAndTheirKinds() {
    assertThat(group("rc-none")).isEmpty();
    AwsException delete = awsError(() -> aws.elastiCache().deleteReplicationGroup("rc-none", null));
    assertThat(delete.kind()).isEqualTo(Kind.NOT_FOUND);
    AwsException snapshot = awsError(() -> aws.elastiCache().createSnapshot("rc-none", "rc-none-1"));
    assertThat(snapshot.kind()).isEqualTo(Kind.NOT_FOUND);

    available("rc-x1", SMALL, 0);
    AwsException again = awsError(() -> aws.elastiCache().createReplicationGroup(spec("rc-x1", SMALL, 0)));
    assertThat(again.code()).isEqualTo("ReplicationGroupAlreadyExists");
    assertThat(again.kind()).isEqualTo(Kind.ALREADY_EXISTS);
    AwsException subnets = awsError(() -> aws.elastiCache().createSubnetGroup(subnetGroup, "again", aws.subnets(), Map.of()));
    assertThat(subnets.kind()).isEqualTo(Kind.ALREADY_EXISTS);

    aws.elastiCache().createSnapshot("rc-x1", "rc-x1-1");
    await("rc-x1", g -> g.group().available());
    AwsException sameName = awsError(() -> aws.elastiCache().createSnapshot("rc-x1", "rc-x1-1"));
    assertThat(sameName.code()).isEqualTo("SnapshotAlreadyExistsFault");
    assertThat(sameName.kind()).isEqualTo(Kind.ALREADY_EXISTS);
  }

  // ---------------------------------------------------------------------------------------------
  // E27: a new group seeded from a snapshot or from RDB files in S3

  @Test
  void aGroupIsRestoredFromAnAvailableSnapshotOfAnotherGroup() {
    assertThat(aws.elastiCache().describeSnapshot("rc-none-snap")).isEmpty();
    AwsException unknown = awsError(() -> aws.elastiCache().createReplicationGroup(spec("rc-r0", SMALL, 0).withSnapshotName("rc-none-snap")));
    assertThat(unknown.code()).isEqualTo("SnapshotNotFoundFault");
    assertThat(unknown.kind()).isEqualTo(Kind.NOT_FOUND);
    assertThat(group("rc-r0")).isEmpty();

    available("rc-r1", SMALL, 0);
    aws.elastiCache().createSnapshot("rc-r1", "rc-r1-manual");
    assertThat(aws.elastiCache().describeSnapshot("rc-r1-manual").orElseThrow().status()).isEqualTo("creating");
    AwsException early = awsError(() -> aws.elastiCache().createReplicationGroup(spec("rc-r2", SMALL, 0).withSnapshotName("rc-r1-manual")));
    assertThat(early.code()).isEqualTo("InvalidSnapshotState");
    assertThat(early.kind()).isEqualTo(Kind.BUSY);
    await("rc-r1", g -> g.group().available());

    var snap = aws.elastiCache().describeSnapshot("rc-r1-manual").orElseThrow();
    assertThat(snap.status()).isEqualTo("available");
    assertThat(snap.engine()).isEqualTo("valkey");
    assertThat(snap.engineVersion()).startsWith("8.0");
    assertThat(snap.cacheNodeType()).isEqualTo(SMALL);
    assertThat(snap.numNodeGroups()).isEqualTo(1);
    assertThat(snap.clusterMode()).isFalse();
    assertThat(snap.replicationGroupId()).isEqualTo("rc-r1");

    awaitAvailable(spec("rc-r2", SMALL, 0).withSnapshotName("rc-r1-manual"));
    assertThat(aws.restoredFrom("rc-r2")).isEqualTo("snapshot rc-r1-manual");
    assertThat(aws.restoredFrom("rc-r1")).isNull();

    // no Valkey data into Redis OSS, no older engine version
    AwsException toRedis = awsError(() -> aws.elastiCache().createReplicationGroup(
        spec("rc-r3", SMALL, 0).withEngine("redis").withEngineVersion("7.1").withSnapshotName("rc-r1-manual")));
    assertThat(toRedis.code()).isEqualTo("InvalidParameterCombination");
    assertThat(toRedis.kind()).isEqualTo(Kind.INVALID_INPUT);
    AwsException older = awsError(() -> aws.elastiCache().createReplicationGroup(
        spec("rc-r3", SMALL, 0).withEngineVersion("7.2").withSnapshotName("rc-r1-manual")));
    assertThat(older.code()).isEqualTo("InvalidParameterCombination");
    assertThat(group("rc-r3")).isEmpty();
  }

  @Test
  void aClusterModeSnapshotKeepsItsShardCount() {
    awaitAvailable(spec("rc-r4", SMALL, 0).withNumNodeGroups(2).withClusterMode(true));
    aws.elastiCache().createSnapshot("rc-r4", "rc-r4-manual");
    await("rc-r4", g -> g.group().available());
    var snap = aws.elastiCache().describeSnapshot("rc-r4-manual").orElseThrow();
    assertThat(snap.numNodeGroups()).isEqualTo(2);
    assertThat(snap.clusterMode()).isTrue();
    AwsException three = awsError(() -> aws.elastiCache().createReplicationGroup(
        spec("rc-r5", SMALL, 0).withNumNodeGroups(3).withClusterMode(true).withSnapshotName("rc-r4-manual")));
    assertThat(three.code()).isEqualTo("InvalidParameterCombination");
    aws.elastiCache().createReplicationGroup(spec("rc-r5", SMALL, 0).withNumNodeGroups(2).withClusterMode(true).withSnapshotName("rc-r4-manual"));
    assertThat(aws.restoredFrom("rc-r5")).isEqualTo("snapshot rc-r4-manual");
  }

  @Test
  void aGroupIsSeededFromRdbFilesElastiCacheCanRead() {
    String arn = "arn:aws:s3:::rc-seed-bucket/dumps/orders.rdb";
    AwsException malformed = awsError(() -> aws.elastiCache().createReplicationGroup(
        spec("rc-s3a", SMALL, 0).withSnapshotArns(List.of("s3://rc-seed-bucket/dumps/orders.rdb"))));
    assertThat(malformed.code()).isEqualTo("InvalidParameterValue");
    AwsException missing = awsError(() -> aws.elastiCache().createReplicationGroup(spec("rc-s3a", SMALL, 0).withSnapshotArns(List.of(arn))));
    assertThat(missing.code()).isEqualTo("InvalidParameterValue");
    assertThat(missing.kind()).isEqualTo(Kind.INVALID_INPUT);
    assertThat(group("rc-s3a")).isEmpty();

    aws.putS3Object("rc-seed-bucket", "dumps/orders.rdb");
    AwsException both = awsError(() -> aws.elastiCache().createReplicationGroup(
        spec("rc-s3a", SMALL, 0).withSnapshotArns(List.of(arn)).withSnapshotName("any")));
    assertThat(both.code()).isEqualTo("InvalidParameterCombination");
    awaitAvailable(spec("rc-s3a", SMALL, 0).withSnapshotArns(List.of(arn)));
    assertThat(aws.restoredFrom("rc-s3a")).isEqualTo("s3 " + arn);
  }

  // ---------------------------------------------------------------------------------------------
  // Live migrations (E37): in-transit encryption on a running group

  @Test
  void tlsIsTurnedOnInTwoStepsPreferredThenRequiredAndOffTheSameWayBack() {
    available("rc-tls", SMALL, 0);
    var ec = aws.elastiCache();
    assertThat(group("rc-tls").orElseThrow().group().transitEncryptionMode()).isNull();
    // turning it on needs mode preferred in the same request; required only as the second step
    assertThat(awsError(() -> ec.modifyReplicationGroup(ModifyRequest.of("rc-tls", true).transit(true, null))).code()).isEqualTo("InvalidParameterCombination");
    assertThat(awsError(() -> ec.modifyReplicationGroup(ModifyRequest.of("rc-tls", true).transit(true, "required"))).code()).isEqualTo("InvalidParameterCombination");
    assertThat(awsError(() -> ec.modifyReplicationGroup(ModifyRequest.of("rc-tls", true).transit(null, "required"))).code()).isEqualTo("InvalidParameterCombination");

    ec.modifyReplicationGroup(ModifyRequest.of("rc-tls", true).transit(true, "preferred"));
    ReplicationGroupInfo modifying = group("rc-tls").orElseThrow().group();
    assertThat(modifying.status()).isEqualTo("modifying");
    assertThat(modifying.transitEncryption()).as("applied when the modification ends").isFalse();
    ReplicationGroupInfo preferred = await("rc-tls", g -> g.group().available()).group();
    assertThat(preferred.transitEncryption()).isTrue();
    assertThat(preferred.transitEncryptionMode()).isEqualTo("preferred");

    ec.modifyReplicationGroup(ModifyRequest.of("rc-tls", true).transit(null, "required"));
    assertThat(await("rc-tls", g -> g.group().available()).group().transitEncryptionMode()).isEqualTo("required");

    ec.modifyReplicationGroup(ModifyRequest.of("rc-tls", true).transit(null, "preferred"));
    assertThat(await("rc-tls", g -> g.group().available()).group().transitEncryptionMode()).isEqualTo("preferred");
    ec.modifyReplicationGroup(ModifyRequest.of("rc-tls", true).transit(false, null));
    ReplicationGroupInfo off = await("rc-tls", g -> g.group().available()).group();
    assertThat(off.transitEncryption()).isFalse();
    assertThat(off.transitEncryptionMode()).isNull();
  }

  // Live migrations (E53-E56): cluster mode on a running group

  @Test
  void clusterModeGoesThroughCompatibleAndEnabledIsFinal() {
    awaitAvailable(spec("rc-cm", SMALL, 1).withAutomaticFailover(true));
    var ec = aws.elastiCache();
    ReplicationGroupInfo disabled = group("rc-cm").orElseThrow().group();
    assertThat(disabled.clusterMode()).isEqualTo("disabled");
    assertThat(disabled.configurationEndpoint()).isNull();
    // compatible first; nothing else in the same request
    assertThat(awsError(() -> ec.modifyReplicationGroup(ModifyRequest.of("rc-cm", true).withClusterMode("enabled"))).code())
        .isEqualTo("InvalidParameterCombination");
    assertThat(awsError(() -> ec.modifyReplicationGroup(ModifyRequest.of("rc-cm", true).withClusterMode("compatible").withSnapshotRetentionLimit(3))).code())
        .isEqualTo("InvalidParameterCombination");
    ec.modifyReplicationGroup(ModifyRequest.of("rc-cm", true).withClusterMode("compatible"));
    ReplicationGroupInfo modifying = group("rc-cm").orElseThrow().group();
    assertThat(modifying.status()).isEqualTo("modifying");
    assertThat(modifying.clusterMode()).as("in effect when the modification ends").isEqualTo("disabled");
    ReplicationGroupInfo compatible = await("rc-cm", g -> g.group().available()).group();
    assertThat(compatible.clusterMode()).isEqualTo("compatible");
    assertThat(compatible.clusterEnabled()).isFalse();
    assertThat(compatible.primaryEndpoint()).as("both endpoints in compatible").isNotNull();
    assertThat(compatible.configurationEndpoint()).isNotNull();
    // no other modification in compatible
    assertThat(awsError(() -> ec.modifyReplicationGroup(ModifyRequest.of("rc-cm", true).withSnapshotRetentionLimit(3))).code())
        .isEqualTo("InvalidParameterCombination");
    assertThat(awsError(() -> ec.increaseReplicaCount("rc-cm", 2)).code()).isEqualTo("InvalidParameterCombination");
    // back to disabled, and forward again
    ec.modifyReplicationGroup(ModifyRequest.of("rc-cm", true).withClusterMode("disabled"));
    assertThat(await("rc-cm", g -> g.group().available()).group().clusterMode()).isEqualTo("disabled");
    ec.modifyReplicationGroup(ModifyRequest.of("rc-cm", true).withClusterMode("compatible"));
    await("rc-cm", g -> g.group().available());
    ec.modifyReplicationGroup(ModifyRequest.of("rc-cm", true).withClusterMode("enabled"));
    ReplicationGroupInfo enabled = await("rc-cm", g -> g.group().available()).group();
    assertThat(enabled.clusterMode()).isEqualTo("enabled");
    assertThat(enabled.clusterEnabled()).isTrue();
    assertThat(enabled.configurationEndpoint()).isNotNull();
    assertThat(enabled.primaryEndpoint()).isNull();
    // enabled is final
    assertThat(awsError(() -> ec.modifyReplicationGroup(ModifyRequest.of("rc-cm", true).withClusterMode("compatible"))).code())
        .isEqualTo("InvalidParameterCombination");
    assertThat(awsError(() -> ec.modifyReplicationGroup(ModifyRequest.of("rc-cm", true).withClusterMode("disabled"))).code())
        .isEqualTo("InvalidParameterCombination");
  }

  @Test
  void clusterModeChangeNeedsValkey72OrRedis7WithAFailoverReplica() {
    awaitAvailable(spec("rc-cm-old", SMALL, 1).withAutomaticFailover(true).withEngine("redis").withEngineVersion("6.2"));
    awaitAvailable(spec("rc-cm-lone", SMALL, 0));
    awaitAvailable(spec("rc-cm-r7", SMALL, 1).withAutomaticFailover(true).withEngine("redis").withEngineVersion("7.0"));
    var ec = aws.elastiCache();
    assertThat(awsError(() -> ec.modifyReplicationGroup(ModifyRequest.of("rc-cm-old", true).withClusterMode("compatible"))).code())
        .isEqualTo("InvalidParameterCombination");
    assertThat(awsError(() -> ec.modifyReplicationGroup(ModifyRequest.of("rc-cm-lone", true).withClusterMode("compatible"))).code())
        .isEqualTo("InvalidParameterCombination");
    ec.modifyReplicationGroup(ModifyRequest.of("rc-cm-r7", true).withClusterMode("compatible"));
    assertThat(await("rc-cm-r7", g -> g.group().available()).group().clusterMode()).isEqualTo("compatible");
  }

  @Test
  void aTokenIsBroughtIntoATlsGroupWithoutOneByRotateThenSet() {
    awaitAvailable(spec("rc-auth", SMALL, 0).withTransitEncryption(true));
    var ec = aws.elastiCache();
    ReplicationGroupInfo none = group("rc-auth").orElseThrow().group();
    assertThat(none.authTokenEnabled()).isFalse();
    String token = AuthTokens.generate();
    // SET is "allowed only after ROTATE"
    assertThat(awsError(() -> ec.modifyReplicationGroup(ModifyRequest.of("rc-auth", true).token(token, "SET"))).code()).isEqualTo("InvalidParameterCombination");
    ec.modifyReplicationGroup(ModifyRequest.of("rc-auth", true).token(token, "ROTATE"));
    assertThat(group("rc-auth").orElseThrow().group().authTokenEnabled()).as("takes effect when the modification ends").isFalse();
    ReplicationGroupInfo rotated = await("rc-auth", g -> g.group().available()).group();
    assertThat(rotated.authTokenEnabled()).isTrue();
    assertThat(rotated.authTokenLastModified()).isNotNull();
    ec.modifyReplicationGroup(ModifyRequest.of("rc-auth", true).token(token, "SET"));
    assertThat(await("rc-auth", g -> g.group().available()).group().authTokenEnabled()).isTrue();
    // a group with a token: its in-transit encryption cannot be switched off
    AwsException off = awsError(() -> ec.modifyReplicationGroup(ModifyRequest.of("rc-auth", true).transit(false, null)));
    assertThat(off.code()).isEqualTo("InvalidParameterCombination");
  }

  @Test
  void tlsChangesOnlyOnValkeyOrRedis7AndAbove() {
    awaitAvailable(spec("rc-tls6", SMALL, 0).withEngine("redis").withEngineVersion("6.2"));
    AwsException old = awsError(() -> aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-tls6", true).transit(true, "preferred")));
    assertThat(old.code()).isEqualTo("InvalidParameterCombination");
    assertThat(group("rc-tls6").orElseThrow().group().status()).isEqualTo("available");
  }

  // ---------------------------------------------------------------------------------------------
  // Node features (E31, K1): data tiering, network type, KMS keys

  @Test
  void dataTieringIsOnlyAndAlwaysOnR6gd() {
    Kind notR6gd = awsError(() -> aws.elastiCache().createReplicationGroup(spec("rc-dt1", LARGE, 0).withDataTiering(true))).kind();
    assertThat(notR6gd).isEqualTo(Kind.INVALID_INPUT);
    Kind r6gdWithout = awsError(() -> aws.elastiCache().createReplicationGroup(spec("rc-dt1", "cache.r6gd.xlarge", 0))).kind();
    assertThat(r6gdWithout).isEqualTo(Kind.INVALID_INPUT);
    aws.elastiCache().createReplicationGroup(spec("rc-dt1", "cache.r6gd.xlarge", 0).withDataTiering(true));
    assertThat(group("rc-dt1").orElseThrow().group().dataTiering()).isTrue();
  }

  /** A cluster mode group that meets durability's preconditions (E46): valkey 9.0, 2 shards with a replica, Multi-AZ, TLS. */
  ReplicationGroupSpec durableSpec(String id, String durability) {
    return spec(id, LARGE, 1).withEngineVersion("9.0").withNumNodeGroups(2).withClusterMode(true).withAutomaticFailover(true)
        .withMultiAZ(true).withTransitEncryption(true).withDurability(durability);
  }

  @Test
  void durabilityNeedsValkey9ClusterModeMultiAzTlsAndTurnsEncryptionAtRestOn() {
    ReplicationGroupSpec s = durableSpec("rc-du1", "sync");
    Map<String, ReplicationGroupSpec> refused = new java.util.LinkedHashMap<>();
    refused.put("valkey 8.2", s.withEngineVersion("8.2"));
    refused.put("cluster mode disabled", s.withNumNodeGroups(1).withClusterMode(false));
    refused.put("no Multi-AZ", s.withMultiAZ(false));
    refused.put("no TLS", s.withTransitEncryption(false));
    refused.put("a family without durability", s.withCacheNodeType("cache.t4g.small"));
    refused.forEach((why, spec) -> {
      AwsException e = awsError(() -> aws.elastiCache().createReplicationGroup(spec));
      assertThat(e.kind()).as(why).isEqualTo(Kind.INVALID_INPUT);
      assertThat(e.code()).as(why).isEqualTo("InvalidParameterCombination");
    });
    assertThat(awsError(() -> aws.elastiCache().createReplicationGroup(s.withDurability("eventually"))).code()).isEqualTo("InvalidParameterValue");
    assertThat(group("rc-du1")).isEmpty();

    aws.elastiCache().createReplicationGroup(s.withAtRestEncryption(false));
    ReplicationGroupInfo g = group("rc-du1").orElseThrow().group();
    assertThat(List.of(g.durability(), g.storageEncryption())).as("durability turns encryption at rest on").containsExactly("sync", "sse-elasticache");
    aws.elastiCache().createReplicationGroup(durableSpec("rc-du2", null));
    g = group("rc-du2").orElseThrow().group();
    assertThat(List.of(g.durability(), g.storageEncryption())).containsExactly("disabled", "none");
  }

  @Test
  void durabilitySwitchesOnARunningGroupThatMeetsTheRequirements() {
    awaitAvailable(durableSpec("rc-du3", "async"));
    aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-du3", true).withDurability("sync"));
    assertThat(await("rc-du3", o -> o != null && o.group().available()).group().durability()).isEqualTo("sync");
    aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-du3", true).withDurability("disabled"));
    ReplicationGroupInfo off = await("rc-du3", o -> o != null && o.group().available()).group();
    assertThat(List.of(off.durability(), off.storageEncryption())).containsExactly("disabled", "sse-elasticache");
    aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-du3", true).withDurability("async"));
    assertThat(await("rc-du3", o -> o != null && o.group().available()).group().durability()).isEqualTo("async");

    awaitAvailable(spec("rc-du4", LARGE, 1).withTransitEncryption(true));
    assertThat(awsError(() -> aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-du4", true).withDurability("sync"))).kind())
        .as("valkey 8.0, cluster mode disabled").isEqualTo(Kind.INVALID_INPUT);
    assertThat(group("rc-du4").orElseThrow().group().durability()).isEqualTo("disabled");
  }

  @Test
  void networkTypeNeedsSubnetsThatCarryIt() {
    assertThat(aws.elastiCache().findSubnetGroup(subnetGroup).orElseThrow().supportedNetworkTypes()).containsExactly("ipv4");
    AwsException ipv4Subnets = awsError(() -> aws.elastiCache().createReplicationGroup(
        spec("rc-nt1", SMALL, 0).withNetworkType("dual_stack").withIpDiscovery("ipv4")));
    assertThat(ipv4Subnets.kind()).isEqualTo(Kind.INVALID_INPUT);
    assertThat(ipv4Subnets.code()).isEqualTo("InvalidParameterCombination");

    String dual = subnetGroup + "-dual";
    aws.elastiCache().createSubnetGroup(dual, "contract", aws.dualStackSubnets(), Map.of());
    assertThat(aws.elastiCache().findSubnetGroup(dual).orElseThrow().supportedNetworkTypes()).containsExactlyInAnyOrder("ipv4", "dual_stack");
    ReplicationGroupSpec v6 = spec("rc-nt1", SMALL, 0).withCacheSubnetGroupName(dual).withNetworkType("dual_stack");
    assertThat(awsError(() -> aws.elastiCache().createReplicationGroup(v6.withNetworkType("ipv6").withIpDiscovery("ipv6"))).kind())
        .as("dual-stack subnets are not IPv6-only").isEqualTo(Kind.INVALID_INPUT);
    assertThat(awsError(() -> aws.elastiCache().createReplicationGroup(v6.withCacheNodeType("cache.m4.large").withIpDiscovery("ipv4"))).kind())
        .as("not a Nitro node type").isEqualTo(Kind.INVALID_INPUT);
    assertThat(awsError(() -> aws.elastiCache().createReplicationGroup(v6.withEngine("redis").withEngineVersion("6.0").withIpDiscovery("ipv4"))).kind())
        .as("redis before 6.2").isEqualTo(Kind.INVALID_INPUT);
    assertThat(awsError(() -> aws.elastiCache().createReplicationGroup(v6.withNetworkType("ipv4").withIpDiscovery("ipv6"))).kind())
        .as("ipv6 discovery on an ipv4 network").isEqualTo(Kind.INVALID_INPUT);

    aws.elastiCache().createReplicationGroup(v6.withIpDiscovery("ipv6"));
    ReplicationGroupInfo g = group("rc-nt1").orElseThrow().group();
    assertThat(List.of(g.networkType(), g.ipDiscovery())).containsExactly("dual_stack", "ipv6");

    // IpDiscovery changes on the running group (ModifyReplicationGroup); an ipv4 group cannot advertise IPv6
    await("rc-nt1", o -> o != null && o.group().available());
    aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-nt1", true).withIpDiscovery("ipv4"));
    assertThat(await("rc-nt1", o -> o != null && o.group().available()).group().ipDiscovery()).isEqualTo("ipv4");
    available("rc-nt2", SMALL, 0);
    assertThat(awsError(() -> aws.elastiCache().modifyReplicationGroup(ModifyRequest.of("rc-nt2", true).withIpDiscovery("ipv6"))).kind())
        .isEqualTo(Kind.INVALID_INPUT);
  }

  @Test
  void ipv6IngressRulesAreKeptApartFromIpv4Ones() {
    String name = "rc-contract-v6-" + Long.toHexString(System.nanoTime());
    String sg = aws.ec2().createSecurityGroup(aws.vpc(), name, "contract", Map.of("contract", "yes"));
    var v4 = dev.operators.elasticache.aws.IngressRule.fromCidr(6379, "10.0.0.0/16");
    var v6 = dev.operators.elasticache.aws.IngressRule.fromCidr(6379, "2001:db8:1234::/56");
    aws.ec2().authorizeIngress(sg, List.of(v4, v6));
    var found = aws.ec2().findSecurityGroup(aws.vpc(), name).orElseThrow();
    assertThat(found.ingress()).containsExactlyInAnyOrder(v4, v6);
    assertThat(found.otherIngress()).isZero();
    aws.ec2().revokeIngress(sg, List.of(v6));
    assertThat(aws.ec2().findSecurityGroup(aws.vpc(), name).orElseThrow().ingress()).containsExactly(v4);
  }

  @Test
  void kmsKeyStateUsageAndSpecAreReported() {
    String key = aws.createKmsKey();
    var k = aws.kms().describeKey(key).orElseThrow();
    assertThat(List.of(k.keyState(), k.keyUsage(), k.keySpec())).containsExactly("Enabled", "ENCRYPT_DECRYPT", "SYMMETRIC_DEFAULT");
    assertThat(aws.kms().describeKey(k.arn())).as("by ARN").contains(k);
    aws.disableKmsKey(key);
    assertThat(aws.kms().describeKey(key).orElseThrow().keyState()).isEqualTo("Disabled");
    assertThat(aws.kms().describeKey("11111111-2222-3333-4444-555555555555")).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // RBAC users and user groups (emulator E39..E44)

  static final String PW1 = "app-password-0001";
  static final String PW2 = "app-password-0002";

  UserSpec passwordUser(String id, String name, String access, String... passwords) {
    return new UserSpec(id, name, "valkey", access, "password", List.of(passwords), Map.of("contract", "yes"));
  }

  @Test
  void usersAreCheckedBeforeAnythingIsCreated() {
    var ec = aws.elastiCache();
    UserInfo u = ec.createUser(passwordUser("rc-u1-app", "app", "on ~app:* +@read", PW1));
    assertThat(List.of(u.userId(), u.userName(), u.status(), u.authenticationType())).containsExactly("rc-u1-app", "app", "active", "password");
    assertThat(u.passwordCount()).isEqualTo(1);
    assertThat(ec.describeUser("rc-u1-app")).contains(u);
    assertThat(ec.describeUser("rc-u1-nobody")).isEmpty();
    AwsException dup = awsError(() -> ec.createUser(passwordUser("rc-u1-app", "app", "on ~* +@all", PW1)));
    assertThat(List.of(dup.code(), dup.kind().name())).containsExactly("UserAlreadyExists", "ALREADY_EXISTS");
    for (String bad : List.of("on >secret-password ~* +@all", "on nopass ~*", "reset on ~*", "on ~* bogus", " ")) {
      assertThat(awsError(() -> ec.createUser(passwordUser("rc-u1-b", "b", bad, PW1))).code()).as(bad).isEqualTo("InvalidParameterValue");
    }
    assertThat(awsError(() -> ec.createUser(passwordUser("rc-u1-b", "b", "on ~*", PW1, PW2, PW1 + "x"))).code()).isEqualTo("InvalidParameterCombination");
    assertThat(awsError(() -> ec.createUser(passwordUser("rc-u1-b", "b", "on ~*", "short"))).code()).isEqualTo("InvalidParameterValue");
    assertThat(awsError(() -> ec.createUser(passwordUser("1rc-u1-b", "b", "on ~*", PW1))).code()).isEqualTo("InvalidParameterValue");
    AwsException iam = awsError(() -> ec.createUser(new UserSpec("rc-u1-iam", "other", "valkey", "on ~*", "iam", List.of(), Map.of())));
    assertThat(iam.code()).isEqualTo("InvalidParameterCombination");
    UserInfo ok = ec.createUser(new UserSpec("rc-u1-iam", "rc-u1-iam", "valkey", "on ~* +@read", "iam", List.of(), Map.of()));
    assertThat(ok.authenticationType()).isEqualTo("iam");
    assertThat(awsError(() -> ec.deleteUser("default")).code()).as("the built-in default user").isEqualTo("InvalidParameterValue");
    assertThat(awsError(() -> ec.modifyUser("default", "off", null)).code()).isEqualTo("InvalidParameterValue");
  }

  @Test
  void modifiedUserIsModifyingThenActiveAndADeletedOneGoes() {
    aws.userTime(aws.unit());
    var ec = aws.elastiCache();
    ec.createUser(passwordUser("rc-u2-app", "app", "on ~app:* +@read", PW1));
    ec.modifyUser("rc-u2-app", null, List.of(PW1, PW2));
    assertThat(ec.describeUser("rc-u2-app").orElseThrow().status()).isEqualTo("modifying");
    AwsException busy = awsError(() -> ec.modifyUser("rc-u2-app", "on ~app:* +@all", null));
    assertThat(List.of(busy.code(), busy.kind().name())).containsExactly("InvalidUserState", "BUSY");
    UserInfo two = awaitUser("rc-u2-app", u -> u != null && u.active());
    assertThat(two.passwordCount()).as("AWS's two-password window").isEqualTo(2);
    ec.deleteUser("rc-u2-app");
    assertThat(ec.describeUser("rc-u2-app").orElseThrow().status()).isEqualTo("deleting");
    awaitUser("rc-u2-app", u -> u == null);
    assertThat(awsError(() -> ec.deleteUser("rc-u2-app")).kind()).isEqualTo(Kind.NOT_FOUND);
  }

  /** E78: ModifyUser AuthenticationMode switches a user between password and iam in place, to iam only when its name is its id. */
  @Test
  void aUserSwitchesBetweenPasswordAndIamInPlaceAndToIamOnlyWhenItsNameIsItsId() {
    aws.userTime(aws.unit());
    var ec = aws.elastiCache();
    ec.createUser(new UserSpec("rc-u5-app", "rc-u5-app", "valkey", "on ~app:* +@read", "iam", List.of(), Map.of("contract", "yes")));
    assertThat(awsError(() -> ec.modifyUser("rc-u5-app", null, "password", List.of())).code())
        .as("password without a password").isEqualTo("InvalidParameterCombination");
    assertThat(awsError(() -> ec.modifyUser("rc-u5-app", null, "iam", List.of(PW1))).code())
        .as("iam with a password").isEqualTo("InvalidParameterCombination");
    ec.modifyUser("rc-u5-app", null, "password", List.of(PW1));
    UserInfo pw = awaitUser("rc-u5-app", u -> u != null && u.active());
    assertThat(List.of(pw.userName(), pw.authenticationType(), pw.accessString())).containsExactly("rc-u5-app", "password", "on ~app:* +@read");
    assertThat(pw.passwordCount()).isEqualTo(1);
    ec.modifyUser("rc-u5-app", "on ~app:* +@read +@write", "iam", List.of());
    UserInfo iam = awaitUser("rc-u5-app", u -> u != null && u.active());
    assertThat(List.of(iam.authenticationType(), iam.accessString())).containsExactly("iam", "on ~app:* +@read +@write");
    assertThat(iam.passwordCount()).as("its passwords are gone").isZero();
    ec.createUser(passwordUser("rc-u5-named", "named", "on ~named:* +@read", PW1));
    AwsException nameIsNotId = awsError(() -> ec.modifyUser("rc-u5-named", null, "iam", List.of()));
    assertThat(List.of(nameIsNotId.code(), nameIsNotId.kind().name())).containsExactly("InvalidParameterCombination", "INVALID_INPUT");
    UserInfo still = ec.describeUser("rc-u5-named").orElseThrow();
    assertThat(List.of(still.authenticationType(), still.status())).as("nothing changed").containsExactly("password", "active");
  }

  @Test
  void userGroupNeedsItsDefaultUserAndIsCreatingThenActive() {
    aws.userTime(aws.unit());
    var ec = aws.elastiCache();
    ec.createUser(passwordUser("rc-u3-app", "app", "on ~app:* +@read", PW1));
    ec.createUser(passwordUser("rc-u3-twin", "app", "on ~app:* +@read", PW1));
    ec.createUser(passwordUser("rc-u3-default", "default", "off -@all", PW2));
    AwsException noDefault = awsError(() -> ec.createUserGroup("rc-u3-g", "valkey", List.of("rc-u3-app"), Map.of()));
    assertThat(noDefault.code()).isEqualTo("DefaultUserRequired");
    assertThat(awsError(() -> ec.createUserGroup("rc-u3-g", "valkey", List.of("rc-u3-default", "rc-u3-app", "rc-u3-twin"), Map.of())).code())
        .isEqualTo("DuplicateUserName");
    assertThat(awsError(() -> ec.createUserGroup("rc-u3-g", "valkey", List.of("default", "rc-u3-app"), Map.of())).code())
        .as("a valkey user group holds only users with a password or IAM").isEqualTo("InvalidParameterCombination");
    assertThat(awsError(() -> ec.createUserGroup("rc-u3-g", "valkey", List.of("rc-u3-default", "rc-u3-nobody"), Map.of())).kind())
        .isEqualTo(Kind.NOT_FOUND);
    ec.createUserGroup("rc-u3-g", "valkey", List.of("rc-u3-default", "rc-u3-app"), Map.of("contract", "yes"));
    assertThat(ec.describeUserGroup("rc-u3-g").orElseThrow().status()).isEqualTo("creating");
    assertThat(awsError(() -> ec.modifyUserGroup("rc-u3-g", null, List.of("rc-u3-app"))).kind()).isEqualTo(Kind.BUSY);
    UserGroupInfo g = awaitUserGroup("rc-u3-g", x -> x != null && x.active());
    assertThat(g.userIds()).containsExactly("rc-u3-default", "rc-u3-app");
    assertThat(ec.describeUser("rc-u3-app").orElseThrow().userGroupIds()).containsExactly("rc-u3-g");
    assertThat(awsError(() -> ec.modifyUserGroup("rc-u3-g", null, List.of("rc-u3-default"))).code()).isEqualTo("DefaultUserRequired");
    assertThat(awsError(() -> ec.deleteUser("rc-u3-default")).code()).isEqualTo("DefaultUserAssociatedToUserGroup");
    ec.modifyUserGroup("rc-u3-g", null, List.of("rc-u3-app"));
    UserGroupInfo modifying = ec.describeUserGroup("rc-u3-g").orElseThrow();
    assertThat(modifying.status()).isEqualTo("modifying");
    assertThat(modifying.pendingRemove()).containsExactly("rc-u3-app");
    assertThat(awaitUserGroup("rc-u3-g", x -> x.active()).userIds()).containsExactly("rc-u3-default");
    ec.deleteUserGroup("rc-u3-g");
    awaitUserGroup("rc-u3-g", x -> x == null);
  }

  @Test
  void cacheMovesFromItsAuthTokenToAUserGroupWhenTheModificationEnds() {
    aws.userTime(aws.unit());
    var ec = aws.elastiCache();
    String token = AuthTokens.generate();
    awaitAvailable(tokenSpec("rc-u4", token));
    // the group's default user takes the token as its password, so clients that AUTH with the token keep working
    ec.createUser(passwordUser("rc-u4-default", "default", "on ~* +@all", token));
    ec.createUser(passwordUser("rc-u4-app", "app", "on ~app:* +@read +@write", PW1));
    ec.createUserGroup("rc-u4-g", "valkey", List.of("rc-u4-default", "rc-u4-app"), Map.of());
    assertThat(awsError(() -> ec.modifyReplicationGroup(ModifyRequest.of("rc-u4", true).userGroups(List.of("rc-u4-g"), null))).code())
        .as("a user group that is still creating").isEqualTo("InvalidUserGroupState");
    awaitUserGroup("rc-u4-g", g -> g.active());
    assertThat(awsError(() -> ec.modifyReplicationGroup(ModifyRequest.of("rc-u4", true).userGroups(List.of("rc-u4-g"), null))).code())
        .as("from AUTH to RBAC only with AuthTokenUpdateStrategy DELETE").isEqualTo("InvalidParameterCombination");
    assertThat(awsError(() -> ec.modifyReplicationGroup(ModifyRequest.of("rc-u4", true).userGroups(List.of("rc-u4-nope"), null)
        .token(null, "DELETE"))).kind()).isEqualTo(Kind.NOT_FOUND);
    ec.modifyReplicationGroup(ModifyRequest.of("rc-u4", true).token(null, "DELETE").userGroups(List.of("rc-u4-g"), null));
    ReplicationGroupInfo modifying = group("rc-u4").orElseThrow().group();
    assertThat(modifying.status()).isEqualTo("modifying");
    assertThat(modifying.userGroupIds()).isEmpty();
    assertThat(aws.acceptedTokens("rc-u4")).containsExactly(token);
    assertThat(aws.acceptedUsers("rc-u4")).isEmpty();
    ReplicationGroupInfo done = await("rc-u4", g -> g.group().available()).group();
    assertThat(done.userGroupIds()).containsExactly("rc-u4-g");
    assertThat(done.authTokenEnabled()).isFalse();
    assertThat(aws.acceptedTokens("rc-u4")).isEmpty();
    assertThat(aws.acceptedUsers("rc-u4")).containsExactly(entry("app", List.of(PW1)), entry("default", List.of(token)));
    assertThat(ec.describeUserGroup("rc-u4-g").orElseThrow().replicationGroups()).containsExactly("rc-u4");
    AwsException inUse = awsError(() -> ec.deleteUserGroup("rc-u4-g"));
    assertThat(List.of(inUse.code(), inUse.kind().name())).containsExactly("InvalidUserGroupState", "BUSY");
  }

  /**
   * E70: AWS's "Disabling access control" for a cache with an AUTH token: DELETE to a user group whose
   * default user takes the token (the token still lets clients in), then the group removed (it stays
   * on the cache until the modification ends), then nothing: no token, no users; the group is free.
   */
  @Test
  void aTokenCacheIsOpenedThroughAUserGroupWhoseDefaultUserTakesTheToken() {
    aws.userTime(aws.unit());
    var ec = aws.elastiCache();
    String token = AuthTokens.generate();
    awaitAvailable(tokenSpec("rc-u7", token));
    ec.createUser(passwordUser("rc-u7-token", "default", "on ~* &* +@all", token));
    ec.createUserGroup("rc-u7-g", "valkey", List.of("rc-u7-token"), Map.of());
    awaitUserGroup("rc-u7-g", g -> g.active());
    ec.modifyReplicationGroup(ModifyRequest.of("rc-u7", true).token(null, "DELETE").userGroups(List.of("rc-u7-g"), null));
    ReplicationGroupInfo onGroup = await("rc-u7", g -> g.group().available()).group();
    assertThat(onGroup.userGroupIds()).containsExactly("rc-u7-g");
    assertThat(onGroup.authTokenEnabled()).isFalse();
    assertThat(aws.acceptedUsers("rc-u7")).containsExactly(entry("default", List.of(token)));
    ec.modifyReplicationGroup(ModifyRequest.of("rc-u7", true).userGroups(null, List.of("rc-u7-g")));
    ReplicationGroupInfo removing = group("rc-u7").orElseThrow().group();
    assertThat(removing.status()).isEqualTo("modifying");
    assertThat(removing.userGroupIds()).as("on the cache until the modification ends").containsExactly("rc-u7-g");
    assertThat(aws.acceptedUsers("rc-u7")).containsExactly(entry("default", List.of(token)));
    assertThat(awsError(() -> ec.deleteUserGroup("rc-u7-g")).code()).isEqualTo("InvalidUserGroupState");
    ReplicationGroupInfo open = await("rc-u7", g -> g.group().available()).group();
    assertThat(open.userGroupIds()).isEmpty();
    assertThat(open.authTokenEnabled()).isFalse();
    assertThat(aws.acceptedUsers("rc-u7")).isEmpty();
    assertThat(aws.acceptedTokens("rc-u7")).isEmpty();
    ec.deleteUserGroup("rc-u7-g");
    awaitUserGroup("rc-u7-g", g -> g == null);
    ec.deleteUser("rc-u7-token");
  }

  /**
   * E71: AWS's "Migrating from RBAC to AUTH": RemoveUserGroups with AuthToken and ROTATE; while AWS
   * applies it the group's users are still let in and the group stays on the cache; then the token
   * is accepted, optional (clients without it let in too) until SET, and the user group is free.
   */
  @Test
  void aCacheOnAUserGroupGoesBackToATokenByRemoveUserGroupsRotateThenSet() {
    aws.userTime(aws.unit());
    var ec = aws.elastiCache();
    String token = AuthTokens.generate();
    ec.createUser(passwordUser("rc-u8-default", "default", "off -@all", PW2));
    ec.createUser(passwordUser("rc-u8-app", "app", "on ~app:* +@all", PW1));
    ec.createUserGroup("rc-u8-g", "valkey", List.of("rc-u8-default", "rc-u8-app"), Map.of());
    awaitUserGroup("rc-u8-g", g -> g.active());
    awaitAvailable(spec("rc-u8", SMALL, 0).withTransitEncryption(true));
    awaitAvailable(spec("rc-u8-none", SMALL, 0).withTransitEncryption(true));
    ec.modifyReplicationGroup(ModifyRequest.of("rc-u8", true).userGroups(List.of("rc-u8-g"), null));
    await("rc-u8", g -> g.group().available());
    assertThat(awsError(() -> ec.modifyReplicationGroup(ModifyRequest.of("rc-u8-none", true).backToToken(token))).code())
        .as("no user group to remove").isEqualTo("InvalidParameterCombination");
    assertThat(awsError(() -> ec.modifyReplicationGroup(ModifyRequest.of("rc-u8", true).backToToken(token).userGroups(null, List.of("rc-u8-g")))).code())
        .as("RemoveUserGroups with UserGroupIdsToRemove").isEqualTo("InvalidParameterCombination");
    ec.modifyReplicationGroup(ModifyRequest.of("rc-u8", true).backToToken(token));
    ReplicationGroupInfo applying = group("rc-u8").orElseThrow().group();
    assertThat(applying.status()).isEqualTo("modifying");
    assertThat(applying.userGroupIds()).as("on the cache until the modification ends").containsExactly("rc-u8-g");
    assertThat(applying.authTokenEnabled()).isFalse();
    assertThat(aws.acceptedUsers("rc-u8")).as("the apps' users still let in").containsExactly(entry("app", List.of(PW1)));
    assertThat(aws.acceptedTokens("rc-u8")).isEmpty();
    assertThat(awsError(() -> ec.deleteUserGroup("rc-u8-g")).code()).isEqualTo("InvalidUserGroupState");
    ReplicationGroupInfo rotated = await("rc-u8", g -> g.group().available()).group();
    assertThat(rotated.userGroupIds()).isEmpty();
    assertThat(rotated.authTokenEnabled()).isTrue();
    assertThat(aws.acceptedUsers("rc-u8")).isEmpty();
    assertThat(aws.acceptedTokens("rc-u8")).containsExactly(token);
    assertThat(aws.tokenOptional("rc-u8")).as("optional until SET").isTrue();
    ec.modifyReplicationGroup(ModifyRequest.of("rc-u8", true).token(token, "SET"));
    await("rc-u8", g -> g.group().available());
    assertThat(aws.acceptedTokens("rc-u8")).containsExactly(token);
    assertThat(aws.tokenOptional("rc-u8")).as("required after SET").isFalse();
    ec.deleteUserGroup("rc-u8-g");
    awaitUserGroup("rc-u8-g", g -> g == null);
    ec.deleteUser("rc-u8-app");
    ec.deleteUser("rc-u8-default");
  }

  @Test
  void aCacheHasOneUserGroupWhichNeedsTlsAndAMatchingEngine() {
    aws.userTime(aws.unit());
    var ec = aws.elastiCache();
    awaitAvailable(spec("rc-u5", SMALL, 0).withTransitEncryption(true));
    awaitAvailable(spec("rc-u5-plain", SMALL, 0));
    awaitAvailable(spec("rc-u5-redis", SMALL, 0).withEngine("redis").withEngineVersion("7.1").withTransitEncryption(true));
    ec.createUser(passwordUser("rc-u5-default", "default", "off -@all", PW2));
    ec.createUserGroup("rc-u5-a", "valkey", List.of("rc-u5-default"), Map.of());
    ec.createUserGroup("rc-u5-b", "valkey", List.of("rc-u5-default"), Map.of());
    awaitUserGroup("rc-u5-a", g -> g.active());
    awaitUserGroup("rc-u5-b", g -> g.active());
    assertThat(awsError(() -> ec.modifyReplicationGroup(ModifyRequest.of("rc-u5-plain", true).userGroups(List.of("rc-u5-a"), null))).code())
        .as("RBAC needs in-transit encryption").isEqualTo("InvalidParameterCombination");
    assertThat(awsError(() -> ec.modifyReplicationGroup(ModifyRequest.of("rc-u5-redis", true).userGroups(List.of("rc-u5-a"), null))).code())
        .as("a Redis OSS cache takes only a redis user group").isEqualTo("InvalidParameterCombination");
    ec.modifyReplicationGroup(ModifyRequest.of("rc-u5", true).userGroups(List.of("rc-u5-a"), null));
    await("rc-u5", g -> g.group().available());
    assertThat(awsError(() -> ec.modifyReplicationGroup(ModifyRequest.of("rc-u5", true).userGroups(List.of("rc-u5-b"), null))).code())
        .as("one user group per cache").isEqualTo("InvalidParameterCombination");
    ec.modifyReplicationGroup(ModifyRequest.of("rc-u5", true).userGroups(List.of("rc-u5-b"), List.of("rc-u5-a")));
    assertThat(awsError(() -> ec.deleteUserGroup("rc-u5-a")).code()).as("still attached until the modification ends").isEqualTo("InvalidReplicationGroupState".equals("") ? "" : "InvalidUserGroupState");
    assertThat(await("rc-u5", g -> g.group().available()).group().userGroupIds()).containsExactly("rc-u5-b");
    ec.deleteUserGroup("rc-u5-a");
    awaitUserGroup("rc-u5-a", g -> g == null);
    // the last group off (AWS's "Disabling access control": a cache on RBAC is opened by removing its user group);
    // the group is then free to delete
    ec.modifyReplicationGroup(ModifyRequest.of("rc-u5", true).userGroups(null, List.of("rc-u5-b")));
    assertThat(await("rc-u5", g -> g.group().available()).group().userGroupIds()).isEmpty();
    ec.deleteUserGroup("rc-u5-b");
    awaitUserGroup("rc-u5-b", g -> g == null);
  }

  @Test
  void aNewCacheTakesItsActiveUserGroupAtCreationWithoutATokenAndUsersCarryTheirTags() {
    aws.userTime(aws.unit());
    var ec = aws.elastiCache();
    UserInfo def = ec.createUser(passwordUser("rc-u6-default", "default", "off -@all", PW2));
    ec.createUser(passwordUser("rc-u6-app", "app", "on ~app:* +@read +@write", PW1));
    assertThat(ec.tagsOf(def.arn())).as("CreateUser Tags, read back by ARN (ownership)").containsEntry("contract", "yes");
    ec.createUserGroup("rc-u6-g", "valkey", List.of("rc-u6-default", "rc-u6-app"), Map.of("contract", "yes"));
    ReplicationGroupSpec tls = spec("rc-u6", SMALL, 0).withTransitEncryption(true).withAtRestEncryption(true).withUserGroupIds(List.of("rc-u6-g"));
    assertThat(awsError(() -> ec.createReplicationGroup(tls)).code()).as("a user group that is still creating").isEqualTo("InvalidUserGroupState");
    awaitUserGroup("rc-u6-g", g -> g.active());
    assertThat(awsError(() -> ec.createReplicationGroup(tls.withAuthToken(AuthTokens.generate()))).code())
        .as("an AUTH token beside a user group").isEqualTo("InvalidParameterCombination");
    assertThat(awsError(() -> ec.createReplicationGroup(tls.withTransitEncryption(false))).code())
        .as("RBAC needs in-transit encryption").isEqualTo("InvalidParameterCombination");
    assertThat(awsError(() -> ec.createReplicationGroup(tls.withUserGroupIds(List.of("rc-u6-nope")))).kind()).isEqualTo(Kind.NOT_FOUND);
    ReplicationGroupInfo created = awaitAvailable(tls).group();
    assertThat(created.userGroupIds()).containsExactly("rc-u6-g");
    assertThat(created.authTokenEnabled()).isFalse();
    assertThat(aws.acceptedUsers("rc-u6")).as("the disabled default user is not accepted").containsExactly(entry("app", List.of(PW1)));
    assertThat(ec.describeUserGroup("rc-u6-g").orElseThrow().replicationGroups()).containsExactly("rc-u6");
  }

  UserInfo awaitUser(String id, Predicate<UserInfo> condition) {
    for (int i = 0; i < 40; i++) {
      UserInfo u = aws.elastiCache().describeUser(id).orElse(null);
      if (condition.test(u)) return u;
      aws.pass(aws.unit().dividedBy(4));
    }
    throw new AssertionError("user " + id + " never reached the expected state");
  }

  UserGroupInfo awaitUserGroup(String id, Predicate<UserGroupInfo> condition) {
    for (int i = 0; i < 40; i++) {
      UserGroupInfo g = aws.elastiCache().describeUserGroup(id).orElse(null);
      if (condition.test(g)) return g;
      aws.pass(aws.unit().dividedBy(4));
    }
    throw new AssertionError("user group " + id + " never reached the expected state");
  }

  // ---------------------------------------------------------------------------------------------

  Instant now() {
    return aws.now();
  }

  ReplicationGroupSpec spec(String id, String nodeType, int replicas) {
    return ReplicationGroupSpecBuilder.builder()
        .replicationGroupId(id)
        .description("contract " + id)
        .engine("valkey")
        .engineVersion("8.0")
        .cacheNodeType(nodeType)
        .numNodeGroups(1)
        .replicasPerNodeGroup(replicas)
        .clusterMode(false)
        .automaticFailover(false)
        .multiAZ(false)
        .port(6379)
        .cacheSubnetGroupName(subnetGroup)
        .securityGroupIds(List.of())
        .transitEncryption(false)
        .atRestEncryption(false)
        .snapshotRetentionLimit(0)
        .tags(Map.of("contract", "yes"))
        .build();
  }

  ReplicationGroupSpec tokenSpec(String id, String token) {
    return spec(id, SMALL, 1).withTransitEncryption(true).withAtRestEncryption(true).withAuthToken(token);
  }

  static ReplicationGroupSpec withSecurityGroups(ReplicationGroupSpec s, List<String> sgs) {
    return s.withSecurityGroupIds(sgs);
  }

  static ReplicationGroupSpec withFailover(ReplicationGroupSpec s) {
    return s.withAutomaticFailover(true);
  }

  static ReplicationGroupSpec withRetention(ReplicationGroupSpec s, int days) {
    return s.withSnapshotRetentionLimit(days);
  }

  static ReplicationGroupSpec withVersion(ReplicationGroupSpec s, String version) {
    return s.withEngineVersion(version);
  }

  // ---------------------------------------------------------------------------------------------
  // Subnets by tag (issue 10 item 9, E57): EC2 DescribeSubnets with the filters vpc-id and tag:KEY

  @Test
  void subnetsAreSelectedByTheirVpcAndEveryTagWithTheirZones() {
    String a = aws.createSubnet(aws.vpc(), "us-east-1a", Map.of("tier", "internal", "team", "shop"));
    String b = aws.createSubnet(aws.vpc(), "us-east-1b", Map.of("tier", "internal"));
    aws.createSubnet(aws.vpc(), "us-east-1a", Map.of("tier", "public"));
    aws.createSubnet(aws.vpc(), "us-east-1b", Map.of("Tier", "internal"));       // tag keys are case-sensitive
    aws.createSubnet(aws.otherVpc(), "us-east-1a", Map.of("tier", "internal")); // another VPC
    assertThat(aws.ec2().subnetsTagged(aws.vpc(), Map.of("tier", "internal")))
        .extracting(s -> s.subnetId(), s -> s.vpcId(), s -> s.availabilityZone())
        .containsExactlyInAnyOrder(tuple(a, aws.vpc(), "us-east-1a"), tuple(b, aws.vpc(), "us-east-1b"));
    // every tag must match (filters are ANDed), each with its value
    assertThat(aws.ec2().subnetsTagged(aws.vpc(), Map.of("tier", "internal", "team", "shop"))).extracting(s -> s.subnetId()).containsExactly(a);
    assertThat(aws.ec2().subnetsTagged(aws.vpc(), Map.of("tier", "Internal"))).isEmpty();
    assertThat(aws.ec2().subnetsTagged(aws.vpc(), Map.of("team", "shop", "tier", "public"))).isEmpty();
    assertThat(aws.ec2().subnetsTagged(aws.otherVpc(), Map.of("tier", "internal"))).hasSize(1);
  }

  // ---------------------------------------------------------------------------------------------
  // Serverless caches (E32..E36)

  ServerlessCacheSpec serverlessSpec(String name, Integer storage, Integer ecpu, List<String> sgs) {
    return new ServerlessCacheSpec(name, "contract", "valkey", "8", storage, ecpu, sgs, aws.subnets(), null, 1, "04:00",
        Map.of("contract", "yes"));
  }

  ServerlessCacheInfo awaitServerless(String name, Predicate<ServerlessCacheInfo> condition) {
    Duration step = aws.unit().dividedBy(4);
    for (int i = 0; i < 80; i++) {
      ServerlessCacheInfo c = aws.elastiCache().describeServerlessCache(name).orElse(null);
      if (condition.test(c)) return c;
      aws.pass(step);
    }
    throw new AssertionError("serverless cache " + name + " never reached the expected state");
  }

  @Test
  void serverlessCacheIsCreatingThenAvailableWithEndpointAndReaderEndpointAndChangesLimits() {
    String sg = aws.ec2().createSecurityGroup(aws.vpc(), "rc-sl-1", "contract", Map.of("contract", "yes"));
    ServerlessCacheInfo creating = aws.elastiCache().createServerlessCache(serverlessSpec("rc-SL1", 10, 5000, List.of(sg)));
    assertThat(creating.name()).isEqualTo("rc-sl1"); // stored lower case
    assertThat(creating.status()).isEqualTo("creating");
    assertThat(creating.endpoint()).isNull();
    AwsException twice = awsError(() -> aws.elastiCache().createServerlessCache(serverlessSpec("rc-sl1", null, null, List.of(sg))));
    assertThat(twice.code()).isEqualTo("ServerlessCacheAlreadyExistsFault");
    assertThat(twice.kind()).isEqualTo(Kind.ALREADY_EXISTS);
    AwsException early = awsError(() -> aws.elastiCache().modifyServerlessCache(ServerlessCacheChange.of("rc-sl1").withLimits(20, null)));
    assertThat(early.code()).isEqualTo("InvalidServerlessCacheStateFault");
    assertThat(early.kind()).isEqualTo(Kind.BUSY);

    ServerlessCacheInfo up = awaitServerless("rc-sl1", c -> c.available());
    assertThat(up.endpoint().port()).isEqualTo(6379);
    assertThat(up.readerEndpoint().port()).isEqualTo(6380);
    assertThat(up.endpoint().host()).isEqualTo(up.readerEndpoint().host());
    assertThat(tuple(up.maxDataStorageGB(), up.maxECPUPerSecond(), up.securityGroupIds(), up.subnetIds(), up.snapshotRetentionLimit(),
        up.dailySnapshotTime(), up.majorEngineVersion(), up.fullEngineVersion()))
        .isEqualTo(tuple(10, 5000, List.of(sg), aws.subnets(), 1, "04:00", "8", "8.0"));
    assertThat(aws.elastiCache().tagsOf(up.arn())).containsEntry("contract", "yes");
    assertThat(aws.elastiCache().sweepServerlessCaches()).containsKey("rc-sl1");

    aws.elastiCache().modifyServerlessCache(ServerlessCacheChange.of("rc-sl1").withLimits(20, null));
    assertThat(aws.elastiCache().describeServerlessCache("rc-sl1").orElseThrow().status()).isEqualTo("modifying");
    ServerlessCacheInfo changed = awaitServerless("rc-sl1", c -> c.available());
    assertThat(tuple(changed.maxDataStorageGB(), changed.maxECPUPerSecond())).isEqualTo(tuple(20, 5000));
    // the cache holds its security group
    assertThat(awsError(() -> aws.ec2().deleteSecurityGroup(sg)).code()).isEqualTo("DependencyViolation");

    aws.elastiCache().deleteServerlessCache("rc-sl1", "rc-sl1-final-1");
    assertThat(aws.elastiCache().describeServerlessCache("rc-sl1").orElseThrow().status()).isEqualTo("deleting");
    AwsException busy = awsError(() -> aws.elastiCache().deleteServerlessCache("rc-sl1", null));
    assertThat(busy.code()).isEqualTo("InvalidServerlessCacheStateFault");
    awaitServerless("rc-sl1", c -> c == null);
    assertThat(aws.elastiCache().sweepServerlessCaches()).doesNotContainKey("rc-sl1");
    AwsException gone = awsError(() -> aws.elastiCache().deleteServerlessCache("rc-sl1", null));
    assertThat(gone.code()).isEqualTo("ServerlessCacheNotFoundFault");
    assertThat(gone.kind()).isEqualTo(Kind.NOT_FOUND);
  }

  @Test
  void serverlessCacheRefusesLimitsOutOfRangeForeignSecurityGroupsAndTheQuota() {
    String elsewhere = aws.ec2().createSecurityGroup(aws.otherVpc(), "rc-sl-elsewhere", "contract", Map.of("contract", "yes"));
    for (ServerlessCacheSpec refused : List.of(serverlessSpec("rc-sl2", 0, null, List.of()), serverlessSpec("rc-sl2", 5001, null, List.of()),
        serverlessSpec("rc-sl2", null, 999, List.of()), serverlessSpec("rc-sl2", null, 15_000_001, List.of()))) {
      AwsException e = awsError(() -> aws.elastiCache().createServerlessCache(refused));
      assertThat(e.code()).isEqualTo("InvalidParameterValue");
      assertThat(e.kind()).isEqualTo(Kind.INVALID_INPUT);
    }
    AwsException vpc = awsError(() -> aws.elastiCache().createServerlessCache(serverlessSpec("rc-sl2", null, null, List.of(elsewhere))));
    assertThat(vpc.code()).isEqualTo("InvalidParameterCombination");
    assertThat(aws.elastiCache().describeServerlessCache("rc-sl2")).isEmpty();

    // the limits' edges are accepted, and a quota of one refuses the second cache
    aws.maxServerlessCaches(1);
    aws.elastiCache().createServerlessCache(serverlessSpec("rc-sl2", 5000, 15_000_000, List.of()));
    AwsException quota = awsError(() -> aws.elastiCache().createServerlessCache(serverlessSpec("rc-sl3", 1, 1000, List.of())));
    assertThat(quota.code()).isEqualTo("ServerlessCacheQuotaForCustomerExceededFault");
    assertThat(quota.kind()).isEqualTo(Kind.CAPACITY);
  }

  @Test
  void aServerlessCacheIsRestoredFromAServerlessSnapshotOrS3FilesThatFitIt() {
    // E58: SnapshotArnsToRestore names a serverless snapshot of this account and region (here a final one) or RDB files in S3
    aws.elastiCache().createServerlessCache(serverlessSpec("rc-slr1", null, null, List.of()));
    awaitServerless("rc-slr1", c -> c.available());
    aws.elastiCache().deleteServerlessCache("rc-slr1", "rc-slr1-final");
    var snap = aws.elastiCache().describeServerlessSnapshot("rc-slr1-final").orElseThrow();
    assertThat(tuple(snap.status(), snap.engine(), snap.majorEngineVersion(), snap.serverlessCacheName()))
        .isEqualTo(tuple("available", "valkey", "8", "rc-slr1"));
    assertThat(snap.arn()).endsWith(":serverlesscachesnapshot:rc-slr1-final");
    assertThat(aws.elastiCache().describeServerlessSnapshot("no-such-snapshot")).isEmpty();

    aws.elastiCache().createServerlessCache(restoring("rc-slr2", "valkey", "8", List.of(snap.arn())));
    assertThat(aws.serverlessRestoredFrom("rc-slr2")).containsExactly(snap.arn());
    assertThat(awaitServerless("rc-slr2", c -> c.available()).majorEngineVersion()).isEqualTo("8");

    // refused: a snapshot that does not exist, Valkey data into Redis OSS, Valkey 8 data into Valkey 7, an S3 file ElastiCache cannot read
    assertThat(awsError(() -> aws.elastiCache().createServerlessCache(restoring("rc-slr3", "valkey", "8",
        List.of(snap.arn().replace("rc-slr1-final", "rc-none"))))).code()).isEqualTo("InvalidParameterValue");
    for (ServerlessCacheSpec refused : List.of(restoring("rc-slr3", "redis", "7", List.of(snap.arn())), restoring("rc-slr3", "valkey", "7", List.of(snap.arn())))) {
      AwsException e = awsError(() -> aws.elastiCache().createServerlessCache(refused));
      assertThat(e.code()).as(refused.engine() + " " + refused.majorEngineVersion()).isEqualTo("InvalidParameterCombination");
      assertThat(e.kind()).isEqualTo(Kind.INVALID_INPUT);
    }
    assertThat(awsError(() -> aws.elastiCache().createServerlessCache(restoring("rc-slr3", "valkey", "8", List.of("arn:aws:s3:::seed/none.rdb"))))
        .code()).isEqualTo("InvalidParameterValue");
    assertThat(aws.elastiCache().describeServerlessCache("rc-slr3")).isEmpty();

    aws.putS3Object("seed", "sessions.rdb");
    aws.elastiCache().createServerlessCache(restoring("rc-slr4", "valkey", "8", List.of("arn:aws:s3:::seed/sessions.rdb")));
    assertThat(aws.serverlessRestoredFrom("rc-slr4")).containsExactly("arn:aws:s3:::seed/sessions.rdb");
  }

  @Test
  void aServerlessCacheIsRestoredFromANodeBasedSnapshotByItsArn() {
    // E67: "Backups from Valkey or Redis OSS node-based clusters can be restored into a serverless configuration."
    available("rc-sln1", SMALL, 0);
    aws.elastiCache().createSnapshot("rc-sln1", "rc-sln1-manual");
    var taking = aws.elastiCache().describeSnapshot("rc-sln1-manual").orElseThrow();
    assertThat(taking.arn()).isEqualTo("arn:aws:elasticache:us-east-1:123456789012:snapshot:rc-sln1-manual");
    assertThat(awsError(() -> aws.elastiCache().createServerlessCache(restoring("rc-sln2", "valkey", "8", List.of(taking.arn())))).code())
        .as("a snapshot still being taken").isEqualTo("InvalidParameterCombination");
    await("rc-sln1", g -> g.group().available());
    String arn = aws.elastiCache().describeSnapshot("rc-sln1-manual").orElseThrow().arn();

    aws.elastiCache().createServerlessCache(restoring("rc-sln2", "valkey", "8", List.of(arn)));
    assertThat(aws.serverlessRestoredFrom("rc-sln2")).containsExactly(arn);
    awaitServerless("rc-sln2", c -> c.available());

    // still refused: a node-based snapshot that does not exist, Valkey data into Redis OSS, Valkey 8 data into Valkey 7
    assertThat(awsError(() -> aws.elastiCache().createServerlessCache(restoring("rc-sln3", "valkey", "8",
        List.of(arn.replace("rc-sln1-manual", "rc-none"))))).code()).isEqualTo("InvalidParameterValue");
    for (ServerlessCacheSpec refused : List.of(restoring("rc-sln3", "redis", "7", List.of(arn)), restoring("rc-sln3", "valkey", "7", List.of(arn)))) {
      AwsException e = awsError(() -> aws.elastiCache().createServerlessCache(refused));
      assertThat(e.code()).as(refused.engine() + " " + refused.majorEngineVersion()).isEqualTo("InvalidParameterCombination");
    }
    assertThat(aws.elastiCache().describeServerlessCache("rc-sln3")).isEmpty();
  }

  @Test
  void aServerlessCacheTakesAnActiveUserGroupAndLetsItGoBeforeTheGroupIsDeleted() {
    // E66: CreateServerlessCache / ModifyServerlessCache UserGroupId, RemoveUserGroup, UserGroup ServerlessCaches
    aws.userTime(aws.unit());
    var ec = aws.elastiCache();
    ec.createUser(passwordUser("rc-slu-default", "default", "off -@all", PW2));
    ec.createUser(passwordUser("rc-slu-app", "app", "on ~app:* +@read +@write", PW1));
    ec.createUserGroup("rc-slu-g", "valkey", List.of("rc-slu-default", "rc-slu-app"), Map.of("contract", "yes"));
    ServerlessCacheSpec withGroup = new ServerlessCacheSpec("rc-slu1", "contract", "valkey", "8", null, null, List.of(), aws.subnets(), null, 0,
        null, Map.of(), List.of(), "rc-slu-g");
    assertThat(awsError(() -> ec.createServerlessCache(withGroup)).code()).as("a user group still creating").isEqualTo("InvalidUserGroupState");
    assertThat(awsError(() -> ec.createServerlessCache(new ServerlessCacheSpec("rc-slu1", "contract", "valkey", "8", null, null, List.of(),
        aws.subnets(), null, 0, null, Map.of(), List.of(), "rc-slu-nope"))).kind()).isEqualTo(Kind.NOT_FOUND);
    awaitUserGroup("rc-slu-g", g -> g.active());
    assertThat(awsError(() -> ec.createServerlessCache(new ServerlessCacheSpec("rc-slu2", "contract", "redis", "7", null, null, List.of(),
        aws.subnets(), null, 0, null, Map.of(), List.of(), "rc-slu-g"))).code()).as("a valkey group on a Redis OSS cache").isEqualTo("InvalidParameterCombination");

    assertThat(ec.createServerlessCache(withGroup).userGroupId()).isEqualTo("rc-slu-g");
    assertThat(awaitServerless("rc-slu1", c -> c.available()).userGroupId()).isEqualTo("rc-slu-g");
    assertThat(aws.acceptedServerlessUsers("rc-slu1")).as("the disabled default user is not accepted").containsExactly(entry("app", List.of(PW1)));
    assertThat(ec.describeUserGroup("rc-slu-g").orElseThrow().serverlessCaches()).containsExactly("rc-slu1");
    assertThat(awsError(() -> ec.deleteUserGroup("rc-slu-g")).code()).as("a group in use").isEqualTo("InvalidUserGroupState");

    assertThat(awsError(() -> ec.modifyServerlessCache(new ServerlessCacheChange("rc-slu1", null, null, null, null, null, null, "rc-slu-g", true)))
        .code()).isEqualTo("InvalidParameterCombination");
    ec.modifyServerlessCache(ServerlessCacheChange.of("rc-slu1").withoutUserGroup());
    ServerlessCacheInfo open = ec.describeServerlessCache("rc-slu1").orElseThrow();
    assertThat(open.status()).isEqualTo("modifying");
    assertThat(open.userGroupId()).isNull();
    assertThat(aws.acceptedServerlessUsers("rc-slu1")).isEmpty();
    awaitServerless("rc-slu1", c -> c.available());
    assertThat(ec.describeUserGroup("rc-slu-g").orElseThrow().serverlessCaches()).isEmpty();
    assertThat(awsError(() -> ec.modifyServerlessCache(ServerlessCacheChange.of("rc-slu1").withoutUserGroup())).code())
        .as("no group to remove").isEqualTo("InvalidParameterCombination");
    ec.modifyServerlessCache(ServerlessCacheChange.of("rc-slu1").withUserGroup("rc-slu-g"));
    assertThat(awaitServerless("rc-slu1", c -> c.available()).userGroupId()).as("a running cache takes the group").isEqualTo("rc-slu-g");
    ec.modifyServerlessCache(ServerlessCacheChange.of("rc-slu1").withoutUserGroup());
    awaitServerless("rc-slu1", c -> c.available());
    ec.deleteUserGroup("rc-slu-g");
    awaitUserGroup("rc-slu-g", g -> g == null);
  }

  @Test
  void aServerlessCachesOwnershipTagsCanBeRemovedAndTheRestStay() {
    // what deletionPolicy Retain does to a serverless cache: RemoveTagsFromResource on its ARN
    String arn = aws.elastiCache().createServerlessCache(serverlessSpec("rc-slt1", null, null, List.of())).arn();
    awaitServerless("rc-slt1", c -> c.available());
    assertThat(aws.elastiCache().tagsOf(arn)).containsEntry("contract", "yes");
    aws.elastiCache().removeTags(arn, List.of("contract"));
    assertThat(aws.elastiCache().tagsOf(arn)).doesNotContainKey("contract");
  }

  ServerlessCacheSpec restoring(String name, String engine, String major, List<String> arns) {
    return new ServerlessCacheSpec(name, "contract", engine, major, null, null, List.of(), aws.subnets(), null, 0, null, Map.of(), arns);
  }

  ObservedGroup available(String id, String nodeType, int replicas) {
    return awaitAvailable(spec(id, nodeType, replicas));
  }

  ObservedGroup awaitAvailable(ReplicationGroupSpec s) {
    aws.elastiCache().createReplicationGroup(s);
    return await(s.replicationGroupId(), g -> g != null && g.group().available());
  }

  Optional<ObservedGroup> group(String id) {
    return aws.elastiCache().describeReplicationGroup(id);
  }

  List<CacheEvent> eventsOf(String id) {
    List<CacheEvent> mine = aws.elastiCache().describeEvents(id, start);
    assertThat(mine).as("SourceIdentifier narrows the answer to the group").allMatch(e -> id.equals(e.sourceId()));
    return mine;
  }

  /** Lets AWS time pass (at most 20 state transitions) until the group (null when gone) satisfies the condition. */
  ObservedGroup await(String id, Predicate<ObservedGroup> condition) {
    Duration step = aws.unit().dividedBy(4);
    for (int i = 0; i < 80; i++) {
      ObservedGroup g = group(id).orElse(null);
      if (condition.test(g)) return g;
      aws.pass(step);
    }
    throw new AssertionError("group " + id + " never reached the expected state; last: " + group(id).map(g -> g.group().status()).orElse("gone"));
  }

  static AwsException awsError(Runnable call) {
    AwsException e = catchThrowableOfType(AwsException.class, call::run);
    assertThat(e).as("an AwsException").isNotNull();
    return e;
  }
}
