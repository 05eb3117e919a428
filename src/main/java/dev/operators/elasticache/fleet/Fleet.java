package dev.operators.elasticache.fleet;

import dev.operators.elasticache.aws.ObservedGroup;
import dev.operators.elasticache.aws.SecurityGroupInfo;
import dev.operators.elasticache.aws.ServerlessCacheInfo;
import dev.operators.elasticache.aws.UpdateAction;
import java.util.List;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the last sweep saw of every replication group, plus what reconciles learned since (a group
 * just created or deleted), so a reconcile never waits for, or calls, AWS to know a group's state.
 */
@ApplicationScoped
public class Fleet {
  private record Recent(ObservedGroup group, Instant at) {}

  private final Clock clock;
  private volatile Map<String, ObservedGroup> snapshot = Map.of();
  private volatile Instant lastSweepStart;
  private final Map<String, Recent> recent = new ConcurrentHashMap<>();
  private volatile Instant hurryUntil = Instant.EPOCH;
  private volatile java.util.Set<String> owned = java.util.Set.of();
  /** The operator's security groups as the last listing saw them, by group name. */
  private volatile Map<String, SecurityGroupInfo> securityGroups = Map.of();
  private record RecentSecurityGroup(SecurityGroupInfo group, Instant at) {}
  /** What reconciles made of security groups since the last listing began, by group name. */
  private final Map<String, RecentSecurityGroup> recentSecurityGroups = new ConcurrentHashMap<>();
  /** When the poller last read each group from AWS (a full sweep or a look at that group). */
  private final Map<String, Instant> readAt = new ConcurrentHashMap<>();

  @jakarta.inject.Inject
  public Fleet(Clock clock) {
    this.clock = clock;
  }

  /** The group as last seen; a record made after the last sweep started wins over the sweep. */
  public Optional<ObservedGroup> get(String id) {
    Recent r = recent.get(id);
    if (r != null) return Optional.ofNullable(r.group());
    return Optional.ofNullable(snapshot.get(id));
  }

  /** A reconcile created, changed or deleted (null) the group. */
  public void record(String id, ObservedGroup group) {
    recent.put(id, new Recent(group, clock.instant()));
  }

  /**
   * A reconcile needs what the view lacks of this group (its members, after a sweep of the groups
   * alone): the poller's next look reads it, as it reads a reconcile's guess.
   */
  public void readSoon(String id) {
    get(id).ifPresent(g -> record(id, g));
  }

  /** Replace the view with a sweep that started at {@code sweepStart}; every group counts as the operator's. */
  public void replace(Map<String, ObservedGroup> all, Instant sweepStart) {
    replace(all, all.keySet(), sweepStart);
  }

  /**
   * Replace the view with a sweep that started at {@code sweepStart}. {@code owned}: the groups of
   * the caches this operator manages; only they decide how fast the next sweep comes (a group of
   * another team in transition is none of this operator's business).
   */
  public void replace(Map<String, ObservedGroup> all, java.util.Set<String> owned, Instant sweepStart) {
    snapshot = Map.copyOf(all);
    this.owned = java.util.Set.copyOf(owned);
    lastSweepStart = sweepStart;
    recent.entrySet().removeIf(e -> !e.getValue().at().isAfter(sweepStart));
    readAt.clear();
    all.keySet().forEach(id -> readAt.put(id, sweepStart));
  }

  /**
   * The poller read one group (null: AWS no longer has it) in a look that started at {@code lookStart}:
   * it replaces the group in the view, and a reconcile's record made before the look.
   */
  public synchronized void refresh(String id, ObservedGroup group, Instant lookStart) {
    Map<String, ObservedGroup> copy = new java.util.HashMap<>(snapshot);
    if (group == null) copy.remove(id); else copy.put(id, group);
    snapshot = Map.copyOf(copy);
    recent.computeIfPresent(id, (k, r) -> r.at().isAfter(lookStart) ? r : null);
    readAt.put(id, lookStart);
  }

  /** The groups of this operator's caches, as of the last sweep. */
  public java.util.Set<String> owned() {
    return owned;
  }

  public void owned(java.util.Set<String> groupIds) {
    owned = java.util.Set.copyOf(groupIds);
  }

  /**
   * Groups to read again although no event named them: a reconcile's guess of a state (a group it
   * asked to modify or delete, recorded before {@code guessedBefore}), and groups of this operator in
   * transition not read since {@code readBefore} (AWS's events are the signal; this is the safety net).
   */
  public java.util.Set<String> due(Instant guessedBefore, Instant readBefore) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    recent.forEach((id, r) -> {
      boolean answeredByAws = r.group() != null && "creating".equals(r.group().group().status());
      if (!r.at().isAfter(answeredByAws ? readBefore : guessedBefore)) out.add(id);
    });
    for (String id : owned) {
      ObservedGroup g = snapshot.get(id);
      Instant read = readAt.get(id);
      if (g != null && inTransition(g) && (read == null || !read.isAfter(readBefore))) out.add(id);
    }
    return out;
  }

  /** The poller has not read this group (or learnt it is absent) since {@code t}. */
  public boolean notReadSince(String id, Instant t) {
    Instant read = readAt.get(id);
    return read == null || !read.isAfter(t);
  }

  /** Every group as the view has it (the poller's estimate of what a look costs). */
  public Map<String, ObservedGroup> all() {
    return snapshot;
  }

  private static boolean inTransition(ObservedGroup g) {
    // create-failed is an end state: only the operator's delete (recorded as a guess) moves it on.
    return !g.group().available() && !"create-failed".equals(g.group().status());
  }

  /** The service updates' actions still to be done (or just done) on each group, as the poller last read them. */
  private volatile Map<String, List<UpdateAction>> updates = Map.of();
  private volatile boolean updatesSwept;

  /** The actions of every pending service update, from the poller's look at them (all groups at once). */
  public synchronized void replaceUpdates(List<UpdateAction> all) {
    Map<String, List<UpdateAction>> byGroup = new java.util.HashMap<>();
    all.forEach(a -> byGroup.computeIfAbsent(a.replicationGroupId(), k -> new java.util.ArrayList<>()).add(a));
    Map<String, List<UpdateAction>> sorted = new java.util.HashMap<>();
    byGroup.forEach((id, list) -> sorted.put(id, sortedByName(list)));
    updates = Map.copyOf(sorted);
    updatesSwept = true;
  }

  /** The poller read (or AWS answered an apply of) one group's action of one service update. */
  public synchronized void recordUpdate(UpdateAction action) {
    Map<String, List<UpdateAction>> copy = new java.util.HashMap<>(updates);
    List<UpdateAction> list = new java.util.ArrayList<>(copy.getOrDefault(action.replicationGroupId(), List.of()));
    list.removeIf(a -> a.serviceUpdateName().equals(action.serviceUpdateName()));
    list.add(action);
    copy.put(action.replicationGroupId(), sortedByName(list));
    updates = Map.copyOf(copy);
  }

  /** The group's service update actions, by update name (empty when none is pending). */
  public List<UpdateAction> updates(String id) {
    return updates.getOrDefault(id, List.of());
  }

  /** Every group's service update actions. */
  public Map<String, List<UpdateAction>> allUpdates() {
    return updates;
  }

  /** The poller has looked at service updates since it started. */
  public boolean updatesSwept() {
    return updatesSwept;
  }

  private static List<UpdateAction> sortedByName(List<UpdateAction> list) {
    return list.stream().sorted(java.util.Comparator.comparing(UpdateAction::serviceUpdateName)).toList();
  }

  /**
   * Replace the security groups with a listing that started at {@code listingStart}. A reconcile's
   * record made after that start wins over the listing (a group created while the pages were read
   * is not dropped from the view, nor a rule just authorized put back as missing).
   */
  public void replaceSecurityGroups(Map<String, SecurityGroupInfo> byName, Instant listingStart) {
    securityGroups = Map.copyOf(byName);
    recentSecurityGroups.entrySet().removeIf(e -> !e.getValue().at().isAfter(listingStart));
  }

  /** A reconcile created the group or changed its rules or tags: keep the view in step until the next listing. */
  public void recordSecurityGroup(SecurityGroupInfo g) {
    recentSecurityGroups.put(g.groupName(), new RecentSecurityGroup(g, clock.instant()));
  }

  /** The group as last seen: this process's own record since the last listing began, else the listing. */
  public Optional<SecurityGroupInfo> securityGroup(String name) {
    return recordedSecurityGroup(name).or(() -> Optional.ofNullable(securityGroups.get(name)));
  }

  /**
   * The group as this process itself created or changed it since the last listing began: as AWS has
   * it unless someone changed it behind the operator's back since, which the next listing shows.
   */
  public Optional<SecurityGroupInfo> recordedSecurityGroup(String name) {
    RecentSecurityGroup r = recentSecurityGroups.get(name);
    return r == null ? Optional.empty() : Optional.of(r.group());
  }

  public boolean swept() {
    return lastSweepStart != null;
  }

  /** Sweep fast for a while: a reconcile is waiting on AWS. The next sweep comes at the fast period, not later. */
  public void hurry(Duration forHowLong) {
    Instant until = clock.instant().plus(forHowLong);
    if (until.isAfter(hurryUntil)) hurryUntil = until;
    Runnable listener = onHurry;
    if (listener != null) listener.run();
  }

  private volatile Runnable onHurry;

  /** The poller brings its next sweep forward when a reconcile starts waiting on AWS. */
  public void onHurry(Runnable listener) {
    this.onHurry = listener;
  }

  /** True while a group of this operator's caches is in transition, or a reconcile asked to hurry. */
  public boolean wantsFastSweep() {
    if (clock.instant().isBefore(hurryUntil) || !recent.isEmpty() || !recentServerless.isEmpty()) return true;
    return owned.stream().map(snapshot::get).anyMatch(g -> g != null && inTransition(g));
  }

  // Serverless caches: the same view, from the sweep's DescribeServerlessCaches (all caches at once).

  private record RecentServerless(ServerlessCacheInfo cache, Instant at) {}

  private volatile Map<String, ServerlessCacheInfo> serverless = Map.of();
  private volatile Instant serverlessReadAt;
  private final Map<String, RecentServerless> recentServerless = new ConcurrentHashMap<>();

  /** The serverless cache as last seen; a reconcile's record made after the last listing started wins over the listing. */
  public Optional<ServerlessCacheInfo> serverless(String name) {
    RecentServerless r = recentServerless.get(name);
    if (r != null) return Optional.ofNullable(r.cache());
    return Optional.ofNullable(serverless.get(name));
  }

  /** A reconcile created, changed or deleted (null) the serverless cache. */
  public void recordServerless(String name, ServerlessCacheInfo cache) {
    recentServerless.put(name, new RecentServerless(cache, clock.instant()));
  }

  /** Replace the serverless caches with a listing that started at {@code listingStart}. */
  public void replaceServerless(Map<String, ServerlessCacheInfo> all, Instant listingStart) {
    serverless = Map.copyOf(all);
    serverlessReadAt = listingStart;
    recentServerless.entrySet().removeIf(e -> !e.getValue().at().isAfter(listingStart));
  }

  /** When the poller last listed the serverless caches (null: never). */
  public Instant serverlessReadAt() {
    return serverlessReadAt;
  }

  /** A serverless cache of these names is in transition in the view, or a reconcile recorded a change it made. */
  public boolean serverlessBusy(java.util.Set<String> names) {
    if (!recentServerless.isEmpty()) return true;
    return names.stream().map(serverless::get).anyMatch(c -> c != null && !c.available());
  }
}
