package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** Encryption at rest; AWS fixes it when the replication group is created. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AtRestEncryptionSpec {
  @JsonPropertyDescription("Encrypt data at rest (disk, backups). Default true. Immutable.")
  @Default("true")
  private Boolean enabled = Boolean.TRUE;

  @JsonPropertyDescription("Customer managed KMS key (id, alias or ARN). Empty uses the AWS managed key. Immutable.")
  @Pattern("^(|arn:aws[a-z-]*:kms:.*|alias/.*|[0-9a-f-]{36}|mrk-[0-9a-f]{32})$")
  private String kmsKeyId;

  public Boolean getEnabled() { return enabled; }
  public void setEnabled(Boolean enabled) { this.enabled = enabled; }
  public String getKmsKeyId() { return kmsKeyId; }
  public void setKmsKeyId(String kmsKeyId) { this.kmsKeyId = kmsKeyId; }
}
