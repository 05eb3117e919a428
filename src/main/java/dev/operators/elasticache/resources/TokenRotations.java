package dev.operators.elasticache.resources;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.aws.ModifyRequest;
import dev.operators.elasticache.aws.ObservedGroup;
import dev.operators.elasticache.aws.SecretsPort;
import dev.operators.elasticache.decide.AuthTokens;
import dev.operators.elasticache.decide.ConnectionDetails;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.decide.Rotation;
import dev.operators.elasticache.decide.StatusBuilder;
import dev.operators.elasticache.fleet.Fleet;
import dev.operators.elasticache.infra.EventRecorder;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * AUTH token rotation, one step per reconcile, restart-safe at every step: (1) a new token is
 * stored (Secrets Manager AWSPENDING and the Secret's pendingPassword); (2) ROTATE, so AWS accepts
 * both; (3) once AWS applied it, the Secret and Secrets Manager switch to the new token and a grace
 * period starts; (4) after it, SET, so only the new one works. The state lives in the Secret with
 * the token, so a crash between any two steps resumes where it stopped and never loses a token.
 */
@ApplicationScoped
public class TokenRotations {
  private final ElastiCachePort elastiCache;
  private final SecretsPort secrets;
  private final ConnectionSecrets connectionSecrets;
  private final Fleet fleet;
  private final EventRecorder events;
  private final Clock clock;
  public TokenRotations(ElastiCachePort elastiCache, SecretsPort secrets, ConnectionSecrets connectionSecrets, Fleet fleet,
      EventRecorder events, Clock clock) {
    this.elastiCache = elastiCache;
    this.secrets = secrets;
    this.connectionSecrets = connectionSecrets;
    this.fleet = fleet;
    this.events = events;
    this.clock = clock;
  }

  /**
   * The rotation step: takes the next phase if one is due. Done (with when the next phase is due),
   * or waiting while AWS applies one.
   */
  public Outcome step(Reconcile r) {
    RedisCache rc = r.rc();
    Desired d = r.desired();
    ObservedGroup g = r.group();
    String token = r.tokenValue();
    Rotation state = r.rotation();
    StatusBuilder status = r.status();
    if (!d.auth()) return Outcome.DONE;
    Instant now = clock.instant();
    String id = d.replicationGroupId();
    if (token == null && state.phase() == Rotation.Phase.NONE) {
      boolean withoutToken = !g.group().authTokenEnabled();
      if (!d.adopted() && !withoutToken) return Outcome.DONE;
      // An adopted group, or auth turned on for a running group: bring in a token the operator knows, the same way as a rotation.
      String next = AuthTokens.generate();
      boolean fromUsers = fromUsers(r);
      // Secrets Manager first (as a rotation does): a secret left from an earlier token gets the new one as AWSPENDING
      if (d.secretsManager() && secrets.get(d.authSecretName()).isPresent()) secrets.putPending(d.authSecretName(), next);
      Rotation pending = state.pending(next, now, g.group().authTokenLastModified());
      Outcome stored = connectionSecrets.apply(r, pending.decorate(ConnectionDetails.data(d, g.group(), null)), pending.annotations());
      if (!stored.done()) return stored;
      if (fromUsers) {
        events.normal(rc, "SwitchingToToken", "Step 1 of 4: spec.users is empty and auth.enabled is true: a new AUTH token is stored "
            + "(pendingPassword in the Secret" + (d.secretsManager() ? ", and Secrets Manager" : "") + "); next, AWS's \"Migrating from RBAC "
            + "to AUTH\": RemoveUserGroups with the token and ROTATE (the apps' users keep working until AWS has applied it)");
        status.tokenRotation("new token stored at " + now + "; RemoveUserGroups with ROTATE next");
        return Outcome.waitForAws("SwitchingToToken", "Step 1 of 4: a new AUTH token is stored; RemoveUserGroups with ROTATE next", Duration.ofSeconds(1));
      }
      events.normal(rc, "TokenRotationStarted", (d.adopted() && !withoutToken ? "The adopted group's AUTH token is unknown to the operator"
          : "Auth is turned on for a running group without a token") + ": a new one is stored in the Secret; next, ROTATE");
      status.tokenRotation("new token stored at " + now + "; ROTATE next");
      return Outcome.waitForAws("RotatingToken", "A new AUTH token is stored; ROTATE next", Duration.ofSeconds(1));
    }
    switch (state.phase()) {
      case NONE -> {
        String requested = rc.getMetadata().getAnnotations() == null ? null : rc.getMetadata().getAnnotations().get(Rotation.REQUEST_ANNOTATION);
        String handled = status.status().getTokenRotationRequest();
        Instant last = lastRotated(rc);
        // The Secret holds the durable record of the last rotation (written with its token); the status may lag it.
        if (state.lastCompleted() != null && (handled == null || last.isBefore(state.lastCompleted()))) {
          handled = state.handledRequest();
          last = state.lastCompleted();
          status.tokenRotated(last.toString(), handled);
        }
        if (!Rotation.due(requested, handled, d.rotationEvery(), last, now)) {
          return Outcome.done(d.rotationEvery() == null ? null : Duration.between(now, last.plus(d.rotationEvery())));
        }
        String next = AuthTokens.generate();
        if (d.secretsManager()) secrets.putPending(d.authSecretName(), next);
        Rotation pending = state.pending(next, now, g.group().authTokenLastModified());
        Outcome stored = connectionSecrets.apply(r, pending.decorate(ConnectionDetails.data(d, g.group(), token)), pending.annotations());
        if (!stored.done()) return stored;
        events.normal(rc, "TokenRotationStarted", "A new AUTH token is stored" + (d.secretsManager() ? " (Secrets Manager and the Secret)" : " (in the Secret)")
            + "; next, AWS is asked to accept both tokens (ROTATE)");
        status.tokenRotation("new token stored at " + now + "; ROTATE next");
        return Outcome.waitForAws("RotatingToken", "A new AUTH token is stored; ROTATE next", Duration.ofSeconds(1));
      }
      case PENDING -> {
        if (!state.applied(g.group().authTokenLastModified())) {
          if (fromUsers(r)) {
            // AWS's way back from RBAC (user guide, "Migrating from RBAC to AUTH"): the user group off and the token in, in one
            // modification; until AWS has applied it the apps' users are let in, after it the token (optional until SET).
            elastiCache.modifyReplicationGroup(ModifyRequest.of(id, true).backToToken(state.pendingToken()));
            events.normal(rc, "SwitchingToToken", "Step 2 of 4: asked AWS to remove the user group " + userGroup(r) + " from " + id
                + " and take the new AUTH token (RemoveUserGroups, AuthTokenUpdateStrategy ROTATE); the apps' users work until it is applied");
            status.tokenRotation("RemoveUserGroups with ROTATE sent at " + now + "; waiting for AWS");
            fleet.record(id, g.withStatus("modifying"));
            fleet.hurry(ReplicationGroups.HURRY);
            return Outcome.waitForAws("SwitchingToToken", "Step 2 of 4: AWS is removing user group " + userGroup(r)
                + " and bringing in the AUTH token (ROTATE); the apps' users work meanwhile", ReplicationGroups.RECHECK);
          }
          elastiCache.modifyReplicationGroup(ModifyRequest.of(id, true).token(state.pendingToken(), "ROTATE"));
          events.normal(rc, "TokenRotating", "Asked AWS to accept both the old and the new AUTH token (ROTATE) on " + id);
          status.tokenRotation("ROTATE sent at " + now + "; waiting for AWS");
          fleet.record(id, g.withStatus("modifying"));
          fleet.hurry(ReplicationGroups.HURRY);
          return Outcome.waitForAws("RotatingToken", "AWS is applying ROTATE: both tokens will work", ReplicationGroups.RECHECK);
        }
        if (d.secretsManager()) {
          if (secrets.get(d.authSecretName()).isPresent()) {
            secrets.promotePending(d.authSecretName());
          } else {
            secrets.create(d.authSecretName(), "AUTH token of RedisCache " + d.namespace() + "/" + d.name(), state.pendingToken(), d.tags());
          }
        }
        // Back from users there is no older token to keep working: the token is optional (clients without one are let in,
        // AWS's user guide) until SET, which is sent at once.
        boolean fromUsers = switchingFromUsers(r);
        Rotation grace = state.grace(fromUsers ? now : now.plus(d.rotationGracePeriod()), g.group().authTokenLastModified());
        Outcome switched = connectionSecrets.apply(r, ConnectionDetails.data(d, g.group(), state.pendingToken()), grace.annotations());
        if (!switched.done()) return switched;
        if (fromUsers) {
          events.normal(rc, "SwitchingToToken", "Step 3 of 4: AWS removed the user group and takes the new AUTH token; the Secret holds it; "
              + "next, SET makes it required");
          status.tokenRotation("the Secret holds the new token; SET next");
          return Outcome.waitForAws("SwitchingToToken", "Step 3 of 4: the Secret holds the new AUTH token; SET next", Duration.ofSeconds(1));
        }
        events.normal(rc, "TokenRotated", "The Secret holds the new AUTH token; the old one keeps working until " + grace.graceUntil());
        status.tokenRotation("grace period: both tokens work until " + grace.graceUntil());
        return Outcome.done(d.rotationGracePeriod());
      }
      case GRACE -> {
        if (now.isBefore(state.graceUntil())) {
          status.tokenRotation("grace period: both tokens work until " + state.graceUntil());
          return Outcome.done(Duration.between(now, state.graceUntil()));
        }
        String requested = rc.getMetadata().getAnnotations() == null ? null : rc.getMetadata().getAnnotations().get(Rotation.REQUEST_ANNOTATION);
        // A SET AWS already applied (sent before a crash, or a Secret write that failed after it) is
        // not sent again: AWS refuses a SET that does not follow a ROTATE.
        boolean setApplied = state.applied(g.group().authTokenLastModified());
        if (!setApplied) {
          elastiCache.modifyReplicationGroup(ModifyRequest.of(id, true).token(token, "SET"));
          fleet.record(id, g.withStatus("modifying")); // before the Secret write, which can fail: the retry waits for AWS
          fleet.hurry(ReplicationGroups.HURRY);
        }
        Outcome completed = connectionSecrets.apply(r, ConnectionDetails.data(d, g.group(), token), Rotation.completed(now, requested).annotations());
        if (!completed.done()) return completed;
        status.tokenRotated(now.toString(), requested);
        events.normal(rc, "TokenRotationCompleted", "Only the new AUTH token works now (SET) on " + id);
        return setApplied ? Outcome.DONE : Outcome.waitForAws("Modifying", "AWS is applying SET: only the new token will work", ReplicationGroups.RECHECK);
      }
      default -> throw new IllegalStateException(state.phase().name());
    }
  }

  /** The group still uses this cache's user group while auth is on without spec.users: the way back from users to a token. */
  private static boolean fromUsers(Reconcile r) {
    String gid = userGroup(r);
    return gid != null && r.desired().users().isEmpty() && r.group().group().userGroupIds().contains(gid);
  }

  /** The user group is recorded (its users not yet deleted) and auth is on without spec.users: the switch back is under way. */
  private static boolean switchingFromUsers(Reconcile r) {
    return userGroup(r) != null && r.desired().users().isEmpty();
  }

  private static String userGroup(Reconcile r) {
    return r.rc().getStatus() == null ? null : r.rc().getStatus().getUserGroupId();
  }

  private static Instant lastRotated(RedisCache rc) {
    if (rc.getStatus() != null && rc.getStatus().getTokenLastRotated() != null) return Instant.parse(rc.getStatus().getTokenLastRotated());
    return rc.getMetadata().getCreationTimestamp() == null ? Instant.EPOCH : Instant.parse(rc.getMetadata().getCreationTimestamp());
  }
}
