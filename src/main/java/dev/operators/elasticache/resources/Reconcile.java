package dev.operators.elasticache.resources;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.ObservedGroup;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.decide.Rotation;
import dev.operators.elasticache.decide.StatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;

/**
 * One reconcile of one RedisCache, as its steps go: what it was given (the cache, its connection
 * Secret as the informer has it), what it wants, the status it will write, and what the steps so
 * far have learned (the token, the replication group, the Secret as last written).
 */
public final class Reconcile {
  private final RedisCache rc;
  private final Desired desired;
  private final StatusBuilder status;
  /** The token rotation under way, as the Secret held it when the reconcile started. */
  private final Rotation rotation;
  private Secret secret;
  private final String secretTlsAtStart;
  private final String secretClusterModeAtStart;
  private Credentials.Token token;
  private ObservedGroup group;
  private dev.operators.elasticache.aws.ServerlessCacheInfo serverless;

  public Reconcile(RedisCache rc, Desired desired, Secret secret, StatusBuilder status) {
    this.rc = rc;
    this.desired = desired;
    this.secret = secret;
    this.secretTlsAtStart = secret == null ? null : ConnectionSecrets.decoded(secret).get("tls");
    this.secretClusterModeAtStart = secret == null ? null : ConnectionSecrets.decoded(secret).get("clusterMode");
    this.status = status;
    this.rotation = secret == null || !ConnectionSecrets.owned(secret, rc) ? Rotation.NONE
        : Rotation.read(ConnectionSecrets.decoded(secret), ConnectionSecrets.rotationAnnotations(secret));
  }

  public RedisCache rc() { return rc; }
  public Desired desired() { return desired; }
  public StatusBuilder status() { return status; }
  public Rotation rotation() { return rotation; }

  /** The Secret's {@code tls} as the informer had it when the reconcile started (null without a Secret). */
  public String secretTlsAtStart() { return secretTlsAtStart; }

  /** The Secret's {@code clusterMode} as the informer had it when the reconcile started (null without a Secret). */
  public String secretClusterModeAtStart() { return secretClusterModeAtStart; }

  /** The connection Secret as last seen or written (null before there is one). */
  public Secret secret() { return secret; }

  /** Null when auth is off, or for an adopted group until a rotation brings in a token the operator knows. */
  public Credentials.Token token() { return token; }

  public String tokenValue() { return token == null ? null : token.value(); }

  /** The replication group, once the replication-group step found it (available, or serving while AWS works on it). */
  public ObservedGroup group() { return group; }

  void secret(Secret written) { this.secret = written; }

  /** The apps' Secrets (spec.users) as read or written in this reconcile, by name. */
  private final java.util.Map<String, Secret> userSecrets = new java.util.HashMap<>();

  Secret userSecret(String name) { return userSecrets.get(name); }

  /** A running cache switching to spec.users: its token still works, so the cache Secret keeps it. */
  private boolean keepToken;

  public boolean keepToken() { return keepToken; }
  void keepToken(boolean keep) { this.keepToken = keep; }
  void userSecret(String name, Secret s) { userSecrets.put(name, s); }
  void token(Credentials.Token token) { this.token = token; }
  void group(ObservedGroup group) { this.group = group; }

  /** The serverless cache, once the serverless step found it available (or serving while AWS works on it). */
  public dev.operators.elasticache.aws.ServerlessCacheInfo serverless() { return serverless; }

  void serverless(dev.operators.elasticache.aws.ServerlessCacheInfo cache) { this.serverless = cache; }
}
