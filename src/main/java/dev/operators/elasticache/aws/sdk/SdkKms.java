package dev.operators.elasticache.aws.sdk;

import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.KmsPort;
import java.util.Optional;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/** AWS KMS through the AWS SDK. */
public final class SdkKms implements KmsPort {
  private static final String SVC = "kms";
  private final KmsClient kms;
  private final AwsCalls calls;

  public SdkKms(KmsClient kms, AwsCalls calls) {
    this.kms = kms;
    this.calls = calls;
  }

  @Override
  public Optional<KeyInfo> describeKey(String keyId) {
    try {
      KeyMetadata k = calls.run(SVC, "DescribeKey", () -> kms.describeKey(r -> r.keyId(keyId)).keyMetadata());
      return Optional.of(new KeyInfo(k.arn(), k.keyStateAsString(), k.keyUsageAsString(), k.keySpecAsString()));
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.NOT_FOUND)) return Optional.empty();
      throw e;
    }
  }
}
