package dev.operators.elasticache.decide;

import dev.operators.elasticache.aws.KmsPort.KeyInfo;
import dev.operators.elasticache.aws.SubnetGroupInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What only AWS can tell before a replication group is created, checked before AWS is asked to
 * create it: the customer managed KMS key is usable (AWS ElastiCache user guide, "At-Rest Encryption":
 * symmetric customer managed keys only), and the subnet group carries the network type asked for
 * ("Choosing a network type": dual-stack subnets for dual_stack, IPv6-only subnets for ipv6).
 */
public final class CreateChecks {
  private CreateChecks() {}

  /** Problems with the key DescribeKey returned ({@code key} empty: KMS does not know it). */
  public static List<Problem> kmsKey(String keyId, Optional<KeyInfo> key) {
    List<Problem> p = new ArrayList<>();
    String field = "spec.atRestEncryption.kmsKeyId";
    if (key.isEmpty()) {
      p.add(new Problem(field, "KMS key " + keyId + " does not exist in this account and region"));
      return p;
    }
    KeyInfo k = key.get();
    if (!"Enabled".equals(k.keyState())) {
      p.add(new Problem(field, "KMS key " + keyId + " is " + k.keyState() + "; ElastiCache needs an Enabled key: enable it or name another"));
    }
    if (!"ENCRYPT_DECRYPT".equals(k.keyUsage()) || !"SYMMETRIC_DEFAULT".equals(k.keySpec())) {
      p.add(new Problem(field, "KMS key " + keyId + " is " + k.keySpec() + " for " + k.keyUsage()
          + "; ElastiCache encrypts only with a symmetric key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT)"));
    }
    return p;
  }

  /** Problems with the subnet group for the network type asked for (ipv4 is not checked: AWS's default). */
  public static List<Problem> networkType(Desired d, Optional<SubnetGroupInfo> group) {
    List<Problem> p = new ArrayList<>();
    if (d.networkType() == null || d.networkType().equals("ipv4") || group.isEmpty()) return p;
    List<String> supported = group.get().supportedNetworkTypes();
    if (supported == null || !supported.contains(d.networkType())) {
      String field = d.subnetGroupOwned() ? "spec.network.subnetIds" : "spec.network.subnetGroupName";
      p.add(new Problem(field, "cache subnet group " + d.subnetGroupName() + " supports " + supported + ", not networkType "
          + d.networkType() + ": " + (d.networkType().equals("ipv6") ? "use IPv6-only subnets" : "use subnets with both an IPv4 and an IPv6 CIDR block")));
    }
    return p;
  }
}
