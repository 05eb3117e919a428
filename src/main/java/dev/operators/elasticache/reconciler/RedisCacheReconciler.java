package dev.operators.elasticache.reconciler;

import static dev.operators.elasticache.resources.Outcome.DONE;

import dev.operators.elasticache.api.DeletionPolicy;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.api.ServiceUpdateStatus;
import dev.operators.elasticache.api.ServiceUpdates;
import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.Ec2Port;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.aws.ObservedGroup;
import dev.operators.elasticache.aws.ReplicationGroupInfo;
import dev.operators.elasticache.config.OperatorConfig;
import dev.operators.elasticache.decide.AccountAccess;
import dev.operators.elasticache.decide.ConnectionDetails;
import dev.operators.elasticache.decide.CacheUsers;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.decide.EngineVersions;
import dev.operators.elasticache.decide.Problem;
import dev.operators.elasticache.decide.ServiceUpdatePlan;
import dev.operators.elasticache.decide.SpecValidation;
import dev.operators.elasticache.decide.StatusBuilder;
import dev.operators.elasticache.fleet.Admission;
import dev.operators.elasticache.fleet.Fleet;
import dev.operators.elasticache.fleet.FleetEventSource;
import dev.operators.elasticache.infra.Backoff;
import dev.operators.elasticache.infra.EventRecorder;
import dev.operators.elasticache.infra.Leadership;
import dev.operators.elasticache.infra.OperatorMetrics;
import dev.operators.elasticache.resources.AppUsers;
import dev.operators.elasticache.resources.ConnectionSecrets;
import dev.operators.elasticache.resources.Credentials;
import dev.operators.elasticache.resources.EngineCatalogue;
import dev.operators.elasticache.resources.Monitoring;
import dev.operators.elasticache.resources.Outcome;
import dev.operators.elasticache.resources.ParameterGroups;
import dev.operators.elasticache.resources.Reconcile;
import dev.operators.elasticache.resources.ReplicationGroups;
import dev.operators.elasticache.resources.SecurityGroups;
import dev.operators.elasticache.resources.ServerlessCaches;
import dev.operators.elasticache.resources.SubnetGroups;
import dev.operators.elasticache.resources.CreateChecks;
import dev.operators.elasticache.resources.Teardown;
import dev.operators.elasticache.resources.TokenRotations;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * Observe, decide, act, report: validate the spec, then take the steps of {@link #converge} in
 * order, and write status once.
 * <ul>
 * <li><b>Where a reconcile stops.</b> Each step returns an {@link Outcome}; the reconcile stops at
 *   the first that is not done: waiting for AWS (or for its turn to be created), waiting for the
 *   operator's AWS call budget, Stalled until a person acts, or an AWS refusal (an AWS error becomes
 *   an outcome in one place, {@link Outcome#of}). Deletion takes the teardown steps of
 *   {@link #teardown} the same way.
 * <li><b>Where it resumes.</b> At the top, every time: nothing is kept between reconciles but the
 *   status, the connection Secret, AWS and the fleet sweep's view of it. A step already in line is
 *   done at once, mostly without an AWS call (the security, subnet and parameter groups are not
 *   described again once the status records this generation as prepared).
 * <li><b>What it writes.</b> AWS and the connection Secret inside the steps; the status once, at
 *   the end, when it changed ({@link #report}); a Warning event for a stall or an AWS refusal only
 *   when its message changed.
 * <li><b>When it is requeued.</b> {@link #report}: done, when a step asks (a token rotation's next
 *   phase) or else when the fleet sweep sees the group change; waiting for AWS, after the step's
 *   delay; the call budget, after a short random spread; Stalled, after
 *   {@link Outcome#STALLED_RECHECK} (or the stall's own delay); an AWS refusal, after exponential
 *   back-off. Before the first sweep of AWS nothing is decided: again after {@link #FIRST_SWEEP_RETRY}.
 * <li><b>The engine versions AWS offers</b> ({@link EngineCatalogue}) are asked once for all caches
 *   and kept for a day. Until AWS has answered once, a cache waits for them (Reconciling,
 *   WaitingForEngineVersions), except one Ready at its generation: its spec was checked already, so
 *   it stays as it is, with no status write.
 * <li><b>Other AWS accounts and regions.</b> A cache whose spec.account names an ElastiCacheAccount
 *   is checked first (may its namespace use it? {@link Accounts}, from Kubernetes alone: a refused
 *   one is Stalled and makes no AWS call), then handed to that account and region's own instance of
 *   this reconciler, wired to its ports, fleet view and sweep.
 * </ul>
 */
@ControllerConfiguration(name = "rediscache", finalizerName = RedisCacheReconciler.FINALIZER,
    generationAwareEventProcessing = false, informer = @Informer(onUpdateFilter = ReconcileTriggers.class))
public class RedisCacheReconciler implements Reconciler<RedisCache>, Cleaner<RedisCache> {
  public static final String FINALIZER = "elasticache.operators.dev/finalizer";
  static final Duration FIRST_SWEEP_RETRY = Duration.ofSeconds(5);
  /**
   * A cache refused an account (missing, or not allowing its namespace) looks again this often: the
   * check reads Kubernetes only, so an account created or widened later is taken up within this.
   */
  static final Duration ACCOUNT_RECHECK = Duration.ofSeconds(30);

  private final OperatorConfig config;
  private final ElastiCachePort elastiCache;
  private final Ec2Port ec2;
  private final Fleet fleet;
  private final SecurityGroups securityGroups;
  private final SubnetGroups subnetGroups;
  private final CreateChecks createChecks;
  private final ParameterGroups parameterGroups;
  private final Credentials credentials;
  private final ReplicationGroups replicationGroups;
  private final ServerlessCaches serverlessCaches;
  private final ConnectionSecrets connectionSecrets;
  private final Teardown teardown;
  private final TokenRotations tokenRotations;
  private final AppUsers appUsers;
  private final Monitoring monitoring;
  private final EngineCatalogue engineCatalogue;
  private final EventRecorder events;
  private final Backoff backoff;
  private final Admission admission;
  private final Clock clock;
  /** The per-cache state metric, refreshed by the poller (field-injected: the tests build the reconciler without it). */
  @jakarta.inject.Inject
  OperatorMetrics metrics;
  /** Granted at once without leader election, else when this replica takes the Lease (field-injected, as above). */
  @jakarta.inject.Inject
  Leadership leadership;
  /**
   * The caches of other AWS accounts and regions (spec.account), each handed to its target's own
   * reconciler; null in those reconcilers themselves (field-injected, as above).
   */
  @jakarta.inject.Inject
  Accounts accounts;

  public RedisCacheReconciler(OperatorConfig config, ElastiCachePort elastiCache, Ec2Port ec2, Fleet fleet, SecurityGroups securityGroups,
      SubnetGroups subnetGroups, ParameterGroups parameterGroups, Credentials credentials, CreateChecks createChecks,
      ReplicationGroups replicationGroups, ServerlessCaches serverlessCaches, ConnectionSecrets connectionSecrets, Teardown teardown,
      TokenRotations tokenRotations, AppUsers appUsers, Monitoring monitoring, EngineCatalogue engineCatalogue, EventRecorder events, Backoff backoff,
      Admission admission, Clock clock) {
    this.appUsers = appUsers;
    this.serverlessCaches = serverlessCaches;
    this.engineCatalogue = engineCatalogue;
    this.admission = admission;
    this.monitoring = monitoring;
    this.clock = clock;
    this.tokenRotations = tokenRotations;
    this.config = config;
    this.elastiCache = elastiCache;
    this.ec2 = ec2;
    this.fleet = fleet;
    this.securityGroups = securityGroups;
    this.subnetGroups = subnetGroups;
    this.parameterGroups = parameterGroups;
    this.credentials = credentials;
    this.createChecks = createChecks;
    this.replicationGroups = replicationGroups;
    this.connectionSecrets = connectionSecrets;
    this.teardown = teardown;
    this.events = events;
    this.backoff = backoff;
  }

  @Override
  public List<EventSource<?, RedisCache>> prepareEventSources(EventSourceContext<RedisCache> context) {
    var secrets = new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, RedisCache.class)
        .withLabelSelector(ConnectionSecrets.SELECTOR).build(), context);
    // JOSDK reconciles at once when it runs without leader election (off in the configuration, or a
    // profile Quarkus Operator SDK does not elect in); then so does the poller.
    if (context.getControllerConfiguration().getConfigurationService().getLeaderElectionConfiguration().isEmpty()) leadership.grant();
    var sweep = new FleetEventSource(elastiCache, ec2, fleet, context.getPrimaryCache(), config.clusterId(),
        new FleetEventSource.Periods(config.sweep().fastPeriod(), config.sweep().steadyPeriod(), config.sweep().fullPeriod(),
            config.sweep().securityGroupPeriod(), config.sweep().serviceUpdatePeriod()), clock, admission, metrics::cacheStates, leadership);
    return List.of(secrets, sweep);
  }

  @Override
  public UpdateControl<RedisCache> reconcile(RedisCache rc, Context<RedisCache> context) {
    UpdateControl<RedisCache> control = reconcile(rc, context.getSecondaryResource(Secret.class).orElse(null),
        (current, fresh) -> PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(current, fresh, context));
    registerSweeps(context);
    return control;
  }

  /** A target named for the first time gets its shared sweep. */
  private void registerSweeps(Context<RedisCache> context) {
    if (accounts != null) accounts.registerSweeps(context.eventSourceRetriever(), leadership);
  }

  /** Set the handler of caches in other accounts (the tests; CDI injects it). */
  public RedisCacheReconciler withAccounts(Accounts accounts) {
    this.accounts = accounts;
    return this;
  }

  /** A cache that names an ElastiCacheAccount, seen by the operator's own reconciler: another account's business. */
  private boolean inAnotherAccount(RedisCache rc) {
    return accounts != null && rc.getSpec() != null && rc.getSpec().getAccount() != null;
  }

  /**
   * Writes a cache's status so that the next reconcile sees it, even when the informer has not
   * caught up yet: JOSDK's {@link PrimaryUpdateAndCacheUtils} (server-side apply of the status, then
   * the answer kept in the controller's cache). The one record of "what this process last wrote".
   */
  @FunctionalInterface
  public interface StatusWriter {
    void write(RedisCache current, RedisCache freshWithStatus);
  }

  /** The reconcile itself, given the connection Secret as the informer has it (or null). */
  public UpdateControl<RedisCache> reconcile(RedisCache rc, Secret secret, StatusWriter writer) {
    if (inAnotherAccount(rc)) {
      // Decided from Kubernetes alone: a namespace the account does not allow makes no AWS call there.
      AccountAccess.Decision access = accounts.resolve(rc);
      if (!access.allowed()) return report(rc, new StatusBuilder(rc, clock.instant()), Outcome.stalled(access.reason(), access.message(), ACCOUNT_RECHECK), writer);
      return accounts.scope(access.target()).reconciler().reconcile(rc, secret, writer);
    }
    if (!fleet.swept()) {
      // Just started: decide nothing, and write nothing, before one look at AWS for all caches. The
      // first sweep triggers every cache; this reschedule is only a safety net.
      return UpdateControl.<RedisCache>noUpdate().rescheduleAfter(FIRST_SWEEP_RETRY.toMillis());
    }
    Optional<EngineVersions> versions = engineCatalogue.current(); // asked of AWS once a day for all caches
    if (versions.isEmpty() && StatusBuilder.readyAtThisGeneration(rc)) {
      // Its spec was checked against AWS's list already: it stays Ready, and nothing is written.
      return UpdateControl.<RedisCache>noUpdate().rescheduleAfter(engineCatalogue.waiting().after().toMillis());
    }
    StatusBuilder status = new StatusBuilder(rc, clock.instant());
    try {
      return report(rc, status, versions.isEmpty() ? engineCatalogue.waiting() : outcome(rc, secret, status, versions.get()), writer);
    } catch (RuntimeException e) {
      if (metrics != null) metrics.reconcileError("Exception"); // JOSDK logs it and retries
      throw e;
    }
  }

  private Outcome outcome(RedisCache rc, Secret secret, StatusBuilder status, EngineVersions versions) {
    List<Problem> problems = SpecValidation.validate(rc.getSpec(), versions);
    if (!problems.isEmpty()) return Outcome.stalled("InvalidSpec", Problem.describe(problems));
    Desired d = Desired.of(rc, config.clusterId(), versions);
    Outcome names = checkRecordedNames(rc, d);
    if (!names.done()) return names;
    try {
      Outcome subnets = subnetGroups.select(rc, status);   // spec.network.subnetSelector: the subnets it picks
      if (!subnets.done()) return subnets;
      return converge(new Reconcile(rc, SubnetGroups.withSelected(d, status), secret, status));
    } catch (AwsException e) {
      return Outcome.of(e);
    } finally {
      // AWS accepted the replication group (or it was there already): the next new cache may go.
      if (exists(d)) admission.release(rc.getMetadata().getUid());
    }
  }

  /**
   * The steps of a reconcile, in order; it stops at the first that is not done. Done when the cache
   * is ready, with when to look again (a token rotation's grace period, its schedule) or none.
   */
  private Outcome converge(Reconcile r) {
    if (r.desired().serverless()) return convergeServerless(r);
    // Security, subnet and parameter groups and log groups only change with the spec: once they are in
    // line with this generation, a reconcile (while AWS creates the group, say) does not describe them
    // again; the sweep's view of the security group stands in for a describe.
    boolean prepared = StatusBuilder.prepared(r.rc()) || ReplicationGroups.settled(r.rc()); // settled: a status written before preparedGeneration existed
    return Outcome.inOrder(
        () -> turn(r),                                     // a cache still to be created waits its turn
        () -> extendedSupport(r),                          // a Redis OSS version in AWS's paid Extended Support is said so
        () -> replicationGroups.checkAdoption(r),          // adopting: its owner's consent, before anything is written to AWS
        () -> securityGroups.ensure(r, prepared),
        () -> prepared && r.status().status().getSubnetGroupName() != null ? DONE : subnetGroups.ensure(r),
        () -> prepared ? DONE : parameterGroups.ensure(r),
        () -> prepared ? DONE : monitoring.ensureLogGroups(r),
        () -> prepared(r),
        () -> authOff(r),                                  // AWS removes a token only on the way to RBAC: refused before the Secret drops it
        () -> credentials.ensure(r, groupMayExist(r), groupWithoutToken(r)), // the token
        () -> appUsers.token(r, known(r)),                 // spec.users on a cache with a token: the token it still holds
        () -> appUsers.ensure(r, known(r)),                // spec.users: users (passwords in their Secrets first), the user group, removals
        () -> connectionSecrets.apply(r, known(r)),        // the token is in the Secret before AWS is asked to use it
        () -> createChecks.check(r),                       // to be created: the KMS key and the subnets' IP versions fit
        () -> replicationGroups.ensure(r),                 // created, then waited for until available
        () -> serviceUpdates(r),                           // AWS's pending service updates in status (Auto applies them: the poller)
        () -> connectionSecrets.apply(r, r.group().group()), // its endpoints in the Secret
        () -> appUsers.secrets(r),                         // and in the apps' Secrets
        () -> available(r) ? replicationGroups.converge(r) : DONE, // day-2 changes, one per reconcile
        () -> available(r) ? appUsers.attach(r) : DONE,    // a running cache without a token gets its user group
        () -> available(r) ? tokenRotations.step(r) : DONE,        // token rotation, one phase per reconcile
        () -> available(r) ? ready(r) : serving(r));
  }

  /**
   * The steps of a serverless cache: its security group (ingress on 6379 and 6380), its subnet group
   * (whose subnets the cache takes), spec.users (the apps' users and Secrets and the user group, active
   * before the cache is created with it; every user removed: deleted once the cache no longer uses the
   * group), the cache itself (created, waited for, kept in line: limits, security groups, snapshots,
   * the user group), the Secrets with its endpoints, Ready. No token: AWS takes none for a serverless cache.
   */
  private Outcome convergeServerless(Reconcile r) {
    boolean prepared = StatusBuilder.prepared(r.rc());
    return Outcome.inOrder(
        () -> turn(r),
        () -> securityGroups.ensure(r, prepared),
        () -> prepared && r.status().status().getSubnetGroupName() != null ? DONE : subnetGroups.ensure(r),
        () -> prepared(r),
        () -> appUsers.ensure(r, null),                    // spec.users: users (passwords in their Secrets first), the user group, removals
        () -> serverlessCaches.ensure(r),
        () -> connectionSecrets.apply(r, ConnectionDetails.serverless(r.desired(), r.serverless()), java.util.Map.of()),
        () -> appUsers.secrets(r),                         // the endpoints in the apps' Secrets
        () -> readyServerless(r));
  }

  private Outcome readyServerless(Reconcile r) {
    RedisCache rc = r.rc();
    Desired d = r.desired();
    if (!StatusBuilder.isTrue(rc.getStatus(), StatusBuilder.READY)) {
      events.normal(rc, "Ready", "Serverless cache " + d.replicationGroupId() + " is available at " + r.serverless().endpoint()
          + "; connection Secret " + d.connectionSecretName() + " is ready");
    }
    r.status().ready("Serverless cache " + d.replicationGroupId() + " is available; Secret " + d.connectionSecretName() + " holds the connection details")
        .binding(d.connectionSecretName());
    return DONE;
  }

  /** AWS has the cache's replication group or serverless cache, as far as the sweep and this process know. */
  private boolean exists(Desired d) {
    return fleet.get(d.replicationGroupId()).isPresent() || fleet.serverless(d.replicationGroupId()).isPresent();
  }

  /**
   * The group's pending service updates as the poller last read them, in status, and an event for
   * each change (a new update, one being applied, stopped, applied). Before the poller's first look
   * at them after a start, the status keeps what it says.
   */
  private Outcome serviceUpdates(Reconcile r) {
    if (!fleet.updatesSwept()) return DONE;
    List<ServiceUpdateStatus> now = ServiceUpdatePlan.entries(fleet.updates(r.desired().replicationGroupId()));
    boolean auto = r.rc().getSpec().getServiceUpdates() == ServiceUpdates.Auto;
    List<ServiceUpdateStatus> before = r.rc().getStatus() == null ? null : r.rc().getStatus().getServiceUpdates();
    for (ServiceUpdatePlan.Notice n : ServiceUpdatePlan.transitions(before, now, auto)) {
      if (n.warning()) events.warning(r.rc(), n.reason(), n.message()); else events.normal(r.rc(), n.reason(), n.message());
    }
    r.status().serviceUpdates(now);
    return DONE;
  }

  /** A cache whose group is still to be created goes in turn ({@link Admission}); then its names go in the status. */
  private Outcome turn(Reconcile r) {
    RedisCache rc = r.rc();
    Desired d = r.desired();
    boolean toCreate = !exists(d) && !d.adopted()
        && (rc.getStatus() == null || rc.getStatus().getReplicationGroupArn() == null);
    if (toCreate && !admission.admit(rc)) {
      // Not yet its turn: no AWS call, and a message that stays the same (one status write while it waits).
      return Outcome.waitForAws("Queued", "Waiting for its turn: new caches are created in the order they were applied, "
          + config.aws().concurrentCreates() + " at a time, within the operator's AWS call budget", backoff.spread());
    }
    r.status().connectionSecret(d.connectionSecretName()).replicationGroup(d.replicationGroupId(), null);
    return DONE;
  }

  /** A Redis OSS version in AWS's paid Extended Support: in the status, and once in a Warning event. */
  private Outcome extendedSupport(Reconcile r) {
    Desired d = r.desired();
    String note = EngineVersions.extendedSupport(d.engine(), d.engineVersion(), LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC))
        .map(EngineVersions::describe).orElse(null);
    String before = r.rc().getStatus() == null ? null : r.rc().getStatus().getExtendedSupport();
    if (note != null && !note.equals(before)) events.warning(r.rc(), "ExtendedSupport", note);
    r.status().extendedSupport(note);
    return DONE;
  }

  /** The security, subnet and parameter groups and log groups are in line with this generation. */
  private static Outcome prepared(Reconcile r) {
    r.status().prepared(r.rc().getMetadata().getGeneration() == null ? 0 : r.rc().getMetadata().getGeneration());
    return DONE;
  }

  /** The running group as the sweep saw it carries no AUTH token (auth was off). */
  private boolean groupWithoutToken(Reconcile r) {
    ReplicationGroupInfo g = known(r);
    return g != null && !g.authTokenEnabled() && !g.status().equals("creating");
  }

  /**
   * spec.auth.enabled turned off on a group AWS reports with a token: AWS's DELETE strategy is
   * "allowed only when transitioning to RBAC" (ModifyReplicationGroup AuthTokenUpdateStrategy), so
   * the way off goes through a user group (AppUsers: with spec.users the switch to users, without
   * them AWS's "Disabling access control" path). Only where AWS has no user groups (Redis OSS before
   * 6.0) is it Stalled, before the Secret would lose the token AWS still requires.
   */
  private Outcome authOff(Reconcile r) {
    ReplicationGroupInfo g = known(r);
    Desired d = r.desired();
    if (d.auth() || g == null || !g.authTokenEnabled()) return DONE;
    if (CacheUsers.rbacAvailable(d.engine(), d.engineVersion())) return DONE; // AppUsers
    return Outcome.stalled("AuthCannotBeTurnedOff", "spec.auth.enabled: replication group " + d.replicationGroupId()
        + " requires its AUTH token, and AWS removes a token only when the group moves to RBAC user groups (AuthTokenUpdateStrategy DELETE: "
        + "\"allowed only when transitioning to RBAC\"), which Redis OSS " + d.engineVersion() + " does not have (6.0 or later); set auth.enabled "
        + "back to true (the Secret keeps the token meanwhile), raise engineVersion first, or create a new RedisCache without auth");
  }

  /** A replication group may already hold a token. */
  private boolean groupMayExist(Reconcile r) {
    return fleet.get(r.desired().replicationGroupId()).isPresent()
        || (r.rc().getStatus() != null && r.rc().getStatus().getReplicationGroupArn() != null);
  }

  /** The group as the sweep saw it, before the replication-group step: while AWS modifies it its endpoints stay valid; before it exists there are none. */
  private ReplicationGroupInfo known(Reconcile r) {
    return fleet.get(r.desired().replicationGroupId()).map(ObservedGroup::group).orElse(null);
  }

  private static boolean available(Reconcile r) {
    return r.group().group().available();
  }

  private Outcome ready(Reconcile r) {
    RedisCache rc = r.rc();
    Desired d = r.desired();
    if (!StatusBuilder.isTrue(rc.getStatus(), StatusBuilder.READY)) {
      events.normal(rc, "Ready", "Replication group " + d.replicationGroupId() + " is available at "
          + ConnectionDetails.endpoint(r.group().group()) + "; connection Secret " + d.connectionSecretName() + " is ready");
    }
    r.status().ready("Replication group " + d.replicationGroupId() + " is available; Secret " + d.connectionSecretName() + " holds the connection details")
        .binding(d.connectionSecretName());
    return DONE;
  }

  /** A healthy group AWS is working on for reasons of its own (a backup, a change made elsewhere): it serves traffic. */
  private static Outcome serving(Reconcile r) {
    Desired d = r.desired();
    String awsStatus = r.group().group().status();
    r.status().ready(ReplicationGroups.reason(awsStatus), "Replication group " + d.replicationGroupId() + " is " + awsStatus
        + " (AWS is at work on it; it serves traffic meanwhile); Secret " + d.connectionSecretName() + " holds the connection details")
        .binding(d.connectionSecretName());
    return DONE;
  }

  /**
   * The one place an outcome becomes the status written and when the cache is looked at again.
   */
  private UpdateControl<RedisCache> report(RedisCache rc, StatusBuilder status, Outcome outcome, StatusWriter writer) {
    String key = ResourceID.fromResource(rc).toString();
    if (outcome instanceof Outcome.AwsFailed f && f.error().is(AwsException.Kind.INVALID_INPUT)) {
      outcome = Outcome.stalled("AwsRejected", f.message()); // AWS refused the request itself: trying again cannot help
    }
    if (outcome instanceof Outcome.Done done) {
      backoff.reset(key);
      return finish(rc, status, done.lookAgainAfter(), writer);
    }
    if (outcome instanceof Outcome.WaitForAws w) {
      backoff.reset(key);
      return finish(rc, status.reconciling(w.reason(), w.message()), w.after(), writer);
    }
    if (outcome instanceof Outcome.WaitForBudget) {
      // Waiting for the operator's own call budget is not a failure: no event, no back-off growth, a stable message.
      return finish(rc, status.reconciling("WaitingForCallBudget", "Waiting for the operator's AWS call budget"), backoff.spread(), writer);
    }
    if (outcome instanceof Outcome.Stalled s) {
      admission.release(rc.getMetadata().getUid());
      if (!s.message().equals(stalledMessage(rc))) events.warning(rc, s.reason(), s.message());
      return finish(rc, status.stalled(s.reason(), s.message()), s.lookAgainAfter(), writer);
    }
    Outcome.AwsFailed f = (Outcome.AwsFailed) outcome;
    if (metrics != null) metrics.reconcileError(f.reason());
    // One Warning per distinct refusal, not one per retry; the retry delay is not in the status (it changes every time).
    if (!f.message().equals(conditionMessage(rc, StatusBuilder.RECONCILING))) events.warning(rc, f.reason(), f.message());
    return finish(rc, status.reconciling(f.reason(), f.message()), backoff.next(key), writer);
  }

  /**
   * Resources are named from the operator's cluster id: when it changed since this cache was
   * created, the names no longer match what AWS holds. Refuse loudly rather than create a second
   * replication group next to the first.
   */
  private static Outcome checkRecordedNames(RedisCache rc, Desired d) {
    String recorded = rc.getStatus() == null ? null : rc.getStatus().getReplicationGroupId();
    if (recorded != null && !recorded.equals(d.replicationGroupId())) {
      return Outcome.stalled("ReplicationGroupIdChanged", "this RedisCache's replication group is " + recorded + " (status.replicationGroupId), but "
          + "the operator would now name it " + d.replicationGroupId() + ": the operator's cluster id (rediscache.cluster-id) changed since "
          + "it was created. Nothing is created or changed in AWS until the cluster id is set back.");
    }
    return DONE;
  }

  @Override
  public DeleteControl cleanup(RedisCache rc, Context<RedisCache> context) {
    DeleteControl control = cleanup(rc);
    registerSweeps(context);
    return control;
  }

  public DeleteControl cleanup(RedisCache rc) {
    if (inAnotherAccount(rc)) {
      AccountAccess.Decision access = accounts.resolve(rc);
      if (access.allowed()) return accounts.scope(access.target()).reconciler().cleanup(rc);
      // Never a call in an account the namespace may not use. A cache refused from the start made nothing there;
      // one that did waits, with its finalizer, until the account allows it again (its resources would be orphaned otherwise).
      if (rc.getStatus() == null || rc.getStatus().getReplicationGroupId() == null) return DeleteControl.defaultDelete();
      if (!access.message().equals(stalledMessage(rc))) events.warning(rc, access.reason(), access.message()
          + "; its AWS resources there are not deleted, and it keeps its finalizer, until the account allows this namespace again");
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(ACCOUNT_RECHECK.toMillis());
    }
    Outcome outcome;
    try {
      // The engine versions name the parameter groups the operator may have made (one per family).
      Optional<EngineVersions> versions = engineCatalogue.current();
      outcome = versions.isEmpty() ? engineCatalogue.waiting() : teardown(rc, Desired.of(rc, config.clusterId(), versions.get()));
    } catch (AwsException e) {
      outcome = Outcome.of(e);
    }
    String key = ResourceID.fromResource(rc).toString();
    if (outcome instanceof Outcome.Done) {
      backoff.reset(key);
      admission.release(rc.getMetadata().getUid());
      replicationGroups.forget(rc.getMetadata().getUid());
      return DeleteControl.defaultDelete();
    }
    if (outcome instanceof Outcome.WaitForAws w) return DeleteControl.noFinalizerRemoval().rescheduleAfter(w.after().toMillis());
    if (outcome instanceof Outcome.WaitForBudget) return DeleteControl.noFinalizerRemoval().rescheduleAfter(backoff.spread().toMillis());
    if (outcome instanceof Outcome.AwsFailed f) {
      AwsException e = f.error();
      if (metrics != null) metrics.reconcileError(f.reason());
      events.warning(rc, "DeleteFailed", e.operation() + " failed: " + e.code() + ": " + e.awsMessage());
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(backoff.next(key).toMillis());
    }
    throw new IllegalStateException("a teardown step stalled: " + outcome);
  }

  /** The teardown steps, in reverse order of creation; it stops at the first that is not done. */
  private Outcome teardown(RedisCache rc, Desired d) {
    if (d.serverless()) {
      if (d.deletionPolicy() == DeletionPolicy.Retain) return teardown.retain(rc, d); // nothing deleted; the serverless cache released
      return Outcome.inOrder(
          () -> serverlessCaches.delete(rc, d),            // deleted (with a final snapshot when asked), and waited for
          () -> appUsers.teardown(rc, d),                  // then its user group, then the users (spec.users)
          () -> teardown.subnetGroup(d),
          () -> teardown.securityGroup(rc, d),
          () -> {
            events.normal(rc, "Deleted", "Deleted serverless cache " + d.replicationGroupId() + " and everything the operator created for it");
            return DONE;
          });
    }
    if (d.deletionPolicy() == DeletionPolicy.Retain) return teardown.retain(rc, d); // nothing deleted; the group released
    return Outcome.inOrder(
        () -> teardown.replicationGroup(rc, d),            // deleted (with a final snapshot when asked), and waited for
        () -> appUsers.teardown(rc, d),                    // then its user group, then the users (spec.users)
        () -> teardown.monitoring(rc, d),                  // alarms, and the log groups the operator created
        () -> teardown.parameterGroups(d),
        () -> teardown.subnetGroup(d),
        () -> teardown.securityGroup(rc, d),
        () -> teardown.authSecret(rc, d),
        () -> teardown.deleted(rc, d));
  }

  private UpdateControl<RedisCache> finish(RedisCache rc, StatusBuilder status, Duration after, StatusWriter writer) {
    if (status.changed()) {
      RedisCache fresh = new RedisCache();
      fresh.setMetadata(new ObjectMetaBuilder().withName(rc.getMetadata().getName())
          .withNamespace(rc.getMetadata().getNamespace()).build());
      fresh.setStatus(status.status());
      writer.write(rc, fresh);
    }
    UpdateControl<RedisCache> control = UpdateControl.noUpdate();
    if (after != null) control.rescheduleAfter(after.toMillis());
    return control;
  }

  private static String stalledMessage(RedisCache rc) {
    return conditionMessage(rc, StatusBuilder.STALLED);
  }

  private static String conditionMessage(RedisCache rc, String type) {
    if (rc.getStatus() == null || rc.getStatus().getConditions() == null) return null;
    return rc.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .map(io.fabric8.kubernetes.api.model.Condition::getMessage).findFirst().orElse(null);
  }
}
