package dev.operators.elasticache.fleet;

import dev.operators.elasticache.aws.ObservedGroup;
import dev.operators.elasticache.aws.SecurityGroupInfo;
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
  /** The operator's security groups as the last sweep saw them, by group name. */
  private volatile Map<String, SecurityGroupInfo> securityGroups = Map.of();

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
  }

  public void replaceSecurityGroups(Map<String, SecurityGroupInfo> byName) {
    securityGroups = Map.copyOf(byName);
  }

  /** A reconcile changed the group's rules: keep the view in step until the next sweep. */
  public void recordSecurityGroup(SecurityGroupInfo g) {
    Map<String, SecurityGroupInfo> copy = new java.util.HashMap<>(securityGroups);
    copy.put(g.groupName(), g);
    securityGroups = Map.copyOf(copy);
  }

  public Optional<SecurityGroupInfo> securityGroup(String name) {
    return Optional.ofNullable(securityGroups.get(name));
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
    if (clock.instant().isBefore(hurryUntil) || !recent.isEmpty()) return true;
    return owned.stream().map(snapshot::get).anyMatch(g -> g != null && !g.group().available());
  }
}
