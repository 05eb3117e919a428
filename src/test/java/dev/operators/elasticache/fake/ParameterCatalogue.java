package dev.operators.elasticache.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ElastiCache parameter names AWS accepts per Valkey/Redis OSS parameter group family, read from
 * the emulator's catalogue {@code test/aws-emulator/emulator/parameters.json} (the same file the emulator
 * loads, so the fake and the emulator refuse the same names and values). Its sources are in the file and
 * in test/aws-emulator/EXTENSIONS.md (E11).
 *
 * <p>{@link #refusal} answers what ModifyCacheParameterGroup refuses, with the emulator's messages; every
 * refusal is AWS's error code {@link #ERROR_CODE}. Families without a catalogue (memcached) accept anything.
 */
public final class ParameterCatalogue {

  /** The error code of every refusal (HTTP 400). */
  public static final String ERROR_CODE = "InvalidParameterValue";

  /** Catalogue path relative to the project root. */
  public static final String FILE = "test/aws-emulator/emulator/parameters.json";

  /** One parameter of a family. {@code modifiable} is {@code "true"}, {@code "false"} or {@code "conditional"}. */
  public record Parameter(String name, String defaultValue, String type, String allowed, String modifiable,
      String changeType, boolean nodeTypeSpecific, String allowedCharacters) {

    /** Modifiable now: conditionally modifiable ones only while no cluster uses the group. */
    public boolean modifiable(boolean groupInUse) {
      return modifiable.equals("true") || (modifiable.equals("conditional") && !groupInUse);
    }
  }

  private static volatile ParameterCatalogue shared;

  private final Map<String, Map<String, Parameter>> families;

  private ParameterCatalogue(Map<String, Map<String, Parameter>> families) {
    this.families = families;
  }

  /** The catalogue of the project this test runs in (loaded once). */
  public static ParameterCatalogue shared() {
    ParameterCatalogue c = shared;
    if (c == null) {
      synchronized (ParameterCatalogue.class) {
        if (shared == null) {
          shared = load(projectRoot().resolve(FILE));
        }
        c = shared;
      }
    }
    return c;
  }

  public static ParameterCatalogue load(Path file) {
    try {
      JsonNode root = new ObjectMapper().readTree(file.toFile());
      Map<String, Map<String, Parameter>> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> fams = root.get("families").fields(); fams.hasNext(); ) {
        Map.Entry<String, JsonNode> fam = fams.next();
        Map<String, Parameter> params = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> ps = fam.getValue().fields(); ps.hasNext(); ) {
          Map.Entry<String, JsonNode> p = ps.next();
          JsonNode m = p.getValue();
          params.put(p.getKey(), new Parameter(p.getKey(), text(m, "default"), text(m, "type"), text(m, "allowed"),
              m.get("modifiable").asText(), text(m, "changeType"), m.path("nodeTypeSpecific").asBoolean(false),
              text(m, "allowedCharacters")));
        }
        out.put(fam.getKey(), Collections.unmodifiableMap(params));
      }
      return new ParameterCatalogue(Collections.unmodifiableMap(out));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the parameter catalogue " + file, e);
    }
  }

  private static String text(JsonNode m, String field) {
    JsonNode v = m.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** The project root: the first directory up from user.dir that holds the emulator (as AwsEmulator finds it). */
  static Path projectRoot() {
    Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve(FILE))) {
        return d;
      }
    }
    throw new IllegalStateException("no " + FILE + " in " + dir + " or its parents");
  }

  /** Families with a catalogue (Valkey and Redis OSS). */
  public Set<String> families() {
    return families.keySet();
  }

  /** The parameters of a family; empty for a family without a catalogue. */
  public Map<String, Parameter> parameters(String family) {
    return families.getOrDefault(family, Map.of());
  }

  /** Why AWS refuses this name/value in a group of this family that no cluster uses; empty when accepted. */
  public Optional<String> refusal(String family, String name, String value) {
    return refusal(family, name, value, false);
  }

  /**
   * Why AWS refuses this name/value (error code {@link #ERROR_CODE}); empty when accepted. Messages: "Parameter X
   * doesn't exist" and "The parameter X cannot be modified." are AWS's wording; the out-of-range one is the
   * emulator's own. The same rules as the emulator's {@code engine_data.refusal}.
   */
  public Optional<String> refusal(String family, String name, String value, boolean groupInUse) {
    Map<String, Parameter> params = families.get(family);
    if (params == null) {
      return Optional.empty();
    }
    Parameter p = params.get(name);
    if (p == null) {
      return Optional.of("Parameter " + name + " doesn't exist");
    }
    if (!p.modifiable(groupInUse)) {
      return Optional.of("The parameter " + name + " cannot be modified.");
    }
    if (value == null || !valid(p, value)) {
      String allowed = p.allowedCharacters() != null ? "any of the characters " + p.allowedCharacters()
          : p.allowed() != null ? p.allowed() : "of type " + p.type();
      return Optional.of("Invalid value " + value + " for parameter " + name + ": allowed values are " + allowed + ".");
    }
    return Optional.empty();
  }

  private static final Pattern INTEGER = Pattern.compile("-?\\d+");
  private static final Pattern RANGE = Pattern.compile("(-?\\d+)-(-?\\d*)");

  static boolean valid(Parameter p, String value) {
    if ("integer".equals(p.type())) {
      if (!INTEGER.matcher(value.strip()).matches()) {
        return false;
      }
      return p.allowed() == null || inRanges(p.allowed(), new BigInteger(value.strip()));
    }
    if (p.allowedCharacters() != null) {
      return value.chars().allMatch(ch -> p.allowedCharacters().indexOf(ch) >= 0);
    }
    if (p.allowed() != null) {
      return Arrays.stream(p.allowed().split(",")).map(String::strip).anyMatch(value::equals);
    }
    return true;
  }

  /** AWS's AllowedValues syntax: "a,b", "lo-hi", "lo-" (open), "-" (any integer), negatives as "-5". */
  static boolean inRanges(String allowed, BigInteger n) {
    for (String r : allowed.split(",")) {
      r = r.strip();
      if (r.equals("-")) {
        return true;
      }
      if (INTEGER.matcher(r).matches()) {
        if (new BigInteger(r).equals(n)) {
          return true;
        }
        continue;
      }
      Matcher m = RANGE.matcher(r);
      if (m.matches()) {
        boolean aboveLow = n.compareTo(new BigInteger(m.group(1))) >= 0;
        if (aboveLow && (m.group(2).isEmpty() || n.compareTo(new BigInteger(m.group(2))) <= 0)) {
          return true;
        }
      }
    }
    return false;
  }
}
