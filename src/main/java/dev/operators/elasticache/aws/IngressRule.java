package dev.operators.elasticache.aws;

import java.util.Comparator;

/** One TCP ingress rule on one port, from either a security group or an IPv4 CIDR block. */
public record IngressRule(int port, String sourceSecurityGroupId, String cidr) {
  public static final Comparator<IngressRule> ORDER = Comparator.comparing(IngressRule::port)
      .thenComparing(r -> r.sourceSecurityGroupId() == null ? "" : r.sourceSecurityGroupId())
      .thenComparing(r -> r.cidr() == null ? "" : r.cidr());

  public IngressRule {
    if ((sourceSecurityGroupId == null) == (cidr == null)) {
      throw new IllegalArgumentException("an ingress rule has exactly one source");
    }
  }

  public static IngressRule fromGroup(int port, String groupId) { return new IngressRule(port, groupId, null); }
  public static IngressRule fromCidr(int port, String cidr) { return new IngressRule(port, null, cidr); }

  @Override
  public String toString() {
    return "tcp/" + port + " from " + (cidr != null ? cidr : sourceSecurityGroupId);
  }
}
