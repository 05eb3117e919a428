package dev.operators.elasticache.reconciler;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.Ec2Port;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.aws.ObservedGroup;
import dev.operators.elasticache.config.OperatorConfig;
import dev.operators.elasticache.decide.ConnectionDetails;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.decide.Problem;
import dev.operators.elasticache.decide.Rotation;
import dev.operators.elasticache.decide.SpecValidation;
import dev.operators.elasticache.decide.StatusBuilder;
import dev.operators.elasticache.fleet.Admission;
import dev.operators.elasticache.fleet.Fleet;
import dev.operators.elasticache.fleet.FleetEventSource;
import dev.operators.elasticache.infra.Backoff;
import dev.operators.elasticache.infra.EventRecorder;
import dev.operators.elasticache.resources.ConnectionSecrets;
import dev.operators.elasticache.resources.Credentials;
import dev.operators.elasticache.resources.Monitoring;
import dev.operators.elasticache.resources.ParameterGroups;
import dev.operators.elasticache.resources.ReplicationGroups;
import dev.operators.elasticache.resources.SecurityGroups;
import dev.operators.elasticache.resources.SubnetGroups;
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
import java.util.List;

/**
 * Observe, decide, act, report: validate the spec, then bring each AWS resource in line in order
 * (adoption consent, security group, subnet group, parameter group, token, replication group, connection Secret),
 * and write status once. Waiting on AWS ends the reconcile; the fleet sweep brings it back.
 */
@ControllerConfiguration(name = "rediscache", finalizerName = RedisCacheReconciler.FINALIZER,
    generationAwareEventProcessing = false, informer = @Informer(onUpdateFilter = ReconcileTriggers.class))
public class RedisCacheReconciler implements Reconciler<RedisCache>, Cleaner<RedisCache> {
  public static final String FINALIZER = "elasticache.operators.dev/finalizer";
  /** A Stalled cache is looked at again this often: what a person fixed outside Kubernetes (AWS, IAM) is noticed. */
  static final Duration STALLED_RECHECK = Duration.ofMinutes(10);
  static final Duration FIRST_SWEEP_RETRY = Duration.ofSeconds(5);

  private final OperatorConfig config;
  private final ElastiCachePort elastiCache;
  private final Ec2Port ec2;
  private final Fleet fleet;
  private final SecurityGroups securityGroups;
  private final SubnetGroups subnetGroups;
  private final ParameterGroups parameterGroups;
  private final Credentials credentials;
  private final ReplicationGroups replicationGroups;
  private final ConnectionSecrets connectionSecrets;
  private final Teardown teardown;
  private final TokenRotations tokenRotations;
  private final Monitoring monitoring;
  private final EventRecorder events;
  private final Backoff backoff;
  private final Admission admission;
  private final Clock clock;

  public RedisCacheReconciler(OperatorConfig config, ElastiCachePort elastiCache, Ec2Port ec2, Fleet fleet, SecurityGroups securityGroups,
      SubnetGroups subnetGroups, ParameterGroups parameterGroups, Credentials credentials, ReplicationGroups replicationGroups,
      ConnectionSecrets connectionSecrets, Teardown teardown, TokenRotations tokenRotations, Monitoring monitoring, EventRecorder events,
      Backoff backoff, Admission admission, Clock clock) {
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
    var sweep = new FleetEventSource(elastiCache, ec2, fleet, context.getPrimaryCache(), config.clusterId(),
        config.sweep().fastPeriod(), config.sweep().steadyPeriod(), clock, admission);
    return List.of(secrets, sweep);
  }

  @Override
  public UpdateControl<RedisCache> reconcile(RedisCache rc, Context<RedisCache> context) {
    return reconcile(rc, context.getSecondaryResource(Secret.class).orElse(null),
        (current, fresh) -> PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(current, fresh, context));
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
    if (!fleet.swept()) {
      // Just started: decide nothing, and write nothing, before one look at AWS for all caches. The
      // first sweep triggers every cache; this reschedule is only a safety net.
      return UpdateControl.<RedisCache>noUpdate().rescheduleAfter(FIRST_SWEEP_RETRY.toMillis());
    }
    StatusBuilder status = new StatusBuilder(rc, clock.instant());
    String key = ResourceID.fromResource(rc).toString();
    String uid = rc.getMetadata().getUid();
    try {
      List<Problem> problems = SpecValidation.validate(rc.getSpec());
      if (!problems.isEmpty()) throw new Stall("InvalidSpec", Problem.describe(problems));
      Desired d = Desired.of(rc, config.clusterId());
      checkRecordedNames(rc, d);
      try {
        Duration next = converge(rc, d, secret, status);
        backoff.reset(key);
        return finish(rc, status, next, writer);
      } finally {
        // AWS accepted the replication group (or it was there already): the next new cache may go.
        if (fleet.get(d.replicationGroupId()).isPresent()) admission.release(uid);
      }
    } catch (Wait w) {
      backoff.reset(key);
      return finish(rc, status.reconciling(w.reason(), w.getMessage()), w.after(), writer);
    } catch (Stall s) {
      admission.release(uid);
      if (!s.getMessage().equals(stalledMessage(rc))) events.warning(rc, s.reason(), s.getMessage());
      return finish(rc, status.stalled(s.reason(), s.getMessage()), s.lookAgainAfter(), writer);
    } catch (AwsException e) {
      if (ownRateLimit(e)) {
        // Waiting for the operator's own call budget is not a failure: no event, no back-off growth, a stable message.
        return finish(rc, status.reconciling("WaitingForCallBudget", "Waiting for the operator's AWS call budget"), backoff.spread(), writer);
      }
      String message = e.operation() + ": " + e.code() + ": " + e.awsMessage();
      if (e.is(AwsException.Kind.INVALID_INPUT)) {
        admission.release(uid);
        if (!message.equals(stalledMessage(rc))) events.warning(rc, "AwsRejected", message);
        return finish(rc, status.stalled("AwsRejected", message), STALLED_RECHECK, writer);
      }
      String reason = switch (e.kind()) {
        case THROTTLED -> "Throttled";
        case BUSY -> "AwsBusy";
        case CAPACITY -> "AwsCapacity";
        case TRANSIENT -> "AwsUnavailable";
        default -> "AwsError";
      };
      // One Warning per distinct refusal, not one per retry; the retry delay is not in the status (it changes every time).
      if (!message.equals(conditionMessage(rc, StatusBuilder.RECONCILING))) events.warning(rc, reason, message);
      return finish(rc, status.reconciling(reason, message), backoff.next(key), writer);
    }
  }

  /**
   * Resources are named from the operator's cluster id: when it changed since this cache was
   * created, the names no longer match what AWS holds. Refuse loudly rather than create a second
   * replication group next to the first.
   */
  private static void checkRecordedNames(RedisCache rc, Desired d) {
    String recorded = rc.getStatus() == null ? null : rc.getStatus().getReplicationGroupId();
    if (recorded != null && !recorded.equals(d.replicationGroupId())) {
      throw new Stall("ReplicationGroupIdChanged", "this RedisCache's replication group is " + recorded + " (status.replicationGroupId), but "
          + "the operator would now name it " + d.replicationGroupId() + ": the operator's cluster id (rediscache.cluster-id) changed since "
          + "it was created. Nothing is created or changed in AWS until the cluster id is set back.");
    }
  }

  /**
   * Throws Wait while AWS works, Stall when a person must act; returns when the cache is ready,
   * with when to look again (a token rotation's grace period, its schedule) or null.
   */
  private Duration converge(RedisCache rc, Desired d, Secret secret, StatusBuilder status) {
    boolean toCreate = fleet.get(d.replicationGroupId()).isEmpty() && !d.adopted()
        && (rc.getStatus() == null || rc.getStatus().getReplicationGroupArn() == null);
    if (toCreate && !admission.admit(rc)) {
      // Not yet its turn: no AWS call, and a message that stays the same (one status write while it waits).
      throw new Wait("Queued", "Waiting for its turn: new caches are created in the order they were applied, "
          + config.aws().concurrentCreates() + " at a time, within the operator's AWS call budget", backoff.spread());
    }
    status.connectionSecret(d.connectionSecretName()).replicationGroup(d.replicationGroupId(), null);
    // Adopting takes over someone's group: only with their consent, checked before anything is written to AWS.
    if (d.adopted()) replicationGroups.checkAdoption(rc, d);
    String vpcId = securityGroups.vpcId(d);
    // Security, subnet and parameter groups and log groups only change with the spec: once they are in
    // line with this generation, a reconcile (while AWS creates the group, say) does not describe them
    // again; the sweep's view of the security group stands in for a describe.
    boolean prepared = StatusBuilder.prepared(rc) || ReplicationGroups.settled(rc); // settled: a status written before preparedGeneration existed
    status.securityGroup(securityGroups.ensure(rc, d, vpcId, prepared));
    if (!prepared || status.status().getSubnetGroupName() == null) status.subnetGroup(subnetGroups.ensure(rc, d));
    if (!prepared) status.parameterGroup(parameterGroups.ensure(rc, d));
    if (!prepared) monitoring.ensureLogGroups(rc, d, status);
    status.prepared(rc.getMetadata().getGeneration() == null ? 0 : rc.getMetadata().getGeneration());
    boolean groupMayExist = fleet.get(d.replicationGroupId()).isPresent()
        || (rc.getStatus() != null && rc.getStatus().getReplicationGroupArn() != null);
    Credentials.Token token = credentials.ensure(rc, d, secret, groupMayExist);
    if (token != null) status.authSecret(token.secretArn());
    String tokenValue = token == null ? null : token.value();
    ObservedGroup known = fleet.get(d.replicationGroupId()).orElse(null);
    Rotation rotation = secret == null || !ConnectionSecrets.owned(secret, rc) ? Rotation.NONE
        : Rotation.read(ConnectionSecrets.decoded(secret), ConnectionSecrets.rotationAnnotations(secret));
    // The token is in the Secret before AWS is asked to use it. While AWS modifies a group its
    // endpoints stay valid (and are kept); before it exists there are none.
    secret = connectionSecrets.apply(rc, d, secret, rotation.decorate(ConnectionDetails.data(d,
        known == null ? null : known.group(), tokenValue)), rotation.annotations());
    ObservedGroup g = replicationGroups.ensure(rc, d, status.status().getSecurityGroupId(), tokenValue, status);
    secret = connectionSecrets.apply(rc, d, secret, rotation.decorate(ConnectionDetails.data(d, g.group(), tokenValue)), rotation.annotations());
    if (!g.group().available()) {
      // A healthy group AWS is working on for reasons of its own (a backup, a change made elsewhere): it serves traffic.
      status.ready(ReplicationGroups.reason(g.group().status()), "Replication group " + d.replicationGroupId() + " is " + g.group().status()
          + " (AWS is at work on it; it serves traffic meanwhile); Secret " + d.connectionSecretName() + " holds the connection details");
      return null;
    }
    replicationGroups.converge(rc, d, g, status.status().getSecurityGroupId(), status);
    Duration next = tokenRotations.step(rc, d, g, secret, tokenValue, rotation, status);
    if (!StatusBuilder.isTrue(rc.getStatus(), StatusBuilder.READY)) {
      events.normal(rc, "Ready", "Replication group " + d.replicationGroupId() + " is available at "
          + ConnectionDetails.endpoint(g.group()) + "; connection Secret " + d.connectionSecretName() + " is ready");
    }
    status.ready("Replication group " + d.replicationGroupId() + " is available; Secret " + d.connectionSecretName() + " holds the connection details");
    return next;
  }

  @Override
  public DeleteControl cleanup(RedisCache rc, Context<RedisCache> context) {
    return cleanup(rc);
  }

  public DeleteControl cleanup(RedisCache rc) {
    String key = ResourceID.fromResource(rc).toString();
    try {
      teardown.run(rc, Desired.of(rc, config.clusterId()));
      backoff.reset(key);
      admission.release(rc.getMetadata().getUid());
      replicationGroups.forget(rc.getMetadata().getUid());
      return DeleteControl.defaultDelete();
    } catch (Wait w) {
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(w.after().toMillis());
    } catch (AwsException e) {
      if (!ownRateLimit(e)) events.warning(rc, "DeleteFailed", e.operation() + " failed: " + e.code() + ": " + e.awsMessage());
      return DeleteControl.noFinalizerRemoval().rescheduleAfter((ownRateLimit(e) ? backoff.spread() : backoff.next(key)).toMillis());
    }
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

  /** The operator's own limit on AWS calls is not an AWS failure: no Warning event for it. */
  private static boolean ownRateLimit(AwsException e) {
    return "ClientRateLimit".equals(e.code());
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
