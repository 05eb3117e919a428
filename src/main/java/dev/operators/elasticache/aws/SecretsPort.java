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

  /** Deletes it at once, with no recovery window (the cache it opened is gone). */
  void delete(String name);
}
