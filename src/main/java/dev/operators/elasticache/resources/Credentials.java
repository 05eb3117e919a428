package dev.operators.elasticache.resources;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.SecretsPort.StoredSecret;
import dev.operators.elasticache.aws.SecretsPort;
import dev.operators.elasticache.decide.AuthTokens;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.infra.EventRecorder;
import dev.operators.elasticache.reconciler.Stall;
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
   * Null when auth is off, or for an adopted group until a rotation has brought in a token the
   * operator knows. {@code groupMayExist}: a replication group may already hold a token.
   */
  public Token ensure(RedisCache rc, Desired d, Secret existing, boolean groupMayExist) {
    if (!d.auth()) return null;
    // A Secret left by an earlier RedisCache of the same name (deleted, its Secret not yet collected) holds no token of ours.
    String inSecret = existing != null && ConnectionSecrets.owned(existing, rc)
        ? ConnectionSecrets.token(existing).filter(AuthTokens::isValid).orElse(null) : null;
    if (!d.secretsManager()) {
      if (inSecret != null) return new Token(inSecret, null);
      if (d.adopted()) return null; // an adopted group's token is unknown: a rotation brings in one the operator knows
      if (groupMayExist) throw tokenLost(d);
      return new Token(AuthTokens.generate(), null);
    }
    String knownArn = rc.getStatus() == null ? null : rc.getStatus().getAuthSecretArn();
    if (inSecret != null && knownArn != null) return new Token(inSecret, knownArn);
    // A new cache (no token anywhere, no group) creates its secret straight away; "already exists"
    // (a retry after a crash) leads to the stored one. Otherwise the stored token is looked up first.
    boolean fresh = inSecret == null && knownArn == null && !groupMayExist && !d.adopted();
    if (!fresh) {
      Optional<StoredSecret> stored = secrets.get(d.authSecretName());
      if (stored.isPresent()) return stored(d, stored.get());
      if (inSecret == null && d.adopted()) return null; // a rotation brings in a token the operator knows
      if (inSecret == null && groupMayExist) throw tokenLost(d);
    }
    String value = inSecret != null ? inSecret : AuthTokens.generate();
    try {
      StoredSecret created = secrets.create(d.authSecretName(), "AUTH token of RedisCache " + d.namespace() + "/" + d.name(), value, d.tags());
      events.normal(rc, "AuthTokenStored", "Stored the AUTH token in Secrets Manager secret " + d.authSecretName());
      return new Token(created.value(), created.arn());
    } catch (AwsException e) {
      if (!e.is(AwsException.Kind.ALREADY_EXISTS)) throw e;
      return stored(d, secrets.get(d.authSecretName()).orElseThrow(() -> e));
    }
  }

  private static Token stored(Desired d, StoredSecret stored) {
    if (!AuthTokens.isValid(stored.value())) {
      throw new Stall("StoredTokenInvalid", "the Secrets Manager secret " + d.authSecretName()
          + " does not hold a valid AUTH token (16-128 characters, letters, digits and !&#$^<>- only)");
    }
    return new Token(stored.value(), stored.arn());
  }

  private static Stall tokenLost(Desired d) {
    return new Stall("TokenLost", "the connection Secret " + d.connectionSecretName()
        + " was deleted and the AUTH token is kept nowhere else (connectionSecret.secretsManager is false); "
        + "the operator will not invent a token the cache does not accept: restore the Secret");
  }
}
