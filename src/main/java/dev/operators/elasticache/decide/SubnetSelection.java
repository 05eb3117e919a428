package dev.operators.elasticache.decide;

import dev.operators.elasticache.api.NetworkStatus;
import dev.operators.elasticache.api.SubnetSelectorSpec;
import dev.operators.elasticache.aws.SubnetInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * spec.network.subnetSelector: which selector the recorded subnets belong to, and whether the
 * subnets EC2 found can hold the cache.
 */
public final class SubnetSelection {
  public static final String FIELD = "spec.network.subnetSelector";

  private SubnetSelection() {}

  /** A hash of the selector (VPC and tags, in key order): the same selector, written in any order, gives the same hash. */
  public static String hash(SubnetSelectorSpec selector) {
    StringBuilder canonical = new StringBuilder(selector.getVpcId()).append('\n');
    Map<String, String> tags = selector.getTags() == null ? Map.of() : new TreeMap<>(selector.getTags());
    tags.forEach((k, v) -> canonical.append(k).append('=').append(v).append('\n'));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The recorded subnets, when they were resolved for this selector; otherwise EC2 must be asked. */
  public static Optional<NetworkStatus> recorded(SubnetSelectorSpec selector, NetworkStatus status) {
    if (status == null || status.getSubnetIds() == null || status.getSubnetIds().isEmpty()) return Optional.empty();
    return hash(selector).equals(status.getSubnetSelectorHash()) ? Optional.of(status) : Optional.empty();
  }

  /** What EC2 found, as status records it. */
  public static NetworkStatus resolved(SubnetSelectorSpec selector, List<SubnetInfo> found) {
    return new NetworkStatus(found.stream().map(SubnetInfo::subnetId).sorted().toList(),
        found.stream().map(SubnetInfo::availabilityZone).distinct().sorted().toList(), hash(selector));
  }

  /** Nothing matched. */
  public static Problem none(SubnetSelectorSpec selector) {
    return new Problem(FIELD, "no subnet of " + selector.getVpcId() + " carries the tags " + new TreeMap<>(selector.getTags())
        + " (EC2 DescribeSubnets found none); tag the cache's subnets with them, or change the selector");
  }

  /**
   * Multi-AZ puts the primary and its replicas in different Availability Zones, so the subnet group
   * must reach at least two: the selected subnets in one zone cannot hold a Multi-AZ cache.
   */
  public static Optional<Problem> availabilityZones(NetworkStatus network, boolean multiAZ) {
    List<String> zones = network.getAvailabilityZones() == null ? List.of() : network.getAvailabilityZones();
    if (!multiAZ || zones.size() >= 2) return Optional.empty();
    return Optional.of(new Problem(FIELD, "multiAZ needs subnets in at least two Availability Zones (AWS places the primary and its replicas"
        + " in different zones); the selected subnets " + network.getSubnetIds() + " are all in " + String.join(", ", zones)
        + ": tag subnets of another zone too, or set multiAZ false"));
  }
}
