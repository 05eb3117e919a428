package dev.operators.elasticache.fleet;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Fair admission of new caches. Creating a cache takes a handful of AWS calls (security group,
 * subnet group, parameter group, secret, replication group) from a shared budget; when a burst of
 * caches arrives (a new environment, a cluster restore), letting all of them advance together means
 * none finishes until the end. Here at most {@code concurrentCreates} caches go through their
 * creation calls at once, and the others are let in in the order they were applied (creation
 * timestamp, then namespace and name), so cache k is created at about k × calls per cache / rate.
 * A cache leaves when AWS has accepted its replication group, when it is Stalled, or when it is
 * deleted. In memory: after a restart the order is rebuilt as caches are reconciled.
 */
@ApplicationScoped
public class Admission {
  private record Entry(String created, String key, String uid) {}

  private static final Comparator<Entry> ARRIVAL = Comparator.comparing(Entry::created).thenComparing(Entry::key).thenComparing(Entry::uid);

  private final int capacity;
  private final TreeSet<Entry> waiting = new TreeSet<>(ARRIVAL);
  private final Map<String, Entry> byUid = new HashMap<>();
  private final Set<String> admitted = new LinkedHashSet<>();

  @jakarta.inject.Inject
  public Admission(OperatorConfig config) {
    this(config.aws().concurrentCreates());
  }

  public Admission(int capacity) {
    this.capacity = Math.max(1, capacity);
  }

  /** May this cache make its creation calls now? Joins the queue if not. */
  public synchronized boolean admit(RedisCache rc) {
    String uid = rc.getMetadata().getUid();
    if (admitted.contains(uid)) return true;
    if (!byUid.containsKey(uid)) {
      Entry e = entry(rc);
      byUid.put(uid, e);
      waiting.add(e);
    }
    while (admitted.size() < capacity && !waiting.isEmpty()) admitted.add(waiting.pollFirst().uid());
    return admitted.contains(uid);
  }

  /**
   * The informer's view of every cache, as the sweep sees it: those still to be created join the
   * line in the order they were applied even before their own reconcile comes (JOSDK hands caches
   * over in no particular order); those created or gone leave it.
   */
  public synchronized void observe(java.util.stream.Stream<RedisCache> all, java.util.function.Predicate<RedisCache> toCreate) {
    Set<String> present = new java.util.HashSet<>();
    all.forEach(rc -> {
      String uid = rc.getMetadata().getUid();
      if (!toCreate.test(rc)) return;
      present.add(uid);
      if (!byUid.containsKey(uid)) {
        Entry e = entry(rc);
        byUid.put(uid, e);
        waiting.add(e);
      }
    });
    for (String uid : new java.util.ArrayList<>(byUid.keySet())) {
      if (!present.contains(uid)) release(uid);
    }
    while (admitted.size() < capacity && !waiting.isEmpty()) admitted.add(waiting.pollFirst().uid());
  }

  private static Entry entry(RedisCache rc) {
    String created = rc.getMetadata().getCreationTimestamp() == null ? "" : rc.getMetadata().getCreationTimestamp();
    return new Entry(created, rc.getMetadata().getNamespace() + "/" + rc.getMetadata().getName(), rc.getMetadata().getUid());
  }

  /** The cache no longer needs its turn (created, Stalled or deleted): the next one in line may go. */
  public synchronized void release(String uid) {
    admitted.remove(uid);
    Entry e = byUid.remove(uid);
    if (e != null) waiting.remove(e);
  }
}
