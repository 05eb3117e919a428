package dev.operators.elasticache.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ElastiCache node types, from the file the emulator reads too
 * ({@code test/aws-emulator/emulator/node_types.json}, EXTENSIONS.md E25), written from the API
 * reference's CacheNode data type: new groups and node type changes take current-generation (and
 * data-tiering) types; previous-generation types "are still supported" on existing clusters, but
 * "creation of new clusters is not supported for these types".
 */
public final class NodeTypes {
  public static final String FILE = "test/aws-emulator/emulator/node_types.json";

  private static volatile NodeTypes shared;

  private final Set<String> creatable = new TreeSet<>();
  private final Set<String> previousGeneration = new TreeSet<>();

  private NodeTypes(JsonNode root) {
    root.required("currentGeneration").forEach(t -> creatable.add(t.asText()));
    root.required("dataTiering").forEach(t -> creatable.add(t.asText()));
    root.required("previousGeneration").forEach(t -> previousGeneration.add(t.asText()));
  }

  public static NodeTypes shared() {
    NodeTypes n = shared;
    if (n == null) {
      synchronized (NodeTypes.class) {
        if (shared == null) {
          try {
            shared = new NodeTypes(new ObjectMapper().readTree(ParameterCatalogue.projectRoot().resolve(FILE).toFile()));
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
          }
        }
        n = shared;
      }
    }
    return n;
  }

  /** Types CreateReplicationGroup (and a node type change) accepts. */
  public Set<String> creatable() { return Set.copyOf(creatable); }

  /** Types that exist only on clusters created before AWS stopped offering them. */
  public Set<String> previousGeneration() { return Set.copyOf(previousGeneration); }

  /** Null when {@code nodeType} may be used for a new group or a change; else AWS's reason. */
  public String refusal(String nodeType) {
    if (previousGeneration.contains(nodeType)) {
      return "Cache node type " + nodeType + " is a previous generation type: creation of new clusters is not supported for it.";
    }
    return creatable.contains(nodeType) ? null : "Invalid CacheNodeType: " + nodeType;
  }
}
