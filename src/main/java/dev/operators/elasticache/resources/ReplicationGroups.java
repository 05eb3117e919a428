package dev.operators.elasticache.resources;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.aws.ObservedGroup;
import dev.operators.elasticache.aws.ReplicationGroupInfo;
import dev.operators.elasticache.aws.ReplicationGroupSpec;
import dev.operators.elasticache.config.OperatorConfig;
import dev.operators.elasticache.decide.AdoptionConsent;
import dev.operators.elasticache.decide.Change;
import dev.operators.elasticache.decide.ClusterModeMigration;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.decide.Names;
import dev.operators.elasticache.decide.ReplicationGroupChanges;
import dev.operators.elasticache.decide.RestoreCheck;
import dev.operators.elasticache.decide.StatusBuilder;
import dev.operators.elasticache.decide.TagPlan;
import dev.operators.elasticache.decide.TlsMigration;
import dev.operators.elasticache.fleet.Fleet;
import dev.operators.elasticache.infra.EventRecorder;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replication group: created once with every setting of the spec, then watched through the
 * fleet sweep. Never waits on a thread: while AWS works its steps come to {@link Outcome.WaitForAws}.
 */
@ApplicationScoped
public class ReplicationGroups {
  static final Duration RECHECK = Duration.ofSeconds(60);
  /** Sweep fast this long after a reconcile saw AWS at work (renewed while it keeps waiting). */
  static final Duration HURRY = Duration.ofMinutes(2);
  /** lastChange once the group matched this generation of the spec: a difference after that is drift. */
  public static final String SETTLED = "in line with the spec";

  private final ElastiCachePort elastiCache;
  private final Fleet fleet;
  private final EventRecorder events;
  private final ParameterGroups parameterGroups;
  private final Monitoring monitoring;
  private final List<String> adoptionAllowed;
  private final Duration consentRecheck;
  /**
   * "uid@arn" of adopted groups this process saw carry the RedisCache's uid tag. Deliberately not
   * the status: whoever may write a RedisCache's status must not be able to skip the consent check
   * by writing another group's ARN there.
   */
  private final Set<String> adoptedSeen = ConcurrentHashMap.newKeySet();

  private final java.time.Clock clock;
  private final Duration tlsGrace;
  private final Duration clusterModeGrace;
  /** The region of the caches, for the cost estimate. */
  private final String region;

  @jakarta.inject.Inject
  public ReplicationGroups(ElastiCachePort elastiCache, Fleet fleet, EventRecorder events, ParameterGroups parameterGroups,
      Monitoring monitoring, OperatorConfig config, java.time.Clock clock) {
    this(elastiCache, fleet, events, parameterGroups, monitoring, config, config.aws().region(), clock);
  }

  /** For the caches of another region (spec.account): its cost estimate. */
  public ReplicationGroups(ElastiCachePort elastiCache, Fleet fleet, EventRecorder events, ParameterGroups parameterGroups,
      Monitoring monitoring, OperatorConfig config, String region, java.time.Clock clock) {
    this.clock = clock;
    this.region = region;
    this.adoptionAllowed = config.adoption().allowed().orElse(List.of());
    this.consentRecheck = config.sweep().steadyPeriod();
    this.tlsGrace = config.tlsMigrationGrace();
    this.clusterModeGrace = config.clusterModeMigrationGrace();
    this.monitoring = monitoring;
    this.elastiCache = elastiCache;
    this.fleet = fleet;
    this.events = events;
    this.parameterGroups = parameterGroups;
  }

  /**
   * A TLS change leaving {@code preferred}: the Secret already gives apps the URL the spec goes to
   * (written before this step); AWS is asked to stop accepting the other only a grace period after
   * the Secret switched, so that mounted Secrets are updated and apps reconnect first. When the
   * switch was is kept in status (a lost status write starts the grace again: longer, never shorter).
   * Null when the step may go now.
   */
  private Outcome tlsGrace(Reconcile r, Change next) {
    StatusBuilder status = r.status();
    if (!TlsMigration.leavesPreferred(next)) return null;
    java.time.Instant now = clock.instant();
    Desired d = r.desired();
    String recorded = status.status().getTlsSecretSwitchedAt();
    // The Secret switched in this reconcile (the informer had the other scheme): the grace starts now,
    // also when the spec turned back while AWS was in preferred (apps may have taken the other URL).
    String tlsAtStart = r.secretTlsAtStart();
    boolean switchedNow = tlsAtStart != null && !tlsAtStart.equals(Boolean.toString(d.tls()));
    java.time.Instant since = recorded == null || switchedNow ? now : java.time.Instant.parse(recorded);
    if (recorded == null || switchedNow) status.tlsSecretSwitchedAt(now);
    java.time.Instant until = since.plus(tlsGrace);
    if (!now.isBefore(until)) return null;
    return Outcome.waitForAws("MigratingTls", "AWS accepts plain and TLS connections while apps pick up the " + (d.tls() ? "TLS" : "plain")
        + " URL in Secret " + d.connectionSecretName() + "; then TLS is " + (d.tls() ? "required" : "turned off")
        + " (after the grace period of " + tlsGrace + ")", Duration.between(now, until));
  }

  /**
   * A cluster mode change leaving {@code compatible}, as {@link #tlsGrace} for TLS: the Secret gives
   * apps the endpoint and clusterMode the spec goes to (written while AWS serves both); AWS is asked
   * for enabled (or disabled) only a grace period after the Secret switched. Null when the step may go now.
   */
  private Outcome clusterModeGrace(Reconcile r, Change next) {
    if (!ClusterModeMigration.leavesCompatible(next)) return null;
    StatusBuilder status = r.status();
    java.time.Instant now = clock.instant();
    Desired d = r.desired();
    boolean cluster = ClusterModeMigration.secretClusterMode(d.clusterModeTargetOrDefault(), r.group().group());
    String recorded = status.status().getClusterModeSecretSwitchedAt();
    // The Secret switched in this reconcile (the informer had the other mode): the grace starts now.
    String atStart = r.secretClusterModeAtStart();
    boolean switchedNow = atStart != null && !atStart.equals(Boolean.toString(cluster));
    java.time.Instant since = recorded == null || switchedNow ? now : java.time.Instant.parse(recorded);
    if (recorded == null || switchedNow) status.clusterModeSecretSwitchedAt(now);
    java.time.Instant until = since.plus(clusterModeGrace);
    if (!now.isBefore(until)) return null;
    return Outcome.waitForAws("MigratingClusterMode", "AWS serves plain and cluster-mode clients while apps pick up the "
        + (cluster ? "configuration endpoint (clusterMode true)" : "primary endpoint (clusterMode false)") + " in Secret " + d.connectionSecretName()
        + "; then cluster mode goes " + (cluster ? "enabled" : "back to disabled") + " (after the grace period of " + clusterModeGrace + ")",
        Duration.between(now, until));
  }

  /** The group matched this generation of the spec at the last reconcile. */
  public static boolean settled(RedisCache rc) {
    long generation = rc.getMetadata().getGeneration() == null ? 0 : rc.getMetadata().getGeneration();
    return rc.getStatus() != null && (generation + ":" + SETTLED).equals(rc.getStatus().getLastChange());
  }

  /**
   * Adoption hands the group, its data and its AUTH token to this RedisCache: only with the
   * consent of whoever owns the group ({@link AdoptionConsent}). The step (done at once unless the
   * spec adopts a group) reads AWS only; the reconcile takes it before it writes anything to AWS,
   * and it comes to Stalled when the answer is no.
   */
  public Outcome checkAdoption(Reconcile r) {
    Desired d = r.desired();
    if (!d.adopted()) return Outcome.DONE;
    ObservedGroup g = fleet.get(d.replicationGroupId()).orElse(null);
    if (g == null) {
      // Not in the poller's view: made by hand since its last full sweep, perhaps. Ask AWS before refusing.
      g = elastiCache.describeReplicationGroup(d.replicationGroupId()).orElse(null);
      if (g != null) fleet.record(d.replicationGroupId(), g);
    }
    if (g == null) {
      forget(d.uid());
      return adoptionTargetNotFound(d);
    }
    String arn = g.group().arn();
    if (arn == null) {
      return Outcome.waitForAws("Observing", "Waiting for AWS to report the ARN of replication group " + d.replicationGroupId(), RECHECK);
    }
    if (adoptedSeen.contains(d.uid() + "@" + arn)) return Outcome.DONE;
    AdoptionConsent.Decision consent = consent(d, elastiCache.tagsOf(arn));
    Outcome refused = refused(consent);
    if (!refused.done()) return refused;
    if (consent.verdict() == AdoptionConsent.Verdict.ALREADY_OURS) adoptedSeen.add(d.uid() + "@" + arn);
    return Outcome.DONE;
  }

  private static Outcome adoptionTargetNotFound(Desired d) {
    return Outcome.stalled("AdoptionTargetNotFound", "spec.adoption.replicationGroupId: replication group " + d.replicationGroupId()
        + " does not exist in this region; the operator never creates a group it was asked to adopt");
  }

  /** The RedisCache is gone: nothing to remember about it. */
  public void forget(String uid) {
    adoptedSeen.removeIf(k -> k.startsWith(uid + "@"));
  }

  /** The consent decision for these tags. */
  private AdoptionConsent.Decision consent(Desired d, Map<String, String> tags) {
    return AdoptionConsent.decide(d.namespace(), d.name(), d.uid(), d.replicationGroupId(), tags, adoptionAllowed);
  }

  /** Done when the adoption may go on; Stalled otherwise. */
  private Outcome refused(AdoptionConsent.Decision consent) {
    return switch (consent.verdict()) {
      case ALREADY_OURS, ALLOWED -> Outcome.DONE;
      case OWNED_BY_ANOTHER -> Outcome.stalled("ReplicationGroupOwnedByAnother", consent.message());
      // Consent is a tag in AWS (or a configuration change, which restarts the operator): nothing
      // the informer or the sweep sees, so the operator looks again, reading the tags only.
      case NOT_ALLOWED -> Outcome.stalled("AdoptionNotAllowed", consent.message(), consentRecheck);
    };
  }

  /**
   * The step: the group in {@link Reconcile#group()} once AWS reports it available (or it serves
   * while AWS works on it for reasons of its own); otherwise creates it, or waits.
   */
  public Outcome ensure(Reconcile r) {
    RedisCache rc = r.rc();
    Desired d = r.desired();
    StatusBuilder status = r.status();
    ObservedGroup g = fleet.get(d.replicationGroupId()).orElse(null);
    if (g == null && d.adopted()) return adoptionTargetNotFound(d);
    if (g == null) {
      Outcome created = create(r, status.status().getSecurityGroupId());
      if (!created.done()) return created;
      g = r.group();
      status.observed(d, g, region);
      // A first create sent this generation's tags itself: the first settle need not read them back.
      if (rc.getStatus() == null || rc.getStatus().getLastChange() == null) status.lastChange(CREATED_PREFIX + generationOf(rc));
      fleet.hurry(HURRY);
      return Outcome.waitForAws("Creating", "Replication group " + d.replicationGroupId() + " is " + g.group().status(), RECHECK);
    }
    boolean verified = d.adopted()
        ? adoptedSeen.contains(d.uid() + "@" + g.group().arn())
        : rc.getStatus() != null && g.group().arn() != null && g.group().arn().equals(rc.getStatus().getReplicationGroupArn());
    if (!verified && g.group().arn() != null) {
      Outcome owner = checkOwner(rc, d, g.group().arn());
      if (!owner.done()) return owner;
    }
    status.observed(d, g, region);
    if (!d.adopted() && d.restoredFrom() != null) status.restoredFrom(d.restoredFrom());
    if (g.group().deleting()) {
      fleet.hurry(HURRY);
      return Outcome.waitForAws("WaitingForOldGroup", "An earlier replication group " + d.replicationGroupId() + " is being deleted", RECHECK);
    }
    if (CREATE_FAILED.equals(g.group().status())) return createFailed(rc, d, g, status);
    if (!g.group().available()) {
      fleet.hurry(HURRY);
      if (!servingWithoutUs(rc, g)) {
        return Outcome.waitForAws(reason(g.group().status()), "Replication group " + d.replicationGroupId() + " is " + g.group().status(), RECHECK);
      }
    }
    r.group(g);
    return Outcome.DONE;
  }

  static final String CREATE_FAILED = "create-failed";
  /** status.lastChange after the operator's first create of the group, with the generation it was created for. */
  static final String CREATED_PREFIX = "created:";

  private static long generationOf(RedisCache rc) {
    return rc.getMetadata().getGeneration() == null ? 0 : rc.getMetadata().getGeneration();
  }
  /** Set to any new value to have a group AWS failed to create deleted and created again. */
  public static final String RECREATE_ANNOTATION = "elasticache.operators.dev/recreate";

  /**
   * AWS accepted the create and then failed it (capacity, a network that does not fit): Stalled
   * with AWS's reason, from its events. The way out: change the spec, or set the recreate
   * annotation to a new value; the operator then deletes the failed group and creates it again.
   */
  private Outcome createFailed(RedisCache rc, Desired d, ObservedGroup g, StatusBuilder status) {
    long generation = rc.getMetadata().getGeneration() == null ? 0 : rc.getMetadata().getGeneration();
    String asked = rc.getMetadata().getAnnotations() == null ? null : rc.getMetadata().getAnnotations().get(RECREATE_ANNOTATION);
    // The durable record of the failure: the generation and the recreate annotation when it was first
    // seen (kept in lastChange, so a retried delete or a lost condition cannot blur what was asked since).
    String last = rc.getStatus() == null ? null : rc.getStatus().getLastChange();
    if (last == null || !last.startsWith(FAILED_PREFIX)) {
      last = FAILED_PREFIX + generation + ":" + (asked == null ? "" : asked);
      status.lastChange(last);
    }
    String[] seen = last.substring(FAILED_PREFIX.length()).split(":", 2);
    boolean specChanged = generation > Long.parseLong(seen[0]);
    boolean recreateAsked = asked != null && !asked.equals(seen.length > 1 ? seen[1] : "");
    if (specChanged || recreateAsked) {
      elastiCache.deleteReplicationGroup(d.replicationGroupId(), null); // if AWS refuses for now, the next reconcile decides the same
      status.lastChange("recreating:" + generation);
      events.normal(rc, "RecreatingReplicationGroup", "Deleting replication group " + d.replicationGroupId()
          + ", which AWS failed to create, to create it again" + (specChanged ? " with the changed spec" : " as asked"));
      fleet.record(d.replicationGroupId(), g.withStatus("deleting"));
      fleet.hurry(HURRY);
      return Outcome.waitForAws("WaitingForOldGroup", "The replication group AWS failed to create is being deleted; it is created again next", RECHECK);
    }
    var stalled = rc.getStatus() == null || rc.getStatus().getConditions() == null ? null : rc.getStatus().getConditions().stream()
        .filter(c -> StatusBuilder.STALLED.equals(c.getType()) && "True".equals(c.getStatus()) && "CreateFailed".equals(c.getReason()))
        .findFirst().orElse(null);
    String message = stalled != null ? stalled.getMessage() : "AWS could not create replication group " + d.replicationGroupId() + ": "
        + Objects.requireNonNullElse(failureReason(d, g), "no reason in its events") + ". To try again, change the spec or set the annotation "
        + RECREATE_ANNOTATION + " to a new value: the failed group is deleted and created anew.";
    return Outcome.stalled("CreateFailed", message);
  }

  private static final String FAILED_PREFIX = "create-failed:";

  /** AWS's own words for why the create failed: its newest event about the group (one DescribeEvents, only on failure). */
  private String failureReason(Desired d, ObservedGroup g) {
    java.time.Instant since = clock.instant().minus(Duration.ofDays(13)); // DescribeEvents keeps 14 days
    return elastiCache.describeEvents(d.replicationGroupId(), since).stream()
        .max(java.util.Comparator.comparing(dev.operators.elasticache.aws.CacheEvent::date))
        .map(dev.operators.elasticache.aws.CacheEvent::message).orElse(null);
  }

  /**
   * A Ready cache whose group AWS is working on for reasons of its own (the backup window, a change
   * made outside the operator): the group serves traffic meanwhile, so the cache stays Ready. What the
   * operator itself started (a change of the spec, a token rotation) is waited for as Reconciling.
   */
  static boolean servingWithoutUs(RedisCache rc, ObservedGroup g) {
    return SERVING.contains(g.group().status()) && settled(rc) && StatusBuilder.isTrue(rc.getStatus(), StatusBuilder.READY)
        && rc.getStatus().getTokenRotation() == null;
  }

  /** Group states in which a healthy group keeps serving (ElastiCache: ReplicationGroup.Status). */
  static final java.util.Set<String> SERVING = java.util.Set.of("snapshotting", "modifying");

  /** A condition reason from an AWS status: snapshotting → Snapshotting, create-failed → CreateFailed. */
  public static String reason(String awsStatus) {
    return capitalize(awsStatus);
  }

  /**
   * The day-2 step: brings a running, available group in line with the spec, one modification per
   * reconcile, then waits until AWS is done. Records pending changes; notices drift (a change nobody
   * asked of the operator) and a change AWS accepted and then rolled back.
   */
  public Outcome converge(Reconcile r) {
    RedisCache rc = r.rc();
    Desired d = r.desired();
    ObservedGroup g = r.group();
    StatusBuilder status = r.status();
    long generation = rc.getMetadata().getGeneration() == null ? 0 : rc.getMetadata().getGeneration();
    String last = rc.getStatus() == null ? null : rc.getStatus().getLastChange();
    String settled = generation + ":" + SETTLED;
    String securityGroupId = status.status().getSecurityGroupId();
    List<Change> plan = ReplicationGroupChanges.plan(d, g, securityGroupId);
    if (TlsMigration.next(d.tls(), g.group()) == null) status.tlsSecretSwitchedAt(null); // no TLS change under way
    String clusterTarget = d.clusterModeTargetOrDefault();
    if (!ClusterModeMigration.COMPATIBLE.equals(g.group().clusterModeOrDefault()) || ClusterModeMigration.next(clusterTarget, g.group()) == null) {
      status.clusterModeSecretSwitchedAt(null); // not leaving compatible
    }
    if (!g.membersKnown()) {
      // The first sweep after a restart reads the groups, not their members. A cache this generation
      // already settled stays as its status says; when its group shows something to change, or the
      // cache is not settled, the poller reads the group with its members at its next look, and the
      // reconcile that follows decides on all of it.
      if (!plan.isEmpty() || !settled.equals(last)) {
        fleet.readSoon(d.replicationGroupId());
        fleet.hurry(HURRY);
      }
      if (settled.equals(last)) return Outcome.DONE;
      return Outcome.waitForAws("Observing", "Reading the member clusters of replication group " + d.replicationGroupId(), RECHECK);
    }
    List<String> pending = new ArrayList<>(plan.stream().map(Change::summary).toList());
    if (g.pendingNodeType() != null) pending.add("nodeType -> " + g.pendingNodeType() + " at the next maintenance window");
    if (g.pendingEngineVersion() != null) pending.add("engineVersion -> " + g.pendingEngineVersion() + " at the next maintenance window");
    status.pendingChanges(pending);
    // AWS's preconditions for a cluster mode change, before any step of it (or another one) is asked.
    dev.operators.elasticache.decide.Problem clusterRefused = ClusterModeMigration.precondition(d, g.group(), g.engineVersion());
    if (clusterRefused != null) return Outcome.stalled("ClusterModeChangeNotPossible", clusterRefused.field() + ": " + clusterRefused.message());
    if (plan.isEmpty()) {
      if (!settled.equals(last)) {
        // In line with this generation for the first time: alarms follow the nodes, and what a change left unused goes.
        status.alarms(monitoring.ensureAlarms(rc, d, g));
        // Created by this generation's own CreateReplicationGroup: its tags are the ones asked for (no read).
        boolean createdAsAsked = (CREATED_PREFIX + generation).equals(last);
        TagPlan tags = createdAsAsked ? TagPlan.of(d.tags(), d.tags()) : TagPlan.of(d.tags(), elastiCache.tagsOf(g.group().arn()));
        if (!tags.add().isEmpty()) elastiCache.addTags(g.group().arn(), tags.add());
        if (!tags.remove().isEmpty()) elastiCache.removeTags(g.group().arn(), tags.remove());
        if (!tags.empty()) {
          events.normal(rc, "TagsUpdated", "Replication group " + d.replicationGroupId() + ": tags set " + tags.add().keySet() + ", removed " + tags.remove());
        }
        if (last != null && !createdAsAsked) parameterGroups.deleteStale(rc, d);
      }
      status.lastChange(settled);
      return Outcome.DONE;
    }
    Change next = plan.get(0);
    dev.operators.elasticache.decide.Problem tlsRefused = next.summary().startsWith("tls ")
        ? dev.operators.elasticache.decide.TlsMigration.precondition(d.tls(), g.group(), g.engineVersion()) : null;
    if (tlsRefused != null) return Outcome.stalled("TlsChangeNotPossible", tlsRefused.field() + ": " + tlsRefused.message());
    Outcome tlsGraceLeft = tlsGrace(r, next);
    if (tlsGraceLeft != null) return tlsGraceLeft;
    Outcome clusterGraceLeft = clusterModeGrace(r, next);
    if (clusterGraceLeft != null) return clusterGraceLeft;
    String marker = generation + ":" + next.summary();
    if (marker.equals(last)) {
      return Outcome.stalled("ChangeRolledBack", "AWS accepted \"" + next.summary() + "\" and then rolled it back (the group is available "
          + "without it); the operator will not retry it until the spec changes. Check the AWS events of " + d.replicationGroupId());
    }
    if (settled.equals(last)) {
      events.normal(rc, "DriftCorrected", "Replication group " + d.replicationGroupId() + " was changed outside the operator; putting it back: " + next.summary());
    }
    try {
      if (next instanceof Change.Modify m) {
        elastiCache.modifyReplicationGroup(m.request());
      } else if (next instanceof Change.Replicas replicas) {
        if (replicas.to() > replicas.from()) elastiCache.increaseReplicaCount(d.replicationGroupId(), replicas.to());
        else elastiCache.decreaseReplicaCount(d.replicationGroupId(), replicas.to());
      } else if (next instanceof Change.Shards sh) {
        elastiCache.modifyShardCount(d.replicationGroupId(), sh.to(), sh.retain());
      }
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.INVALID_INPUT)) {
        return Outcome.stalled("AwsRejectedChange", "AWS refused \"" + next.summary() + "\": " + e.awsMessage());
      }
      throw e;
    }
    status.lastChange(marker);
    events.normal(rc, "Modifying", "Replication group " + d.replicationGroupId() + ": " + next.summary()
        + (d.applyImmediately() || !(next instanceof Change.Modify) ? "" : " (at the next maintenance window)"));
    fleet.record(d.replicationGroupId(), g.withStatus("modifying"));
    fleet.hurry(HURRY);
    return Outcome.waitForAws("Modifying", "Replication group " + d.replicationGroupId() + ": " + next.summary(), RECHECK);
  }

  /** Creates the group, or finds it created by an earlier try; in {@link Reconcile#group()}. */
  private Outcome create(Reconcile r, String securityGroupId) {
    RedisCache rc = r.rc();
    Desired d = r.desired();
    Outcome source = checkRestoreSource(d);
    if (!source.done()) return source;
    ReplicationGroupSpec spec = d.replicationGroupSpec(securityGroupId).withAuthToken(r.tokenValue());
    try {
      ReplicationGroupInfo created = elastiCache.createReplicationGroup(spec);
      ObservedGroup g = new ObservedGroup(created, List.of());
      fleet.record(d.replicationGroupId(), g);
      events.normal(rc, "CreatingReplicationGroup", "Creating replication group " + d.replicationGroupId() + ": " + summary(d));
      if (d.restoredFrom() != null) r.status().restoredFrom(d.restoredFrom());
      r.group(g);
      return Outcome.DONE;
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.INVALID_INPUT)) {
        return Outcome.stalled("AwsRejectedSpec", "AWS refused to create the replication group: " + e.awsMessage());
      }
      if (d.restoredFrom() != null && e.is(AwsException.Kind.NOT_FOUND)) {
        // The snapshot went away between the check and the create (SnapshotNotFoundFault): AWS's words.
        return Outcome.stalled("RestoreSourceNotFound", "spec.restoreFrom: AWS refused to create the replication group: " + e.code() + ": " + e.awsMessage());
      }
      if (!e.is(AwsException.Kind.ALREADY_EXISTS)) throw e;
      // A retry or a restart after an earlier create: take what is there, if it is ours.
      ObservedGroup g = elastiCache.describeReplicationGroup(d.replicationGroupId()).orElseThrow(() -> e);
      Outcome owner = checkOwner(rc, d, g.group().arn());
      if (!owner.done()) return owner;
      if (d.restoredFrom() != null) r.status().restoredFrom(d.restoredFrom());
      fleet.record(d.replicationGroupId(), g);
      r.group(g);
      return Outcome.DONE;
    }
  }

  /**
   * spec.restoreFrom.snapshotName, before the one CreateReplicationGroup: one DescribeSnapshots,
   * only while the group does not exist yet. S3 files are AWS's to read (the operator holds no S3
   * permission): a refusal comes back from CreateReplicationGroup with AWS's message.
   */
  private Outcome checkRestoreSource(Desired d) {
    if (d.restoreSnapshotName() == null) return Outcome.DONE;
    RestoreCheck.Verdict verdict = RestoreCheck.judge(d, elastiCache.describeSnapshot(d.restoreSnapshotName()));
    if (verdict instanceof RestoreCheck.Wait w) {
      return Outcome.waitForAws("WaitingForSnapshot", w.message(), RECHECK);
    }
    if (verdict instanceof RestoreCheck.Refuse f) {
      return Outcome.stalled("RestoreSourceUnusable", f.problem().field() + ": " + f.problem().message());
    }
    return Outcome.DONE;
  }

  private Outcome checkOwner(RedisCache rc, Desired d, String arn) {
    Map<String, String> tags = elastiCache.tagsOf(arn);
    if (d.adopted()) {
      // Checked again on the tags read just now: the group is only ever tagged with consent.
      AdoptionConsent.Decision consent = consent(d, tags);
      Outcome refused = refused(consent);
      if (!refused.done()) return refused;
      if (consent.verdict() == AdoptionConsent.Verdict.ALLOWED) {
        Map<String, String> ours = new java.util.LinkedHashMap<>(d.tags());
        ours.put(Names.TAG_ADOPTED, "true");
        elastiCache.addTags(arn, ours);
        events.normal(rc, "Adopted", "Took over replication group " + d.replicationGroupId() + " with the consent of " + consent.message()
            + "; from now on it follows this spec (deletionPolicy " + d.deletionPolicy() + ")");
      }
      adoptedSeen.add(d.uid() + "@" + arn);
      return Outcome.DONE;
    }
    String owner = tags.get(Names.TAG_UID);
    if (owner == null || !owner.equals(d.uid())) {
      return Outcome.stalled("ReplicationGroupOwnedByAnother", "replication group " + d.replicationGroupId()
          + " exists and does not belong to this RedisCache (owner uid " + (owner == null ? "none" : owner)
          + "); delete it, adopt it (spec.adoption, with its owner's consent), or give this RedisCache another name");
    }
    return Outcome.DONE;
  }

  static String summary(Desired d) {
    return d.engine().awsName() + " " + d.engineVersion() + ", " + d.nodeType() + ", " + d.shards() + " shard(s) x "
        + d.replicasPerShard() + " replica(s)" + (d.clusterMode() ? ", cluster mode" : "")
        + (d.multiAZ() ? ", Multi-AZ" : "") + (d.tls() ? ", TLS" : "") + (d.auth() ? ", AUTH" : "")
        + (d.atRest() ? ", encrypted at rest" : "") + (d.backupRetentionDays() > 0 ? ", backups " + d.backupRetentionDays() + "d" : "");
  }

  private static String capitalize(String s) {
    if (s == null || s.isEmpty()) return "Waiting";
    StringBuilder out = new StringBuilder();
    for (String part : s.split("[^A-Za-z]+")) {
      if (!part.isEmpty()) out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return out.length() == 0 ? "Waiting" : out.toString();
  }
}
