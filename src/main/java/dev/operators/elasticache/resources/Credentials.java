package dev.operators.elasticache.resources;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.SecretsPort.StoredSecret;
import dev.operators.elasticache.aws.SecretsPort;
import dev.operators.elasticache.decide.AuthTokens;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.infra.EventRecorder;
import io.fabric8.kubernetes.api.model.Secret;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The AUTH token: generated once by AWS's rules, stored (Secrets Manager when asked, and the
 * Kubernetes Secret by the caller) before AWS is asked to use it, and read back ever after: never
 * regenerated while a replication group may be using the old one. Never logged.
 */
@ApplicationScoped
public class Credentials {
  private final SecretsPort secrets;
  private final EventRecorder events;

  public Credentials(SecretsPort secrets, EventRecorder events) {
    this.secrets = secrets;
    this.events = events;
  }

  /** The token and where it is kept. toString never shows the value. */
  public record Token(String value, String secretArn) {
    @Override
    public String toString() {
      return "Token[" + (secretArn == null ? "kubernetes secret only" : secretArn) + "]";
    }
  }

  /**
   * The step: the token in {@link Reconcile#token()}, where it is kept in the status. None when
   * auth is off, or for an adopted group until a rotation has brought in a token the operator
   * knows, or for a running group AWS reports without a token (auth turned on in the spec) until
   * a rotation has brought one in. {@code groupMayExist}: a replication group may already hold a
   * token; {@code groupWithoutToken}: AWS reports the group and no AUTH token on it.
   */
  public Outcome ensure(Reconcile r, boolean groupMayExist, boolean groupWithoutToken) {
    RedisCache rc = r.rc();
    Desired d = r.desired();
    Secret existing = r.secret();
    if (!d.auth()) return Outcome.DONE;
    // Auth turned on for a running group: a token is brought in the way a rotation brings one (ROTATE, then SET),
    // the Secret's rotation state saying where it is; until then there is no token to use.
    boolean bringingIn = groupWithoutToken || (!d.adopted() && r.rotation().phase() == dev.operators.elasticache.decide.Rotation.Phase.PENDING
        && (existing == null || ConnectionSecrets.token(existing).isEmpty()));
    // A Secret left by an earlier RedisCache of the same name (deleted, its Secret not yet collected) holds no token of ours.
    String inSecret = existing != null && ConnectionSecrets.owned(existing, rc)
        ? ConnectionSecrets.token(existing).filter(AuthTokens::isValid).orElse(null) : null;
    if (!d.secretsManager()) {
      if (inSecret != null) return found(r, new Token(inSecret, null));
      if (d.adopted() || bringingIn) return Outcome.DONE; // an adopted group's token is unknown: a rotation brings in one the operator knows
      if (groupMayExist) return tokenLost(d);
      return found(r, new Token(AuthTokens.generate(), null));
    }
    // Brought in by the rotation steps (TokenRotations): what Secrets Manager holds from an earlier token (a cache
    // that went from its token to spec.users and now back) is not what AWS takes.
    if (inSecret == null && bringingIn && !d.adopted()) return Outcome.DONE;
    String knownArn = rc.getStatus() == null ? null : rc.getStatus().getAuthSecretArn();
    if (inSecret != null && knownArn != null) return found(r, new Token(inSecret, knownArn));
    // A new cache (no token anywhere, no group) creates its secret straight away; "already exists"
    // (a retry after a crash) leads to the stored one. Otherwise the stored token is looked up first.
    boolean fresh = inSecret == null && knownArn == null && !groupMayExist && !d.adopted();
    if (!fresh) {
      Optional<StoredSecret> stored = secrets.get(d.authSecretName());
      if (stored.isPresent()) return stored(r, stored.get());
      if (inSecret == null && (d.adopted() || bringingIn)) return Outcome.DONE; // a rotation brings in a token the operator knows
      if (inSecret == null && groupMayExist) return tokenLost(d);
    }
    String value = inSecret != null ? inSecret : AuthTokens.generate();
    StoredSecret kept = store(rc, d, d.authSecretName(), "AUTH token of RedisCache " + d.namespace() + "/" + d.name(), value, "AuthTokenStored",
        "Stored the AUTH token in Secrets Manager secret " + d.authSecretName());
    return kept.value().equals(value) ? found(r, new Token(value, kept.arn())) : stored(r, kept);
  }

  /**
   * An app user's password (spec.users), kept the way the token is: with
   * {@code connectionSecret.secretsManager}, in Secrets Manager ({@link Desired#userSecretName})
   * before the app's Secret and AWS get it. {@code inSecret}: the valid password the app's Secret
   * holds (null: none, or the Secret is gone); {@code knownArn}: the secret's ARN the app's Secret
   * records (it was written from Secrets Manager). Then the Secret's password is the one; else
   * Secrets Manager's, which is written first (a deleted Secret is rebuilt with it); else it is
   * stored there now, the Secret's or a new one. Without Secrets Manager: the Secret's, or a new one.
   * Empty when Secrets Manager holds something that is no valid password.
   */
  public Optional<Token> userPassword(RedisCache rc, Desired d, String userName, String inSecret, String knownArn) {
    if (!d.secretsManager()) return Optional.of(new Token(inSecret != null ? inSecret : AuthTokens.generate(), null));
    String name = d.userSecretName(userName);
    if (inSecret != null && knownArn != null) return Optional.of(new Token(inSecret, knownArn));
    StoredSecret kept = secrets.get(name).orElse(null);
    if (kept == null) {
      kept = store(rc, d, name, "Password of ElastiCache user " + userName + " of RedisCache " + d.namespace() + "/" + d.name(),
          inSecret != null ? inSecret : AuthTokens.generate(), "UserPasswordStored", "Stored the password of user " + userName
          + " in Secrets Manager secret " + name);
    }
    return AuthTokens.isValid(kept.value()) ? Optional.of(new Token(kept.value(), kept.arn())) : Optional.empty();
  }

  /** CreateSecret; "already exists" (a retry after a crash) answers the stored one. The event only when made now. */
  private StoredSecret store(RedisCache rc, Desired d, String name, String description, String value, String reason, String message) {
    try {
      StoredSecret created = secrets.create(name, description, value, d.tags());
      events.normal(rc, reason, message);
      return created;
    } catch (AwsException e) {
      if (!e.is(AwsException.Kind.ALREADY_EXISTS)) throw e;
      return secrets.get(name).orElseThrow(() -> e);
    }
  }

  private static Outcome found(Reconcile r, Token token) {
    r.token(token);
    r.status().authSecret(token.secretArn());
    return Outcome.DONE;
  }

  private static Outcome stored(Reconcile r, StoredSecret stored) {
    if (!AuthTokens.isValid(stored.value())) {
      return Outcome.stalled("StoredTokenInvalid", "the Secrets Manager secret " + r.desired().authSecretName()
          + " does not hold a valid AUTH token (16-128 characters, letters, digits and !&#$^<>- only)");
    }
    return found(r, new Token(stored.value(), stored.arn()));
  }

  private static Outcome tokenLost(Desired d) {
    return Outcome.stalled("TokenLost", "the connection Secret " + d.connectionSecretName()
        + " was deleted and the AUTH token is kept nowhere else (connectionSecret.secretsManager is false); "
        + "the operator will not invent a token the cache does not accept: restore the Secret");
  }
}
