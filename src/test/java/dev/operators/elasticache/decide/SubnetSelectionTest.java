package dev.operators.elasticache.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.NetworkStatus;
import dev.operators.elasticache.api.SubnetSelectorSpec;
import dev.operators.elasticache.aws.SubnetInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubnetSelectionTest {
  static SubnetSelectorSpec selector(String vpc, Map<String, String> tags) {
    SubnetSelectorSpec s = new SubnetSelectorSpec();
    s.setVpcId(vpc);
    s.setTags(tags);
    return s;
  }

  @Test
  void theHashIsTheSameForTheSameSelectorInAnyOrderAndChangesWithVpcKeyOrValue() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("a", "1");
    ab.put("b", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("b", "2");
    ba.put("a", "1");
    String h = SubnetSelection.hash(selector("vpc-01234567", ab));
    assertThat(h).hasSize(16).isEqualTo(SubnetSelection.hash(selector("vpc-01234567", ba)));
    assertThat(SubnetSelection.hash(selector("vpc-01234568", ab))).isNotEqualTo(h);
    assertThat(SubnetSelection.hash(selector("vpc-01234567", Map.of("a", "1", "b", "3")))).isNotEqualTo(h);
    assertThat(SubnetSelection.hash(selector("vpc-01234567", Map.of("a", "1", "c", "2")))).isNotEqualTo(h);
    assertThat(SubnetSelection.hash(selector("vpc-01234567", Map.of("a", "1")))).isNotEqualTo(h);
  }

  @Test
  void recordedSubnetsServeOnlyTheSelectorTheyWereResolvedFor() {
    SubnetSelectorSpec s = selector("vpc-01234567", Map.of("tier", "internal"));
    NetworkStatus n = SubnetSelection.resolved(s, List.of(new SubnetInfo("subnet-b", "vpc-01234567", "us-east-1b"),
        new SubnetInfo("subnet-a", "vpc-01234567", "us-east-1a"), new SubnetInfo("subnet-c", "vpc-01234567", "us-east-1a")));
    assertThat(n.getSubnetIds()).containsExactly("subnet-a", "subnet-b", "subnet-c");
    assertThat(n.getAvailabilityZones()).containsExactly("us-east-1a", "us-east-1b");
    assertThat(SubnetSelection.recorded(s, n)).contains(n);
    assertThat(SubnetSelection.recorded(selector("vpc-01234567", Map.of("tier", "data")), n)).isEmpty();
    assertThat(SubnetSelection.recorded(s, null)).isEmpty();
    assertThat(SubnetSelection.recorded(s, new NetworkStatus(List.of(), List.of(), n.getSubnetSelectorHash()))).isEmpty();
  }

  @Test
  void multiAzNeedsTwoZonesAndNothingFoundNamesTheSelector() {
    SubnetSelectorSpec s = selector("vpc-01234567", Map.of("tier", "internal"));
    NetworkStatus oneZone = SubnetSelection.resolved(s, List.of(new SubnetInfo("subnet-a", "vpc-01234567", "us-east-1a"),
        new SubnetInfo("subnet-b", "vpc-01234567", "us-east-1a")));
    assertThat(SubnetSelection.availabilityZones(oneZone, false)).isEmpty();
    assertThat(SubnetSelection.availabilityZones(oneZone, true)).hasValueSatisfying(p -> {
      assertThat(p.field()).isEqualTo("spec.network.subnetSelector");
      assertThat(p.message()).contains("at least two Availability Zones").contains("us-east-1a").contains("[subnet-a, subnet-b]");
    });
    NetworkStatus twoZones = SubnetSelection.resolved(s, List.of(new SubnetInfo("subnet-a", "vpc-01234567", "us-east-1a"),
        new SubnetInfo("subnet-b", "vpc-01234567", "us-east-1b")));
    assertThat(SubnetSelection.availabilityZones(twoZones, true)).isEmpty();
    assertThat(SubnetSelection.none(s).field()).isEqualTo("spec.network.subnetSelector");
    assertThat(SubnetSelection.none(s).message()).contains("vpc-01234567").contains("{tier=internal}");
  }
}
