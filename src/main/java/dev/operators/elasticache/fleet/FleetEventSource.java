package dev.operators.elasticache.fleet;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.Ec2Port;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.aws.SecurityGroupInfo;
import dev.operators.elasticache.decide.Names;
import java.util.List;
import dev.operators.elasticache.aws.ObservedGroup;
import dev.operators.elasticache.decide.Desired;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The one poller of AWS: each sweep is one paginated DescribeReplicationGroups, one paginated
 * DescribeCacheClusters and one paginated DescribeSecurityGroups (by the operator's cluster tag)
 * for every cache the operator manages, however many there are.
 * It sweeps fast while some group is in transition and slowly otherwise, and triggers a reconcile
 * only for the caches whose group changed.
 */
public class FleetEventSource extends AbstractEventSource<ObservedGroup, RedisCache> {
  private static final Logger LOG = Logger.getLogger(FleetEventSource.class);

  private final ElastiCachePort elastiCache;
  private final Ec2Port ec2;
  private final Fleet fleet;
  private final IndexerResourceCache<RedisCache> primaries;
  private final String clusterId;
  private final Duration fast;
  private final Duration steady;
  private final Clock clock;
  private ScheduledExecutorService scheduler;
  private volatile Duration throttledDelay;
  private java.util.concurrent.ScheduledFuture<?> next;

  private final Admission admission;

  public FleetEventSource(ElastiCachePort elastiCache, Ec2Port ec2, Fleet fleet, IndexerResourceCache<RedisCache> primaries,
      String clusterId, Duration fast, Duration steady, Clock clock, Admission admission) {
    super(ObservedGroup.class, "fleet");
    this.admission = admission;
    this.elastiCache = elastiCache;
    this.ec2 = ec2;
    this.fleet = fleet;
    this.primaries = primaries;
    this.clusterId = clusterId;
    this.fast = fast;
    this.steady = steady;
    this.clock = clock;
  }

  @Override
  public synchronized void start() {
    super.start();
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "rediscache-fleet-sweep");
      t.setDaemon(true);
      return t;
    });
    next = scheduler.schedule(this::sweepAndReschedule, 0, TimeUnit.MILLISECONDS);
    fleet.onHurry(this::soon);
  }

  /**
   * A reconcile just asked AWS to create, change or delete something: the next sweep comes within
   * the fast period, even when a steady (60 s) one was already scheduled.
   */
  private synchronized void soon() {
    if (scheduler == null || scheduler.isShutdown() || next == null) return;
    if (next.getDelay(TimeUnit.MILLISECONDS) > fast.toMillis() && next.cancel(false)) {
      next = scheduler.schedule(this::sweepAndReschedule, fast.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public synchronized void stop() {
    if (scheduler != null) scheduler.shutdownNow();
    super.stop();
  }

  private void sweepAndReschedule() {
    Duration delay = steady;
    try {
      sweep();
      throttledDelay = null;
      delay = fleet.wantsFastSweep() ? fast : steady;
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.THROTTLED)) {
        throttledDelay = throttledDelay == null ? fast.multipliedBy(2) : min(throttledDelay.multipliedBy(2), steady);
        delay = throttledDelay;
      } else {
        delay = fast.multipliedBy(2);
      }
      LOG.warnf("sweep of replication groups failed (%s %s), next in %s", e.code(), e.awsMessage(), delay);
    } catch (RuntimeException e) {
      LOG.warnf("sweep of replication groups failed: %s", e.toString());
      delay = fast.multipliedBy(2);
    } finally {
      schedule(delay);
    }
  }

  /**
   * One sweep: replace the fleet view and signal the caches whose replication group or security
   * group changed (including changes made behind the operator's back: drift).
   */
  void sweep() {
    Instant start = clock.instant();
    Map<String, ObservedGroup> all = elastiCache.describeAll();
    Map<String, SecurityGroupInfo> groups = new HashMap<>();
    ec2.listSecurityGroupsTagged(Names.TAG_CLUSTER, clusterId).forEach(g -> groups.put(g.groupName(), g));
    Map<ResourceID, List<Object>> before = new HashMap<>();
    primaries.list().forEach(p -> before.put(ResourceID.fromResource(p), seen(p)));
    Set<String> owned = new java.util.HashSet<>();
    primaries.list().forEach(p -> owned.add(groupIdOf(p)));
    fleet.replace(all, owned, start);
    admission.observe(primaries.list(), this::toCreate);
    fleet.replaceSecurityGroups(groups);
    primaries.list().forEach(p -> {
      ResourceID id = ResourceID.fromResource(p);
      List<Object> now = seen(p);
      boolean changed = !Objects.equals(before.get(id), now);
      if (changed && isRunning()) getEventHandler().handleEvent(new Event(id));
    });
  }

  private List<Object> seen(RedisCache p) {
    String sgName = Names.securityGroupName(clusterId, p.getMetadata().getNamespace(), p.getMetadata().getName());
    return java.util.Arrays.asList(fleet.get(groupIdOf(p)).orElse(null),
        fleet.securityGroup(sgName).map(g -> new java.util.TreeSet<>(g.ingress().stream().map(Object::toString).toList())).orElse(null));
  }

  /** A cache whose replication group is still to be created (it waits its turn in {@link Admission}). */
  boolean toCreate(RedisCache p) {
    return p.getMetadata().getDeletionTimestamp() == null && fleet.get(groupIdOf(p)).isEmpty()
        && (p.getStatus() == null || p.getStatus().getReplicationGroupArn() == null)
        && (p.getSpec() == null || p.getSpec().getAdoption() == null);
  }

  String groupIdOf(RedisCache p) {
    return Desired.replicationGroupId(p, clusterId);
  }

  @Override
  public Set<ObservedGroup> getSecondaryResources(RedisCache primary) {
    return fleet.get(groupIdOf(primary)).map(Set::of).orElse(Set.of());
  }

  private synchronized void schedule(Duration delay) {
    if (scheduler != null && !scheduler.isShutdown()) {
      next = scheduler.schedule(this::sweepAndReschedule, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }
}
