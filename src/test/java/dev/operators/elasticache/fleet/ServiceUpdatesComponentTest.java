package dev.operators.elasticache.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.api.ServiceUpdateStatus;
import dev.operators.elasticache.api.ServiceUpdates;
import dev.operators.elasticache.aws.ReplicationGroupSpecBuilder;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.fake.Harness;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * AWS's service updates through the shared poller and the reconciler: one paginated
 * DescribeUpdateActions for the whole fleet per period, status and events for each cache, and
 * {@code serviceUpdates: Auto} applying them (batched across caches) only inside the window.
 */
class ServiceUpdatesComponentTest {
  static final Duration FAST = Duration.ofSeconds(5);
  static final Duration STEADY = Duration.ofSeconds(60);
  static final Duration FULL = Duration.ofMinutes(30);
  static final Duration UPDATES = Duration.ofHours(6);
  static final Instant APPLY_BY = Instant.parse("2026-02-15T00:00:00Z");
  /** The fake's clock starts on Thursday 2026-01-01 00:00 UTC. */
  static final String WINDOW = "sun:04:00-sun:05:00";
  static final Instant WINDOW_OPENS = Instant.parse("2026-01-04T04:00:00Z");

  final Harness h = new Harness();
  final List<ResourceID> triggered = new ArrayList<>();
  FleetEventSource poller;

  FleetEventSource poller() {
    return poller(UPDATES);
  }

  FleetEventSource poller(Duration updates) {
    FleetEventSource p = new FleetEventSource(h.aws, h.aws, h.fleet, new FleetLookComponentTest.Listed(h.informer), "test",
        new FleetEventSource.Periods(FAST, STEADY, FULL, Duration.ofMinutes(4), updates), h.aws.clock, h.admission) {
      @Override
      public boolean isRunning() {
        return true;
      }
    };
    p.setEventHandler(e -> triggered.add(e.getRelatedCustomResourceID()));
    return p;
  }

  RedisCache ready(String name, ServiceUpdates mode, String window) {
    RedisCache rc = Harness.cache("shop", name);
    rc.getSpec().setServiceUpdates(mode);
    rc.getSpec().setMaintenanceWindow(window);
    h.reconcileUntilReady(rc, 30);
    h.informer.add(rc);
    return rc;
  }

  /** The operator starts (its first turn), then AWS publishes a Valkey service update. */
  void startThenPublish(String severity) {
    poller = poller();
    poller.tick();
    h.aws.publishServiceUpdate("elasticache-valkey-2026-001", "valkey", severity, APPLY_BY);
  }

  Map<String, Long> calls() {
    Map<String, Long> out = new TreeMap<>();
    h.aws.calls.forEach(c -> out.merge(c, 1L, Long::sum));
    return out;
  }

  long calls(String op) {
    return h.aws.calls.stream().filter(op::equals).count();
  }

  /** Lets time pass in poller turns of {@code step} until {@code until}. */
  void turnsUntil(Instant until, Duration step) {
    while (h.aws.clock.instant().isBefore(until)) {
      h.aws.clock.advance(step);
      poller.tick();
    }
  }

  List<String> reasons() {
    return h.kube.events.stream().map(Harness.Recorded::reason).filter(r -> r.startsWith("ServiceUpdate")).toList();
  }

  @Test
  void aThousandCacheFleetCostsOnePageSequenceOfDescribeUpdateActionsPerPeriod() {
    h.aws.maxGroups = 1100; // a team of this size has its quotas raised
    h.aws.maxNodes = 2100;
    h.aws.createSubnetGroup("fleet-subnets", "fleet", List.of("subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"), Map.of());
    for (int i = 0; i < 1000; i++) {
      RedisCache rc = Harness.cache("fleet", String.format("c%04d", i));
      h.informer.add(rc);
      h.aws.createReplicationGroup(ReplicationGroupSpecBuilder.builder().replicationGroupId(Desired.replicationGroupId(rc, "test"))
          .description("fleet").engine("valkey").engineVersion("8.0").cacheNodeType("cache.t4g.micro").numNodeGroups(1)
          .replicasPerNodeGroup(0).clusterMode(false).automaticFailover(false).multiAZ(false).port(6379)
          .cacheSubnetGroupName("fleet-subnets").securityGroupIds(List.of()).transitEncryption(false).atRestEncryption(false)
          .snapshotRetentionLimit(0).tags(Map.of()).build());
    }
    h.aws.clock.advance(Duration.ofMinutes(15)); // created
    poller = poller();
    poller.tick(); // at start: a full sweep and the look at service updates (none yet: one page)
    assertThat(calls("elasticache:DescribeUpdateActions")).isEqualTo(1);
    h.aws.publishServiceUpdate("elasticache-valkey-2026-001", "valkey", "important", APPLY_BY);
    h.aws.calls.clear();
    triggered.clear();

    Instant start = h.aws.clock.instant();
    Duration turn = Duration.ofMinutes(10); // a look every 10 minutes (fewer turns: the test's time, not the count, grows with them)
    turnsUntil(start.plus(UPDATES).minus(turn), turn);
    assertThat(calls("elasticache:DescribeUpdateActions")).as("nothing between two periods").isZero();
    triggered.clear();
    turnsUntil(start.plus(UPDATES), turn);
    // 1,000 actions at 100 a page: 10 calls for the whole fleet, not one per cache
    assertThat(calls("elasticache:DescribeUpdateActions")).isEqualTo(10);
    assertThat(triggered).as("every cache whose pending updates changed").hasSize(1000);
    triggered.clear();
    turnsUntil(start.plus(UPDATES.multipliedBy(2)), turn);
    assertThat(calls("elasticache:DescribeUpdateActions")).as("the next period: the same 10 pages").isEqualTo(20);
    assertThat(triggered).as("nothing changed: no cache signalled again").isEmpty();
    assertThat(calls("elasticache:BatchApplyUpdateAction")).as("Manual: nothing applied").isZero();
    // per cache-hour: 20 calls / (1,000 caches x 12 h)
    assertThat(calls("elasticache:DescribeUpdateActions") / (1000.0 * 12)).isLessThan(0.002);
  }

  @Test
  void manualListsThePendingUpdateInStatusOnceAndNeverAppliesIt() {
    RedisCache a = ready("a", ServiceUpdates.Manual, WINDOW);
    startThenPublish("critical");
    turnsUntil(h.aws.clock.instant().plus(UPDATES).minus(STEADY), STEADY);
    triggered.clear();
    turnsUntil(h.aws.clock.instant().plus(STEADY), STEADY); // the look at service updates
    assertThat(triggered).extracting(ResourceID::getName).containsExactly("a");

    int patches = h.kube.statusPatches;
    h.reconcile(a);
    List<ServiceUpdateStatus> listed = a.getStatus().getServiceUpdates();
    assertThat(listed).hasSize(1);
    ServiceUpdateStatus u = listed.get(0);
    assertThat(u.getName()).isEqualTo("elasticache-valkey-2026-001");
    assertThat(u.getSeverity()).isEqualTo("critical");
    assertThat(u.getType()).isEqualTo("security-update");
    assertThat(u.getStatus()).isEqualTo("not-applied");
    assertThat(u.getRecommendedApplyBy()).isEqualTo("2026-02-15T00:00:00Z");
    assertThat(u.getReleaseDate()).isNotNull();
    assertThat(h.kube.statusPatches).isEqualTo(patches + 1);
    assertThat(reasons()).containsExactly("ServiceUpdateAvailable");
    assertThat(Harness.ready(a)).isTrue();

    h.reconcile(a);
    assertThat(h.kube.statusPatches).as("nothing changed: no write").isEqualTo(patches + 1);
    assertThat(reasons()).as("no second event").containsExactly("ServiceUpdateAvailable");

    turnsUntil(WINDOW_OPENS.plus(Duration.ofMinutes(30)), STEADY); // through the window
    assertThat(calls("elasticache:BatchApplyUpdateAction")).isZero();
  }

  @Test
  void autoAppliesOnlyInsideTheWindowBatchedAcrossCachesAndReportsEachStep() {
    RedisCache a = ready("a", ServiceUpdates.Auto, WINDOW);
    RedisCache b = ready("b", ServiceUpdates.Auto, WINDOW);
    RedisCache c = ready("c", ServiceUpdates.Manual, WINDOW);
    RedisCache d = ready("d", ServiceUpdates.Auto, "wed:04:00-wed:05:00");
    startThenPublish("important");
    turnsUntil(h.aws.clock.instant().plus(UPDATES), STEADY);
    for (RedisCache rc : List.of(a, b, c, d)) h.reconcile(rc);
    h.aws.calls.clear();

    turnsUntil(WINDOW_OPENS.minus(STEADY), STEADY); // until a minute before the window
    assertThat(calls("elasticache:BatchApplyUpdateAction")).as("outside the window").isZero();
    assertThat(h.aws.groups.get(Desired.replicationGroupId(a, "test")).status).isEqualTo("available");

    triggered.clear();
    turnsUntil(WINDOW_OPENS, STEADY); // the window opens
    assertThat(calls("elasticache:BatchApplyUpdateAction")).as("a and b in one call").isEqualTo(1);
    assertThat(h.aws.groups.get(Desired.replicationGroupId(a, "test")).status).isEqualTo("modifying");
    assertThat(h.aws.groups.get(Desired.replicationGroupId(c, "test")).status).as("Manual").isEqualTo("available");
    assertThat(h.aws.groups.get(Desired.replicationGroupId(d, "test")).status).as("its window is on Wednesday").isEqualTo("available");
    assertThat(triggered).extracting(ResourceID::getName).containsExactlyInAnyOrder("a", "b");
    h.reconcile(a);
    assertThat(a.getStatus().getServiceUpdates()).extracting(ServiceUpdateStatus::getStatus).containsExactly("in-progress");
    assertThat(reasons()).contains("ServiceUpdateApplying");

    // AWS applies it (modifying, then available): the poller reads the group back, then its action
    turnsUntil(WINDOW_OPENS.plus(Duration.ofMinutes(5)), FAST);
    assertThat(calls("elasticache:BatchApplyUpdateAction")).as("applied once").isEqualTo(1);
    h.reconcile(a);
    h.reconcile(b);
    assertThat(a.getStatus().getServiceUpdates()).extracting(ServiceUpdateStatus::getStatus).containsExactly("complete");
    assertThat(b.getStatus().getServiceUpdates()).extracting(ServiceUpdateStatus::getStatus).containsExactly("complete");
    assertThat(h.kube.events.stream().filter(e -> e.reason().equals("ServiceUpdateApplied")).count()).isEqualTo(2);
    assertThat(Harness.ready(a)).isTrue();

    // the next look at service updates: nothing pending any more
    turnsUntil(WINDOW_OPENS.plus(UPDATES), STEADY);
    h.reconcile(a);
    assertThat(a.getStatus().getServiceUpdates()).isNull();
    assertThat(calls("elasticache:BatchApplyUpdateAction")).isEqualTo(1);
  }

  @Test
  void anAppliedUpdateThatEndsBetweenTwoListingsOfPendingActionsIsStillReportedComplete() {
    // The look at service updates at every turn (as EndToEndIT sets it): the listing of pending
    // actions that follows AWS's end of the update no longer holds it (complete is not pending).
    RedisCache a = ready("a", ServiceUpdates.Auto, WINDOW);
    poller = poller(FAST);
    poller.tick();
    h.aws.publishServiceUpdate("elasticache-valkey-2026-001", "valkey", "important", APPLY_BY);
    turnsUntil(WINDOW_OPENS, FAST);
    assertThat(calls("elasticache:BatchApplyUpdateAction")).isEqualTo(1);
    h.reconcile(a);
    assertThat(a.getStatus().getServiceUpdates()).extracting(ServiceUpdateStatus::getStatus).containsExactly("in-progress");

    String id = Desired.replicationGroupId(a, "test");
    Instant giveUp = WINDOW_OPENS.plus(Duration.ofMinutes(10));
    while (!h.fleet.updates(id).stream().map(u -> u.status()).toList().equals(List.of("complete"))) {
      assertThat(h.aws.clock.instant()).as("the poller reads how the action ended").isBefore(giveUp);
      assertThat(h.fleet.updates(id)).as("the action is followed, not dropped").isNotEmpty();
      h.aws.clock.advance(FAST);
      poller.tick();
    }
    h.reconcile(a); // the cache the poller signalled
    assertThat(a.getStatus().getServiceUpdates()).extracting(ServiceUpdateStatus::getStatus).containsExactly("complete");
    assertThat(reasons()).contains("ServiceUpdateApplied");

    h.aws.clock.advance(FAST);
    poller.tick(); // the next listing: nothing pending
    h.reconcile(a);
    assertThat(a.getStatus().getServiceUpdates()).isNull();
    assertThat(calls("elasticache:BatchApplyUpdateAction")).as("applied once").isEqualTo(1);
  }

  @Test
  void aStoppedUpdateIsReportedOnceAndAutoLeavesItStopped() {
    RedisCache a = ready("a", ServiceUpdates.Auto, WINDOW);
    startThenPublish("important");
    turnsUntil(WINDOW_OPENS, STEADY);
    assertThat(calls("elasticache:BatchApplyUpdateAction")).isEqualTo(1);
    h.reconcile(a);
    h.aws.stopServiceUpdate("elasticache-valkey-2026-001", List.of(Desired.replicationGroupId(a, "test"))); // someone stops it

    turnsUntil(WINDOW_OPENS.plus(Duration.ofMinutes(4)), FAST); // AWS ends its modification; the poller reads the action
    h.reconcile(a);
    assertThat(a.getStatus().getServiceUpdates()).extracting(ServiceUpdateStatus::getStatus).containsExactly("stopped");
    assertThat(h.kube.events).filteredOn(e -> e.reason().equals("ServiceUpdateStopped")).singleElement()
        .satisfies(e -> assertThat(e.type()).isEqualTo("Warning"));

    turnsUntil(WINDOW_OPENS.plus(Duration.ofMinutes(50)), STEADY); // still in the window
    assertThat(calls("elasticache:BatchApplyUpdateAction")).as("not applied again").isEqualTo(1);
    h.reconcile(a);
    assertThat(h.kube.events).filteredOn(e -> e.reason().equals("ServiceUpdateStopped")).hasSize(1);
  }

  @Test
  void aFailedLookAtServiceUpdatesDoesNotFailTheTurnAndIsTriedAgainTenSteadyPeriodsLater() {
    ready("a", ServiceUpdates.Manual, WINDOW);
    poller = poller();
    h.aws.failNext("elasticache:DescribeUpdateActions", 1); // an HTTP 500 (or a policy without the new action)
    poller.tick(); // no exception: the groups' sweep stands
    assertThat(h.fleet.swept()).isTrue();
    assertThat(h.fleet.updatesSwept()).isFalse();
    h.aws.calls.clear();
    turnsUntil(h.aws.clock.instant().plus(STEADY.multipliedBy(10)).minus(STEADY), STEADY);
    assertThat(calls("elasticache:DescribeUpdateActions")).isZero();
    turnsUntil(h.aws.clock.instant().plus(STEADY), STEADY);
    assertThat(calls("elasticache:DescribeUpdateActions")).isEqualTo(1);
    assertThat(h.fleet.updatesSwept()).isTrue();
  }
}
