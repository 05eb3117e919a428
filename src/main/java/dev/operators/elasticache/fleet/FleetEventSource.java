package dev.operators.elasticache.fleet;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.CacheEvent;
import dev.operators.elasticache.aws.Ec2Port;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.aws.SecurityGroupInfo;
import dev.operators.elasticache.api.ServiceUpdates;
import dev.operators.elasticache.aws.UpdateAction;
import dev.operators.elasticache.decide.Names;
import dev.operators.elasticache.decide.ServiceUpdatePlan;
import java.util.List;
import dev.operators.elasticache.aws.ObservedGroup;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.infra.Leadership;
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
 * The one poller of AWS, for every cache the operator manages however many there are. It reads
 * AWS in two ways:
 * <ul>
 *   <li>a <b>full sweep</b>: one paginated DescribeReplicationGroups, one paginated
 *       DescribeCacheClusters and one paginated DescribeSecurityGroups (by the operator's cluster
 *       tag). Every {@code fullPeriod} (30 minutes by default), and whenever reading the groups one
 *       by one would cost more. The first, at start, reads the groups without their members: a
 *       cache settled for its generation keeps what its status says of them until the next full
 *       sweep, and any other has its group read with its members at the next look (so a restart
 *       over 1,000 settled caches costs 10 pages, not 20);</li>
 *   <li>in between, a <b>look</b> each period (fast while some group is in transition, steady
 *       otherwise): one DescribeEvents since the last look, then DescribeReplicationGroups (and
 *       its member clusters) only for the groups AWS's events name (created, modified, deleted,
 *       backed up: also changes made behind the operator's back), for a reconcile's guess of a
 *       state ("modifying" after its modify call), and, as a safety net, for groups in transition
 *       not read for a steady period. The security groups' tag listing every
 *       {@code securityGroupPeriod}.</li>
 *   <li>AWS's pending <b>service updates</b> of every group: one paginated DescribeUpdateActions at
 *       start and every {@code updates} period (6 hours by default); see {@link #serviceUpdates}.</li>
 * </ul>
 * It triggers a reconcile only for the caches whose group or security group changed. With leader
 * election, it starts polling only once this process leads: a standby replica makes no AWS call.
 */
public class FleetEventSource extends AbstractEventSource<ObservedGroup, RedisCache> {
  private static final Logger LOG = Logger.getLogger(FleetEventSource.class);
  /** Events are read again this far back: AWS may record an event a little after its date. */
  static final Duration EVENT_OVERLAP = Duration.ofSeconds(60);

  /** How often the poller reads what. */
  public record Periods(Duration fast, Duration steady, Duration full, Duration securityGroups, Duration updates) {
    /** The default period of the look at service updates. */
    public static final Duration UPDATES = Duration.ofHours(6);

    public Periods(Duration fast, Duration steady, Duration full, Duration securityGroups) {
      this(fast, steady, full, securityGroups, UPDATES);
    }
  }

  /** BatchApplyUpdateAction and DescribeUpdateActions take at most 20 replication group ids. */
  static final int GROUPS_PER_UPDATE_CALL = 20;

  private final ElastiCachePort elastiCache;
  private final Ec2Port ec2;
  private final Fleet fleet;
  private final IndexerResourceCache<RedisCache> primaries;
  private final String clusterId;
  private final Duration fast;
  private final Duration steady;
  private final Periods periods;
  private final Clock clock;
  private ScheduledExecutorService scheduler;
  private volatile Duration throttledDelay;
  private java.util.concurrent.ScheduledFuture<?> next;
  private Instant lastFull;
  private Instant lastSecurityGroups;
  private Instant lastUpdates;
  /** When the poller last applied a service update to a group, or read its actions after one. */
  private final Map<String, Instant> updateTouched = new HashMap<>();
  private Instant eventsFrom;
  /** The last full sweep's start: what AWS's events dated before it say is in that sweep already. */
  private Instant reflectedUntil;
  /** Events already acted on (within the overlap), so a look never reads a group twice for one event. */
  private final Set<CacheEvent> seenEvents = new java.util.HashSet<>();

  private final Admission admission;
  /** Told every cache after each turn (the per-cache state metric). */
  private final java.util.function.Consumer<List<RedisCache>> afterTurn;
  private final Leadership leadership;
  /** The caches of this sweep's account and region. */
  private final java.util.function.Predicate<RedisCache> mine;

  /** The caches this sweep serves: those in its account and region (the informer holds every cache). */
  private java.util.stream.Stream<RedisCache> caches() {
    return primaries.list().filter(mine);
  }

  public FleetEventSource(ElastiCachePort elastiCache, Ec2Port ec2, Fleet fleet, IndexerResourceCache<RedisCache> primaries,
      String clusterId, Periods periods, Clock clock, Admission admission) {
    this(elastiCache, ec2, fleet, primaries, clusterId, periods, clock, admission, caches -> {}, Leadership.granted());
  }

  public FleetEventSource(ElastiCachePort elastiCache, Ec2Port ec2, Fleet fleet, IndexerResourceCache<RedisCache> primaries,
      String clusterId, Periods periods, Clock clock, Admission admission, java.util.function.Consumer<List<RedisCache>> afterTurn,
      Leadership leadership) {
    this("fleet", c -> c.getSpec() == null || c.getSpec().getAccount() == null, elastiCache, ec2, fleet, primaries, clusterId, periods, clock,
        admission, afterTurn, leadership);
  }

  /**
   * The sweep of one AWS account and region ({@link dev.operators.elasticache.aws.AwsTarget}): it
   * looks only at the caches {@code mine} selects (those that live there), under its own name.
   */
  public FleetEventSource(String name, java.util.function.Predicate<RedisCache> mine, ElastiCachePort elastiCache, Ec2Port ec2, Fleet fleet,
      IndexerResourceCache<RedisCache> primaries, String clusterId, Periods periods, Clock clock, Admission admission,
      java.util.function.Consumer<List<RedisCache>> afterTurn, Leadership leadership) {
    super(ObservedGroup.class, name);
    this.mine = mine;
    this.leadership = leadership;
    this.afterTurn = afterTurn;
    this.admission = admission;
    this.elastiCache = elastiCache;
    this.ec2 = ec2;
    this.fleet = fleet;
    this.primaries = primaries;
    this.clusterId = clusterId;
    this.periods = periods;
    this.fast = periods.fast();
    this.steady = periods.steady();
    this.clock = clock;
  }

  @Override
  public synchronized void start() {
    super.start();
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "rediscache-" + name() + "-sweep"); // rediscache-fleet-sweep: the operator's own account
      t.setDaemon(true);
      return t;
    });
    fleet.onHurry(this::soon);
    if (!leadership.isLeading()) LOG.info("standby: the fleet poller waits until this replica leads");
    leadership.whenLeading(this::firstSweep);
  }

  /** The first turn, at once: at start, or (with leader election) when this replica becomes the leader. */
  private synchronized void firstSweep() {
    if (scheduler == null || scheduler.isShutdown() || next != null) return;
    next = scheduler.schedule(this::sweepAndReschedule, 0, TimeUnit.MILLISECONDS);
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
    Instant began = clock.instant();
    try {
      tick();
      throttledDelay = null;
      delay = nextTurnIn(fleet.wantsFastSweep() ? fast : steady, Duration.between(began, clock.instant()), fast);
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
      try {
        afterTurn.accept(primaries.list().toList()); // every cache: the state metric counts them all (other sweeps pass none)
      } catch (RuntimeException e) {
        LOG.debugf("after the sweep: %s", e.toString());
      }
      schedule(delay);
    }
  }

  /**
   * When the next turn comes after one that took {@code took}: a period is counted from the start of
   * the turn, so a look that took 2 s is followed 3 s later, not 5 (under a burst a look reads a dozen
   * groups, and every cache's Ready waited for it); a turn longer than the period is followed after a
   * fifth of the fast period, never at once.
   */
  static Duration nextTurnIn(Duration period, Duration took, Duration fast) {
    Duration pause = fast.dividedBy(5);
    Duration rest = period.minus(took);
    return rest.compareTo(pause) < 0 ? pause : rest;
  }

  /** One turn of the poller: a full sweep when one is due (or cheaper), else a look. */
  void tick() {
    Instant now = clock.instant();
    if (lastFull == null || !now.isBefore(lastFull.plus(periods.full()))) {
      sweep(true);
    } else {
      look(now);
    }
    serverless(now);
    serviceUpdates(now);
  }

  /**
   * The serverless caches, for every cache at once: one paginated DescribeServerlessCaches (a page per
   * 50), only while the operator has a serverless RedisCache: at the first turn, then every steady
   * period (drift), and at each turn while one of them is in transition or a reconcile just changed one. Signals the caches whose serverless cache changed.
   */
  void serverless(Instant now) {
    Set<String> names = new java.util.HashSet<>();
    caches().filter(p -> p.getSpec() != null && p.getSpec().serverlessEnabled()).forEach(p -> names.add(groupIdOf(p)));
    Instant last = fleet.serverlessReadAt();
    if (names.isEmpty()) return;
    boolean due = last == null || fleet.serverlessBusy(names) || !now.isBefore(last.plus(steady));
    if (!due) return;
    Map<ResourceID, List<Object>> before = seenByCache();
    Map<String, dev.operators.elasticache.aws.ServerlessCacheInfo> all = elastiCache.sweepServerlessCaches();
    int signalled = signalChanges("serverless", before, Map.of(), () -> fleet.replaceServerless(all, now));
    LOG.debugf("serverless: %d caches listed; %d caches signalled", all.size(), signalled);
  }

  /**
   * AWS's service updates, for every cache at once: at the first turn and every {@code updates}
   * period (6 h by default), one paginated DescribeUpdateActions of the actions still to be done
   * (a page per 100). In between, no call unless there is something to do: a group the poller
   * applied an update to is read again (its actions of that update, 20 groups a call) once a look
   * has read it back from AWS; and the updates of caches with {@code serviceUpdates: Auto} whose
   * maintenance window is open are applied, one BatchApplyUpdateAction per update and 20 groups.
   */
  void serviceUpdates(Instant now) {
    Set<String> owned = ownedGroups();
    Set<String> justListed = Set.of();
    if (lastUpdates == null || !now.isBefore(lastUpdates.plus(periods.updates()))) {
      List<UpdateAction> mine;
      try {
        mine = elastiCache.sweepUpdateActions().stream().filter(a -> owned.contains(a.replicationGroupId())).toList();
      } catch (AwsException e) {
        // Not worth failing the turn for (the groups' sweep is what reconciles wait on): tried again in 10 steady periods.
        Duration retry = min(periods.updates(), steady.multipliedBy(10));
        lastUpdates = now.minus(periods.updates()).plus(retry);
        LOG.warnf("reading the pending service updates failed (%s %s), next in %s", e.code(), e.awsMessage(), retry);
        return;
      }
      lastUpdates = now;
      justListed = mine.stream().map(FleetEventSource::actionKey).collect(java.util.stream.Collectors.toSet());
      List<UpdateAction> listed = new java.util.ArrayList<>(mine);
      listed.addAll(stillFollowed(justListed));
      signalChanges("service updates", seenByCache(), Map.of(), () -> fleet.replaceUpdates(listed));
      updateTouched.keySet().retainAll(owned);
    }
    followUpdates(now, justListed);
    applyUpdates(now);
  }

  private static String actionKey(UpdateAction a) {
    return a.replicationGroupId() + "/" + a.serviceUpdateName();
  }

  /**
   * The actions the poller applied and has not yet seen end that a listing of pending actions left
   * out: AWS finished them since (complete is not pending). They stay in the view as they were, so
   * that {@link #followUpdates} reads how they ended and the cache reports it.
   */
  private List<UpdateAction> stillFollowed(Set<String> listed) {
    List<UpdateAction> out = new java.util.ArrayList<>();
    fleet.allUpdates().forEach((id, actions) -> {
      if (!updateTouched.containsKey(id)) return;
      actions.stream().filter(a -> ServiceUpdatePlan.underWay(a.status()) && !listed.contains(actionKey(a))).forEach(out::add);
    });
    return out;
  }

  /**
   * The actions under way on groups the poller has read since it last touched them: have they
   * finished? Not those {@code justListed} (this turn's listing of pending actions read them).
   */
  private void followUpdates(Instant now, Set<String> justListed) {
    Map<String, List<String>> byUpdate = new java.util.TreeMap<>();
    fleet.allUpdates().forEach((id, actions) -> {
      Instant touched = updateTouched.get(id);
      ObservedGroup g = fleet.get(id).orElse(null);
      if (touched == null || g == null || !g.group().available() || fleet.notReadSince(id, touched)) return;
      actions.stream().filter(a -> ServiceUpdatePlan.underWay(a.status()) && !justListed.contains(actionKey(a)))
          .forEach(a -> byUpdate.computeIfAbsent(a.serviceUpdateName(), k -> new java.util.ArrayList<>()).add(id));
    });
    if (byUpdate.isEmpty()) return;
    signalChanges("service updates", seenByCache(), Map.of(), () -> byUpdate.forEach((name, ids) -> {
      for (List<String> chunk : chunks(ids)) {
        elastiCache.sweepUpdateActions(name, chunk).forEach(fleet::recordUpdate);
        chunk.forEach(id -> updateTouched.put(id, now));
      }
    }));
  }

  /** Auto: the next update of each cache whose maintenance window is open, batched by update across the fleet. */
  private void applyUpdates(Instant now) {
    Map<String, List<String>> byUpdate = new java.util.TreeMap<>();
    caches().forEach(p -> {
      if (p.getSpec() == null || p.getSpec().getServiceUpdates() != ServiceUpdates.Auto || p.getMetadata().getDeletionTimestamp() != null) return;
      String id = groupIdOf(p);
      ObservedGroup g = fleet.get(id).orElse(null);
      Instant touched = updateTouched.get(id);
      // A group AWS did not take is tried again after a steady period, not at every look.
      if (g == null || !g.group().available() || (touched != null && now.isBefore(touched.plus(steady)))) return;
      if (!ServiceUpdatePlan.inWindow(ServiceUpdatePlan.window(p.getSpec().getMaintenanceWindow(), g.maintenanceWindow()), now)) return;
      ServiceUpdatePlan.next(fleet.updates(id))
          .ifPresent(a -> byUpdate.computeIfAbsent(a.serviceUpdateName(), k -> new java.util.ArrayList<>()).add(id));
    });
    if (byUpdate.isEmpty()) return;
    signalChanges("service updates", seenByCache(), Map.of(), () -> byUpdate.forEach((name, ids) -> {
      for (List<String> chunk : chunks(ids)) {
        Map<String, String> taken;
        try {
          taken = elastiCache.applyServiceUpdate(name, chunk);
        } catch (AwsException e) {
          LOG.warnf("applying service update %s failed (%s %s); tried again after %s", name, e.code(), e.awsMessage(), steady);
          taken = Map.of();
        }
        for (String id : chunk) {
          updateTouched.put(id, now);
          String status = taken.get(id);
          if (status == null) continue;
          fleet.updates(id).stream().filter(a -> a.serviceUpdateName().equals(name)).findFirst()
              .ifPresent(a -> fleet.recordUpdate(a.withStatus(status)));
          fleet.readSoon(id); // AWS is at work on the group: the next look reads it
        }
      }
    }));
  }

  private static List<List<String>> chunks(List<String> ids) {
    List<List<String>> out = new java.util.ArrayList<>();
    for (int i = 0; i < ids.size(); i += GROUPS_PER_UPDATE_CALL) out.add(ids.subList(i, Math.min(ids.size(), i + GROUPS_PER_UPDATE_CALL)));
    return out;
  }

  /** A full sweep, with the security groups' listing: what {@link #tick()} does when one is due. */
  void sweep() {
    sweep(true);
  }

  /**
   * One full sweep: replace the fleet view and signal the caches whose replication group or security
   * group changed (including changes made behind the operator's back: drift). A cache hears of its
   * group as soon as the page that completes it is read. The security groups are listed too when
   * {@code withSecurityGroups} (a full sweep; a look that became a sweep only when their period is due).
   */
  void sweep(boolean withSecurityGroups) {
    Instant start = clock.instant();
    Map<ResourceID, List<Object>> before = seenByCache();
    Map<String, List<RedisCache>> cachesOf = cachesByGroup();
    Map<ResourceID, List<Object>> told = new HashMap<>();
    // The first sweep after a start reads the groups alone (one call per 100 groups): a settled cache's
    // status holds what the members said; the caches that need more have their group read in a look.
    Map<String, ObservedGroup> all = lastFull == null ? elastiCache.describeGroups()
        : elastiCache.describeAll(g -> told.putAll(refreshAndSignal(g.id(), g, start, cachesOf, "sweep")));
    Instant listed = clock.instant();
    Map<String, SecurityGroupInfo> groups = withSecurityGroups ? securityGroups() : null;
    int signalled = told.size() + signalChanges("sweep", before, told, () -> {
      fleet.replace(all, ownedGroups(), start);
      if (groups != null) fleet.replaceSecurityGroups(groups, listed);
    });
    LOG.debugf("sweep: %d replication groups%s in %d ms; %d caches signalled", all.size(),
        groups == null ? "" : ", " + groups.size() + " security groups", Duration.between(start, clock.instant()).toMillis(), signalled);
    lastFull = start;
    if (groups != null) lastSecurityGroups = start;
    // What happened before this sweep is in it; a look reads only events after it.
    eventsFrom = start;
    reflectedUntil = start;
    seenEvents.clear();
  }

  /**
   * A look: AWS's events since the last look name the groups that changed; only those (and a
   * reconcile's guesses, and groups in transition not read for a steady period) are read again.
   */
  void look(Instant start) {
    List<CacheEvent> events = elastiCache.sweepEvents(eventsFrom.minus(EVENT_OVERLAP));
    Set<String> owned = ownedGroups();
    Set<String> toRead = new java.util.TreeSet<>();
    // Marked as acted on only once the groups they name are read: a look cut short by AWS reads them next time.
    List<CacheEvent> fresh = new java.util.ArrayList<>();
    for (CacheEvent e : events) {
      if (e.date() != null && e.date().isBefore(eventsFrom.minus(EVENT_OVERLAP))) continue;
      boolean inLastSweep = e.date() != null && e.date().isBefore(reflectedUntil);
      if (seenEvents.contains(e)) continue;
      fresh.add(e);
      if (!inLastSweep && owned.contains(e.sourceId())) toRead.add(e.sourceId());
    }
    toRead.addAll(fleet.due(start.minus(fast), start.minus(steady)));
    // A group to adopt that the view does not have (made after the last full sweep, before its
    // RedisCache): read it, at most once a steady period, rather than wait for the next full sweep.
    caches().filter(p -> p.getSpec() != null && p.getSpec().getAdoption() != null).map(this::groupIdOf)
        .filter(id -> fleet.get(id).isEmpty() && fleet.notReadSince(id, start.minus(steady))).forEach(toRead::add);
    toRead.retainAll(owned);
    boolean securityGroupsDue = !start.isBefore(lastSecurityGroups.plus(periods.securityGroups()));
    if (readingEachCostsMore(toRead)) {
      LOG.debugf("look: %d events, %d groups to read cost more than a sweep", fresh.size(), toRead.size());
      sweep(securityGroupsDue);
      return;
    }
    fleet.owned(owned);
    Map<String, List<RedisCache>> cachesOf = cachesByGroup();
    for (String id : toRead) {
      // Its cache hears of the group as soon as it is read, not at the end of the look.
      refreshAndSignal(id, elastiCache.sweepGroup(id).orElse(null), start, cachesOf, "look");
    }
    Map<ResourceID, List<Object>> before = seenByCache();
    Instant listed = clock.instant();
    Map<String, SecurityGroupInfo> groups = securityGroupsDue ? securityGroups() : null;
    if (groups != null) lastSecurityGroups = start;
    signalChanges("security groups", before, Map.of(), () -> {
      if (groups != null) fleet.replaceSecurityGroups(groups, listed);
    });
    LOG.debugf("look: %d events, %d groups read in %d ms%s", fresh.size(), toRead.size(),
        Duration.between(start, clock.instant()).toMillis(), groups == null ? "" : ", security groups listed");
    seenEvents.addAll(fresh);
    eventsFrom = start;
    Instant forget = start.minus(EVENT_OVERLAP.multipliedBy(2));
    seenEvents.removeIf(e -> e.date() == null || e.date().isBefore(forget));
  }

  /** Reading these groups one by one (a describe for each and for each member) costs more calls than a full sweep's pages. */
  private boolean readingEachCostsMore(Set<String> ids) {
    if (ids.isEmpty()) return false;
    Map<String, ObservedGroup> all = fleet.all();
    long each = ids.stream().mapToLong(id -> 1 + Math.max(1, all.containsKey(id) ? all.get(id).members() : 1)).sum();
    long members = all.values().stream().mapToLong(g -> Math.max(1, g.members())).sum();
    long pages = Math.max(1, (all.size() + 99) / 100) + Math.max(1, (members + 99) / 100);
    return each > pages;
  }

  private Map<String, SecurityGroupInfo> securityGroups() {
    Map<String, SecurityGroupInfo> groups = new HashMap<>();
    ec2.listSecurityGroupsTagged(Names.TAG_CLUSTER, clusterId).forEach(g -> groups.put(g.groupName(), g));
    return groups;
  }

  private Set<String> ownedGroups() {
    Set<String> owned = new java.util.HashSet<>();
    caches().forEach(p -> owned.add(groupIdOf(p)));
    return owned;
  }

  /**
   * Apply {@code update} to the view, then trigger the caches whose group or security group it
   * changed since {@code before}, except those already told of what they now see; returns how many.
   */
  private int signalChanges(String by, Map<ResourceID, List<Object>> before, Map<ResourceID, List<Object>> told, Runnable update) {
    update.run();
    admission.observe(caches(), this::toCreate);
    int signalled = 0;
    for (RedisCache p : caches().toList()) {
      ResourceID id = ResourceID.fromResource(p);
      List<Object> now = seen(p);
      boolean changed = !Objects.equals(before.get(id), now) && !Objects.equals(told.get(id), now);
      if (changed && isRunning()) {
        signal(p, by);
        signalled++;
      }
    }
    return signalled;
  }

  /**
   * The poller read one group (null: AWS no longer has it): when it differs from the view, put it in
   * the view and trigger its caches whose view it changed; returns what those caches were told.
   */
  private Map<ResourceID, List<Object>> refreshAndSignal(String id, ObservedGroup g, Instant start,
      Map<String, List<RedisCache>> cachesOf, String by) {
    List<RedisCache> caches = cachesOf.getOrDefault(id, List.of());
    if (by.equals("sweep") && (caches.isEmpty() || Objects.equals(fleet.get(id).orElse(null), g))) return Map.of();
    List<List<Object>> before = caches.stream().map(this::seen).toList();
    fleet.refresh(id, g, start);
    Map<ResourceID, List<Object>> told = new HashMap<>();
    for (int i = 0; i < caches.size(); i++) {
      List<Object> now = seen(caches.get(i));
      if (!Objects.equals(before.get(i), now) && isRunning()) {
        signal(caches.get(i), by);
        told.put(ResourceID.fromResource(caches.get(i)), now);
      }
    }
    return told;
  }

  private Map<ResourceID, List<Object>> seenByCache() {
    Map<ResourceID, List<Object>> out = new HashMap<>();
    caches().forEach(p -> out.put(ResourceID.fromResource(p), seen(p)));
    return out;
  }

  private Map<String, List<RedisCache>> cachesByGroup() {
    Map<String, List<RedisCache>> out = new HashMap<>();
    caches().forEach(p -> out.computeIfAbsent(groupIdOf(p), k -> new java.util.ArrayList<>()).add(p));
    return out;
  }

  /** Trigger a reconcile of {@code p} (logged at debug with what read it: the benchmark times each step to Ready). */
  private void signal(RedisCache p, String by) {
    LOG.debugf("signal %s/%s (%s)", p.getMetadata().getNamespace(), p.getMetadata().getName(), by);
    getEventHandler().handleEvent(new Event(ResourceID.fromResource(p)));
  }

  private List<Object> seen(RedisCache p) {
    String sgName = Names.securityGroupName(clusterId, p.getMetadata().getNamespace(), p.getMetadata().getName());
    return java.util.Arrays.asList(fleet.get(groupIdOf(p)).orElse(null), fleet.serverless(groupIdOf(p)).orElse(null), fleet.updates(groupIdOf(p)),
        fleet.securityGroup(sgName).map(g -> new java.util.TreeSet<>(g.ingress().stream().map(Object::toString).toList())).orElse(null));
  }

  /** A cache whose replication group is still to be created (it waits its turn in {@link Admission}). */
  boolean toCreate(RedisCache p) {
    return p.getMetadata().getDeletionTimestamp() == null && fleet.get(groupIdOf(p)).isEmpty() && fleet.serverless(groupIdOf(p)).isEmpty()
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
