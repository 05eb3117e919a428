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
import dev.operators.elasticache.reconciler.Wait;
import io.fabric8.kubernetes.api.model.Secret;
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

  /** Takes the next step if one is due; returns when to look again, or null. Throws {@link Wait} while AWS works. */
  public Duration step(RedisCache rc, Desired d, ObservedGroup g, Secret secret, String token, Rotation state, StatusBuilder status) {
    if (!d.auth()) return null;
    Instant now = clock.instant();
    String id = d.replicationGroupId();
    if (token == null && state.phase() == Rotation.Phase.NONE) {
      if (!d.adopted()) return null;
      // An adopted group: bring in a token the operator knows, the same way as a rotation.
      String next = AuthTokens.generate();
      Rotation pending = state.pending(next, now, g.group().authTokenLastModified());
      connectionSecrets.apply(rc, d, secret, pending.decorate(ConnectionDetails.data(d, g.group(), null)), pending.annotations());
      events.normal(rc, "TokenRotationStarted", "The adopted group's AUTH token is unknown to the operator: a new one is stored in the Secret; next, ROTATE");
      status.tokenRotation("new token stored at " + now + "; ROTATE next");
      throw new Wait("RotatingToken", "A new AUTH token is stored; ROTATE next", Duration.ofSeconds(1));
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
          return d.rotationEvery() == null ? null : Duration.between(now, last.plus(d.rotationEvery()));
        }
        String next = AuthTokens.generate();
        if (d.secretsManager()) secrets.putPending(d.authSecretName(), next);
        Rotation pending = state.pending(next, now, g.group().authTokenLastModified());
        connectionSecrets.apply(rc, d, secret, pending.decorate(ConnectionDetails.data(d, g.group(), token)), pending.annotations());
        events.normal(rc, "TokenRotationStarted", "A new AUTH token is stored" + (d.secretsManager() ? " (Secrets Manager and the Secret)" : " (in the Secret)")
            + "; next, AWS is asked to accept both tokens (ROTATE)");
        status.tokenRotation("new token stored at " + now + "; ROTATE next");
        throw new Wait("RotatingToken", "A new AUTH token is stored; ROTATE next", Duration.ofSeconds(1));
      }
      case PENDING -> {
        if (!state.applied(g.group().authTokenLastModified())) {
          elastiCache.modifyReplicationGroup(ModifyRequest.of(id, true).token(state.pendingToken(), "ROTATE"));
          events.normal(rc, "TokenRotating", "Asked AWS to accept both the old and the new AUTH token (ROTATE) on " + id);
          status.tokenRotation("ROTATE sent at " + now + "; waiting for AWS");
          fleet.record(id, g.withStatus("modifying"));
          fleet.hurry(ReplicationGroups.HURRY);
          throw new Wait("RotatingToken", "AWS is applying ROTATE: both tokens will work", ReplicationGroups.RECHECK);
        }
        if (d.secretsManager()) {
          if (secrets.get(d.authSecretName()).isPresent()) {
            secrets.promotePending(d.authSecretName());
          } else {
            secrets.create(d.authSecretName(), "AUTH token of RedisCache " + d.namespace() + "/" + d.name(), state.pendingToken(), d.tags());
          }
        }
        Rotation grace = state.grace(now.plus(d.rotationGracePeriod()));
        connectionSecrets.apply(rc, d, secret, ConnectionDetails.data(d, g.group(), state.pendingToken()), grace.annotations());
        events.normal(rc, "TokenRotated", "The Secret holds the new AUTH token; the old one keeps working until " + grace.graceUntil());
        status.tokenRotation("grace period: both tokens work until " + grace.graceUntil());
        return d.rotationGracePeriod();
      }
      case GRACE -> {
        if (now.isBefore(state.graceUntil())) {
          status.tokenRotation("grace period: both tokens work until " + state.graceUntil());
          return Duration.between(now, state.graceUntil());
        }
        String requested = rc.getMetadata().getAnnotations() == null ? null : rc.getMetadata().getAnnotations().get(Rotation.REQUEST_ANNOTATION);
        elastiCache.modifyReplicationGroup(ModifyRequest.of(id, true).token(token, "SET"));
        connectionSecrets.apply(rc, d, secret, ConnectionDetails.data(d, g.group(), token), Rotation.completed(now, requested).annotations());
        status.tokenRotated(now.toString(), requested);
        events.normal(rc, "TokenRotationCompleted", "Only the new AUTH token works now (SET) on " + id);
        fleet.record(id, g.withStatus("modifying"));
        fleet.hurry(ReplicationGroups.HURRY);
        throw new Wait("Modifying", "AWS is applying SET: only the new token will work", ReplicationGroups.RECHECK);
      }
      default -> throw new IllegalStateException(state.phase().name());
    }
  }

  private static Instant lastRotated(RedisCache rc) {
    if (rc.getStatus() != null && rc.getStatus().getTokenLastRotated() != null) return Instant.parse(rc.getStatus().getTokenLastRotated());
    return rc.getMetadata().getCreationTimestamp() == null ? Instant.EPOCH : Instant.parse(rc.getMetadata().getCreationTimestamp());
  }
}
