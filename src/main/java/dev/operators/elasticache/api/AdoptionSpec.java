package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Take over an existing replication group instead of creating one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AdoptionSpec {
  @JsonPropertyDescription("Id of the existing replication group to take over. It is never recreated; from then on it is brought in line with this spec. Needs the consent of whoever owns the group: the group's tag elasticache.operators.dev/adoptable-by=<namespace>/<name> of this RedisCache, or an entry in the operator's rediscache.adoption.allowed; otherwise Stalled (AdoptionNotAllowed) and nothing is written to AWS. Immutable.")
  @Required
  @Pattern("^[a-zA-Z][a-zA-Z0-9-]{0,39}$")
  private String replicationGroupId;

  public String getReplicationGroupId() { return replicationGroupId; }
  public void setReplicationGroupId(String replicationGroupId) { this.replicationGroupId = replicationGroupId; }
}
