package dev.operators.elasticache.aws;

import java.util.Comparator;

/** One TCP ingress rule on one port, from either a security group or a CIDR block (IPv4, or IPv6: {@link #ipv6()}). */
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

  /** An IPv6 range: EC2 takes it in Ipv6Ranges, not IpRanges. */
  public boolean ipv6() { return cidr != null && cidr.contains(":"); }

  @Override
  public String toString() {
    return "tcp/" + port + " from " + (cidr != null ? cidr : sourceSecurityGroupId);
  }
}
