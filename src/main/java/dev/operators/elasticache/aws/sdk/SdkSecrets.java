package dev.operators.elasticache.aws.sdk;

import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.SecretsPort;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/** Secrets Manager through the AWS SDK. */
public final class SdkSecrets implements SecretsPort {
  private static final String SVC = "secretsmanager";
  private final SecretsManagerClient sm;
  private final AwsCalls calls;

  public SdkSecrets(SecretsManagerClient sm, AwsCalls calls) {
    this.sm = sm;
    this.calls = calls;
  }

  @Override
  public Optional<StoredSecret> get(String name) {
    try {
      var r = calls.run(SVC, "GetSecretValue", () -> sm.getSecretValue(b -> b.secretId(name)));
      return Optional.of(new StoredSecret(r.arn(), r.secretString()));
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.NOT_FOUND)) return Optional.empty();
      throw e;
    }
  }

  @Override
  public StoredSecret create(String name, String description, String value, Map<String, String> tags) {
    var r = calls.run(SVC, "CreateSecret", () -> sm.createSecret(b -> b.name(name).description(description)
        .secretString(value)
        .tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList())));
    return new StoredSecret(r.arn(), value);
  }

  @Override
  public void putPending(String name, String value) {
    calls.run(SVC, "PutSecretValue", () -> sm.putSecretValue(b -> b.secretId(name).secretString(value).versionStages("AWSPENDING")));
  }

  @Override
  public Optional<String> pending(String name) {
    try {
      return Optional.ofNullable(calls.run(SVC, "GetSecretValue", () -> sm.getSecretValue(b -> b.secretId(name).versionStage("AWSPENDING"))).secretString());
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.NOT_FOUND)) return Optional.empty();
      throw e;
    }
  }

  @Override
  public void promotePending(String name) {
    var stages = calls.run(SVC, "DescribeSecret", () -> sm.describeSecret(b -> b.secretId(name))).versionIdsToStages();
    String pendingId = null;
    String currentId = null;
    for (var e : stages.entrySet()) {
      if (e.getValue().contains("AWSPENDING")) pendingId = e.getKey();
      if (e.getValue().contains("AWSCURRENT")) currentId = e.getKey();
    }
    if (pendingId == null || pendingId.equals(currentId)) return;
    String pending = pendingId;
    String current = currentId;
    calls.run(SVC, "UpdateSecretVersionStage", () -> sm.updateSecretVersionStage(b -> b.secretId(name).versionStage("AWSCURRENT")
        .moveToVersionId(pending).removeFromVersionId(current)));
    calls.run(SVC, "UpdateSecretVersionStage", () -> sm.updateSecretVersionStage(b -> b.secretId(name).versionStage("AWSPENDING")
        .removeFromVersionId(pending)));
  }

  @Override
  public void delete(String name) {
    try {
      calls.run(SVC, "DeleteSecret", () -> sm.deleteSecret(b -> b.secretId(name).forceDeleteWithoutRecovery(true)));
    } catch (AwsException e) {
      if (!e.is(AwsException.Kind.NOT_FOUND)) throw e;
    }
  }

  @Override
  public void restore(String name) {
    calls.run(SVC, "RestoreSecret", () -> sm.restoreSecret(b -> b.secretId(name)));
  }
}
