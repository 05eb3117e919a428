package dev.operators.elasticache.aws;

import java.util.Optional;

/** What the operator asks of AWS KMS: only to look at a customer managed key before a cache is encrypted with it. */
public interface KmsPort {
  /** A KMS key as DescribeKey reports it: Enabled, Disabled, PendingDeletion ...; ENCRYPT_DECRYPT ...; SYMMETRIC_DEFAULT ... */
  record KeyInfo(String arn, String keyState, String keyUsage, String keySpec) {}

  /** The key named by id, alias or ARN; empty when KMS does not know it (NotFoundException). */
  Optional<KeyInfo> describeKey(String keyId);
}
