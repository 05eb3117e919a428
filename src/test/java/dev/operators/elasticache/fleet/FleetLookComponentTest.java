package dev.operators.elasticache.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.fake.Harness;
import dev.operators.elasticache.reconciler.AdoptionComponentTest;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The poller between full sweeps: one DescribeEvents per look, and only the groups AWS's events
 * name (or a reconcile's guess, or a group in transition not read for a while) read again.
 */
class FleetLookComponentTest {
  static final Duration FAST = Duration.ofSeconds(5);
  static final Duration STEADY = Duration.ofSeconds(60);
  static final Duration FULL = Duration.ofHours(2);

  static final String SETTLED = "2:" + dev.operators.elasticache.resources.ReplicationGroups.SETTLED;

  Harness h;
  FleetEventSource poller;
  final List<ResourceID> triggered = new ArrayList<>();

  @BeforeEach
  void settledFleet() {
    h = new Harness();
    h.aws.creatingTime = Duration.ofSeconds(20);
    for (String name : List.of("a", "b", "c")) {
      RedisCache rc = Harness.cache("shop", name);
      var backups = new dev.operators.elasticache.api.BackupSpec();
      backups.setRetentionDays(7); // automatic backups on: AWS's backup window is a change with an event
      rc.getSpec().setBackups(backups);
      h.reconcileUntilReady(rc, 30);
      h.informer.add(rc);
    }
    poller = poller(h);
    poller.tick(); // the first turn is a full sweep
    h.aws.calls.clear();
    triggered.clear();
  }

  /** The operator's poller over the harness's fleet view and informer; what it triggers goes to {@link #triggered}. */
  FleetEventSource poller(Harness harness) {
    FleetEventSource p = new FleetEventSource(harness.aws, harness.aws, harness.fleet, new Listed(h.informer), "test",
        new FleetEventSource.Periods(FAST, STEADY, FULL, Duration.ofMinutes(2)), harness.aws.clock, harness.admission) {
      @Override
      public boolean isRunning() {
        return true;
      }
    };
    p.setEventHandler(e -> triggered.add(e.getRelatedCustomResourceID()));
    return p;
  }

  RedisCache cache(String name) {
    return h.informer.stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst().orElseThrow();
  }

  Map<String, Long> calls() {
    Map<String, Long> out = new TreeMap<>();
    h.aws.calls.forEach(c -> out.merge(c, 1L, Long::sum));
    return out;
  }

  String groupOf(String name) {
    return Desired.replicationGroupId(h.informer.stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst().orElseThrow(), "test");
  }

  /**
   * A cache of another AWS account (spec.account) is its account's poller's business: the operator's
   * own poller makes no call for it in its own account (here: the serverless listing a serverless
   * cache would bring, and the read of a group to adopt).
   */
  @Test
  void theOperatorsOwnPollerMakesNoCallForACacheOfAnotherAccount() {
    RedisCache elsewhere = Harness.cache("pay", "ledger");
    elsewhere.getSpec().setAccount("payments-eu");
    elsewhere.getSpec().setServerless(new dev.operators.elasticache.api.ServerlessSpec());
    RedisCache adopting = Harness.cache("pay", "legacy");
    adopting.getSpec().setAccount("payments-eu");
    var adoption = new dev.operators.elasticache.api.AdoptionSpec();
    adoption.setReplicationGroupId("legacy-sessions");
    adopting.getSpec().setAdoption(adoption);
    h.informer.add(elsewhere);
    h.informer.add(adopting);
    h.aws.clock.advance(STEADY);
    poller.tick();
    assertThat(calls()).isEqualTo(Map.of("elasticache:DescribeEvents", 1L));
    assertThat(triggered).isEmpty();
  }

  @Test
  void aQuietLookIsOneDescribeEventsAndTheSecurityGroupsEveryTwoMinutes() {
    h.aws.clock.advance(STEADY);
    poller.tick();
    assertThat(calls()).isEqualTo(Map.of("elasticache:DescribeEvents", 1L));
    h.aws.clock.advance(STEADY);
    poller.tick();
    assertThat(calls()).isEqualTo(Map.of("elasticache:DescribeEvents", 2L, "ec2:DescribeSecurityGroups", 1L));
    assertThat(triggered).isEmpty();
  }

  @Test
  void aChangeAwsRecordsAnEventForIsReadForThatGroupAloneAndTriggersItsCache() {
    h.aws.startBackup(groupOf("b")); // the backup window came: AWS records "Backup started"
    h.aws.clock.advance(STEADY);
    poller.tick();
    assertThat(calls()).isEqualTo(Map.of("elasticache:DescribeEvents", 1L, "elasticache:DescribeReplicationGroups", 1L,
        "elasticache:DescribeCacheClusters", 1L));
    assertThat(triggered).extracting(ResourceID::getName).containsExactly("b");
    assertThat(h.fleet.get(groupOf("b")).orElseThrow().group().status()).isEqualTo("snapshotting");

    // The same event is not acted on twice, although the next look reads a minute back again.
    h.aws.calls.clear();
    triggered.clear();
    poller.tick();
    assertThat(calls()).doesNotContainKey("elasticache:DescribeReplicationGroups");
  }

  @Test
  void aLookCutShortByAwsReadsTheGroupItsEventNamedAtTheNextLook() {
    h.aws.startBackup(groupOf("b"));
    h.aws.clock.advance(STEADY);
    h.aws.failNext("elasticache:DescribeReplicationGroups", 1); // an HTTP 500 on the read
    org.assertj.core.api.Assertions.assertThatThrownBy(poller::tick).isInstanceOf(dev.operators.elasticache.aws.AwsException.class);
    assertThat(triggered).isEmpty();

    h.aws.clock.advance(FAST);
    poller.tick();
    assertThat(triggered).extracting(ResourceID::getName).containsExactly("b");
    assertThat(h.fleet.get(groupOf("b")).orElseThrow().group().status()).isEqualTo("snapshotting");
  }

  @Test
  void whenReadingEachChangedGroupCostsMoreThanAFullSweepTheLookIsAFullSweep() {
    for (String name : List.of("a", "b", "c")) h.aws.startBackup(groupOf(name));
    h.aws.clock.advance(STEADY);
    poller.tick();
    // Three groups of one node: 6 calls one by one, against a full sweep's 2 pages. The security
    // groups keep their own period (2 minutes here): listed at the 2nd such look, not the 1st.
    assertThat(calls()).isEqualTo(Map.of("elasticache:DescribeEvents", 1L, "elasticache:DescribeCacheClusters", 1L,
        "elasticache:DescribeReplicationGroups", 1L));
    assertThat(triggered).extracting(ResourceID::getName).containsExactlyInAnyOrder("a", "b", "c");
    // Each cache told once, although the sweep both handed its group over and replaced the view.
    assertThat(triggered).hasSize(3);

    h.aws.clock.advance(Duration.ofMinutes(10)); // the backups end
    h.aws.describeAll();
    h.aws.calls.clear();
    for (String name : List.of("a", "b", "c")) h.aws.startBackup(groupOf(name));
    h.aws.clock.advance(STEADY);
    poller.tick(); // the security groups' period is over: this sweep lists them
    assertThat(calls()).containsEntry("ec2:DescribeSecurityGroups", 1L).containsEntry("elasticache:DescribeCacheClusters", 1L);
  }

  @Test
  void aNewCacheIsReadWhenAwsSaysItWasCreatedAndNotBefore() {
    RedisCache d = Harness.cache("shop", "d");
    h.informer.add(d);
    h.reconcile(d); // creates the replication group (AWS's answer: creating)
    h.aws.calls.clear();

    h.aws.clock.advance(FAST);
    poller.tick();
    assertThat(calls()).as("nothing to read yet: AWS's answer to the create is in the view").isEqualTo(Map.of("elasticache:DescribeEvents", 1L));

    h.aws.clock.advance(Duration.ofSeconds(20)); // AWS's creating time
    poller.tick();
    assertThat(calls()).containsEntry("elasticache:DescribeReplicationGroups", 1L);
    assertThat(triggered).extracting(ResourceID::getName).containsExactly("d");
    h.reconcile(d);
    assertThat(Harness.ready(d)).isTrue();
  }

  @Test
  void aGroupAReconcileGuessedIsModifyingIsReadAfterTheFastPeriod() {
    String id = groupOf("a");
    h.fleet.record(id, h.fleet.get(id).orElseThrow().withStatus("modifying")); // as after a modify call AWS applies later
    h.aws.clock.advance(FAST);
    poller.tick();
    assertThat(calls()).containsEntry("elasticache:DescribeReplicationGroups", 1L);
    assertThat(h.fleet.get(id).orElseThrow().group().status()).isEqualTo("available");
    h.aws.calls.clear();
    h.aws.clock.advance(FAST);
    poller.tick();
    assertThat(calls()).as("read once").isEqualTo(Map.of("elasticache:DescribeEvents", 1L));
  }

  @Test
  void aGroupInTransitionWhoseEventNeverCameIsReadAgainAfterTheSteadyPeriod() {
    RedisCache d = Harness.cache("shop", "d");
    h.informer.add(d);
    h.reconcile(d);
    poller.sweep(); // a full sweep sees the group creating
    String id = groupOf("d");
    h.aws.clock.advance(Duration.ofSeconds(25));
    h.aws.describeReplicationGroup(id); // AWS finished creating it ...
    h.aws.events.clear(); // ... and its event is lost
    h.aws.calls.clear();
    triggered.clear();

    poller.tick();
    assertThat(calls()).isEqualTo(Map.of("elasticache:DescribeEvents", 1L));
    assertThat(h.fleet.get(id).orElseThrow().group().status()).isEqualTo("creating");

    h.aws.clock.advance(STEADY);
    poller.tick();
    assertThat(calls()).containsEntry("elasticache:DescribeReplicationGroups", 1L);
    assertThat(h.fleet.get(id).orElseThrow().group().status()).isEqualTo("available");
    assertThat(triggered).extracting(ResourceID::getName).containsExactly("d");
  }

  @Test
  void aGroupToAdoptMadeAfterTheLastFullSweepIsReadWithoutWaitingForTheNext() {
    AdoptionComponentTest.legacyGroup(h.aws, "legacy"); // made by hand after the poller's full sweep (30 minutes ago)
    RedisCache rc = AdoptionComponentTest.adopting("legacy");
    h.informer.add(rc);
    h.aws.clock.advance(FAST);
    poller.tick();
    assertThat(h.fleet.get(AdoptionComponentTest.LEGACY)).isPresent();
    assertThat(triggered).extracting(ResourceID::getName).containsExactly("legacy");

    h.aws.calls.clear();
    h.fleet.refresh(AdoptionComponentTest.LEGACY, null, h.aws.clock.instant()); // as if AWS had answered "not found"
    h.aws.clock.advance(FAST);
    poller.tick();
    assertThat(calls()).as("an absent group is read at most once a steady period").isEqualTo(Map.of("elasticache:DescribeEvents", 1L));
  }

  @Test
  void aSecurityGroupAReconcileMadeWhileTheListingWasReadStaysInTheView() {
    var made = new dev.operators.elasticache.aws.SecurityGroupInfo("sg-new", "rc-new", "vpc-1", java.util.Set.of(), 0, Map.of());
    java.time.Instant listingStart = h.aws.clock.instant();
    h.aws.clock.advance(Duration.ofSeconds(1));
    h.fleet.recordSecurityGroup(made); // made while the pages were read
    h.fleet.replaceSecurityGroups(Map.of(), listingStart);
    assertThat(h.fleet.securityGroup("rc-new")).contains(made);
    assertThat(h.fleet.recordedSecurityGroup("rc-new")).contains(made);
    h.fleet.replaceSecurityGroups(Map.of(), h.aws.clock.instant()); // a listing begun after it: the listing says
    assertThat(h.fleet.securityGroup("rc-new")).isEmpty();
    assertThat(h.fleet.recordedSecurityGroup("rc-new")).isEmpty();
  }

  @Test
  void aFullSweepComesEveryFullPeriod() {
    h.aws.clock.advance(FULL);
    poller.tick();
    assertThat(calls()).containsEntry("elasticache:DescribeCacheClusters", 1L);
  }

  @Test
  void aRestartReadsTheGroupsAloneAndItsSettledCachesCallNothingAndWriteNoStatus() {
    Harness after = h.restart();
    FleetEventSource restarted = poller(after);
    h.aws.calls.clear();
    restarted.tick(); // a new process's first turn: the groups' pages, not the members' pages; the service updates' page
    assertThat(calls()).isEqualTo(Map.of("elasticache:DescribeReplicationGroups", 1L, "ec2:DescribeSecurityGroups", 1L,
        "elasticache:DescribeUpdateActions", 1L));
    assertThat(after.fleet.get(groupOf("a")).orElseThrow().membersKnown()).isFalse();
    int patches = h.kube.statusPatches;
    for (RedisCache rc : h.informer) {
      after.reconcile(rc);
      assertThat(Harness.ready(rc)).isTrue();
    }
    // Not even DescribeSubnets: the security group the status records, in the listing, says its VPC.
    assertThat(calls()).as("no call for any cache").isEqualTo(
        Map.of("elasticache:DescribeReplicationGroups", 1L, "ec2:DescribeSecurityGroups", 1L, "elasticache:DescribeUpdateActions", 1L));
    assertThat(h.kube.statusPatches).as("no status write").isEqualTo(patches);
    assertThat(after.fleet.wantsFastSweep()).isFalse();
  }

  @Test
  void aCacheWhoseSpecChangedWhileTheOperatorWasDownHasItsGroupReadWithItsMembersBeforeItIsChanged() {
    RedisCache b = cache("b");
    b.getSpec().getBackups().setRetentionDays(3);
    b.getMetadata().setGeneration(2L);
    Harness after = h.restart();
    FleetEventSource restarted = poller(after);
    restarted.tick();
    h.aws.calls.clear();
    triggered.clear();

    after.reconcile(b);
    assertThat(calls()).as("nothing decided on a group whose members were not read")
        .doesNotContainKeys("elasticache:ModifyReplicationGroup", "elasticache:DescribeReplicationGroups", "elasticache:DescribeCacheClusters");
    assertThat(Harness.condition(b, "Reconciling").orElseThrow().getReason()).isEqualTo("Observing");

    h.aws.clock.advance(FAST);
    restarted.tick();
    assertThat(calls()).containsEntry("elasticache:DescribeReplicationGroups", 1L).containsEntry("elasticache:DescribeCacheClusters", 1L);
    assertThat(triggered).extracting(ResourceID::getName).containsExactly("b");
    assertThat(after.fleet.get(groupOf("b")).orElseThrow().membersKnown()).isTrue();
    after.reconcile(b);
    assertThat(calls()).containsEntry("elasticache:ModifyReplicationGroup", 1L);
  }

  @Test
  void aChangeToTheMembersMadeWhileTheOperatorWasDownIsPutBackAtTheNextFullSweep() {
    RedisCache c = cache("c");
    c.getSpec().setMaintenanceWindow("sun:04:00-sun:05:00");
    c.getMetadata().setGeneration(2L);
    for (int i = 0; i < 10 && !SETTLED.equals(c.getStatus().getLastChange()); i++) {
      h.reconcile(c);
      h.aws.clock.advance(Duration.ofMinutes(5));
      h.sweep();
    }
    assertThat(c.getStatus().getLastChange()).isEqualTo(SETTLED);
    // Behind the operator's back, while it is down.
    h.aws.modifyReplicationGroup(dev.operators.elasticache.aws.ModifyRequest.of(groupOf("c"), true)
        .withPreferredMaintenanceWindow("mon:01:00-mon:02:00"));
    h.aws.clock.advance(Duration.ofMinutes(5));

    Harness after = h.restart();
    FleetEventSource restarted = poller(after);
    restarted.tick();
    h.aws.calls.clear();
    triggered.clear();
    after.reconcile(c);
    assertThat(calls()).as("the members' facts are not known yet").doesNotContainKey("elasticache:ModifyReplicationGroup");
    assertThat(Harness.ready(c)).isTrue();

    h.aws.clock.advance(FULL);
    restarted.tick(); // the next full sweep reads the members too
    assertThat(calls()).containsEntry("elasticache:DescribeCacheClusters", 1L);
    assertThat(triggered).extracting(ResourceID::getName).contains("c");
    after.reconcile(c);
    assertThat(calls()).containsEntry("elasticache:ModifyReplicationGroup", 1L);
    assertThat(h.kube.events).extracting(Harness.Recorded::reason).contains("DriftCorrected");
  }

  /** The informer's cache of RedisCaches: the harness's list. */
  record Listed(List<RedisCache> caches) implements IndexerResourceCache<RedisCache> {
    @Override public void addIndexers(Map<String, Function<RedisCache, List<String>>> indexers) {}
    @Override public List<RedisCache> byIndex(String indexName, String key) { return List.of(); }
    @Override public Stream<RedisCache> list(String namespace, Predicate<RedisCache> predicate) { return list(predicate); }
    @Override public Optional<RedisCache> get(ResourceID id) {
      return caches.stream().filter(c -> ResourceID.fromResource(c).equals(id)).findFirst();
    }
    @Override public Stream<ResourceID> keys() { return caches.stream().map(ResourceID::fromResource); }
    @Override public Stream<RedisCache> list(Predicate<RedisCache> predicate) { return caches.stream().filter(predicate); }
  }
}
