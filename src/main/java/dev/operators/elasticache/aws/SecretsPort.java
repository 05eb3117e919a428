package dev.operators.elasticache.aws;

import java.util.Map;
import java.util.Optional;

/** What the operator asks of Secrets Manager. */
public interface SecretsPort {
  /** A stored secret: its ARN and value. toString never shows the value. */
  record StoredSecret(String arn, String value) {
    @Override
    public String toString() {
      return "StoredSecret[" + arn + "]";
    }
  }

  Optional<StoredSecret> get(String name);

  /** Creates it; ALREADY_EXISTS when a secret with the name exists. */
  StoredSecret create(String name, String description, String value, Map<String, String> tags);

  /** Stores a new value with the AWSPENDING stage; AWSCURRENT (what {@link #get} reads) is unchanged. */
  void putPending(String name, String value);

  /** The AWSPENDING value, if any. */
  Optional<String> pending(String name);

  /** Makes the AWSPENDING value AWSCURRENT. */
  void promotePending(String name);

  /**
   * Deletes it with no recovery window (the cache it opened is gone). Secrets Manager deletes
   * asynchronously: until it has, the name stays taken (create and get answer InvalidRequestException).
   */
  void delete(String name);

  /** Cancels a scheduled deletion (RestoreSecret): the secret is back with its value and tags. */
  void restore(String name);
}
