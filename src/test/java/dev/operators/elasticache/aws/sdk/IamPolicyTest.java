package dev.operators.elasticache.aws.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operators.elasticache.testsupport.Proc;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.AwsRequest;

/**
 * deploy/iam-policy.json against the code and against parliament's database of AWS actions:
 * every AWS operation the SDK adapters can call is allowed by the policy, and the policy names no
 * action or condition key AWS does not have. The end-to-end test then runs the operator as an IAM
 * user holding the policy's actions in the emulator (moto's IAM access control).
 */
class IamPolicyTest {
  static final Path POLICY = Path.of("deploy/iam-policy.json");
  static final Path ADAPTERS = Path.of("src/main/java/dev/operators/elasticache/aws/sdk");
  /** parliament's findings that mean the policy names something AWS does not have, or is malformed. */
  static final Set<String> FAILING = Set.of("EXCEPTION", "MALFORMED_JSON", "MALFORMED", "DUPLICATE_SID", "INVALID_SID",
      "INVALID_ARN", "NO_VERSION", "INVALID_VERSION", "UNKNOWN_ACTION", "UNKNOWN_PREFIX", "UNKNOWN_CONDITION_FOR_ACTION",
      "UNKNOWN_OPERATOR", "MISMATCHED_TYPE");
  /**
   * An SDK client's service name is its endpoint prefix; IAM's prefix differs for one service the
   * operator uses (IAM Service Authorization Reference: CloudWatch is {@code cloudwatch}).
   */
  static final Map<String, String> IAM_PREFIX = Map.of("monitoring", "cloudwatch");
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyAwsOperationTheCodeCallsIsAllowedByThePolicy() throws Exception {
    Set<String> called = operationsCalled(ADAPTERS);
    // Not vacuous: the operations of every service the operator uses are found.
    assertThat(called).contains("ec2:CreateSecurityGroup", "elasticache:CreateReplicationGroup", "elasticache:DescribeEvents",
        "secretsmanager:CreateSecret", "cloudwatch:PutMetricAlarm", "logs:CreateLogGroup");
    List<String> allowed = policyActions(JSON.readTree(POLICY.toFile()));
    List<String> missing = called.stream().filter(op -> allowed.stream().noneMatch(a -> matches(a, op))).toList();
    assertThat(missing).as("AWS operations the code calls that deploy/iam-policy.json does not allow").isEmpty();
  }

  /**
   * Caches in other accounts (spec.account): AwsClients gets their credentials from STS AssumeRole
   * (StsAssumeRoleCredentialsProvider), called with the operator's own credentials, so its policy
   * must allow sts:AssumeRole on the roles the README names (arn:aws:iam::*:role/rediscache-operator*).
   */
  @Test
  void assumingAnotherAccountsRoleIsAllowedByThePolicy() throws Exception {
    assertThat(Files.readString(ADAPTERS.resolve("AwsClients.java"))).contains("StsAssumeRoleCredentialsProvider.builder()");
    JsonNode policy = JSON.readTree(POLICY.toFile());
    List<String> resources = new ArrayList<>();
    for (JsonNode st : policy.get("Statement")) {
      if ("Allow".equals(st.path("Effect").asText()) && matches(st.path("Action").asText(), "sts:AssumeRole")) resources.add(st.path("Resource").asText());
    }
    assertThat(resources).as("deploy/iam-policy.json allows sts:AssumeRole on the target accounts' roles")
        .anyMatch(r -> matches(r, "arn:aws:iam::222222222222:role/rediscache-operator"))
        .noneMatch(r -> matches(r, "arn:aws:iam::222222222222:role/admin"));
  }

  @Test
  void parliamentFindsNoUnknownActionOrConditionKey() {
    Path python = AppClientsVenv.python();
    Proc.Result lint = Proc.run(Path.of("."), Map.of(), null, 120,
        List.of(python.toString(), "test/app-clients/lint_iam_policy.py", POLICY.toString())).ok();
    List<String> failing = new ArrayList<>();
    lint.out().lines().filter(l -> !l.isBlank()).forEach(line -> {
      try {
        JsonNode f = JSON.readTree(line);
        String finding = f.path("issue").asText() + " (line " + f.path("line").asText() + "): " + f.path("detail").asText();
        if (FAILING.contains(f.path("issue").asText())) {
          failing.add(finding);
        } else {
          System.out.println("parliament, not failing the build: " + finding);
        }
      } catch (IOException e) {
        throw new AssertionError("parliament printed something that is not a finding: " + line, e);
      }
    });
    assertThat(failing).as("parliament findings in deploy/iam-policy.json").isEmpty();
  }

  /**
   * The IAM actions of the SDK operations the adapters call: for each field of an AWS SDK client
   * type, every {@code field.method(} in the source whose method takes the operation's request
   * (paginators too), named after the request class ({@code DescribeEventsRequest} is
   * {@code elasticache:DescribeEvents}).
   */
  static Set<String> operationsCalled(Path sources) throws Exception {
    Pattern importLine = Pattern.compile("import (software\\.amazon\\.awssdk\\.services\\.[\\w.]+\\.(\\w+Client));");
    Pattern field = Pattern.compile("private\\s+final\\s+(\\w+Client)\\s+(\\w+)\\s*;");
    Set<String> out = new TreeSet<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(sources)) {
      files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    for (Path file : files) {
      String src = Files.readString(file);
      Map<String, Class<?>> clientTypes = new HashMap<>();
      for (Matcher m = importLine.matcher(src); m.find(); ) clientTypes.put(m.group(2), Class.forName(m.group(1)));
      for (Matcher f = field.matcher(src); f.find(); ) {
        Class<?> client = clientTypes.get(f.group(1));
        if (client == null) continue;
        String service = (String) client.getField("SERVICE_NAME").get(null);
        String prefix = IAM_PREFIX.getOrDefault(service, service);
        Map<String, String> operations = operationsOf(client);
        for (Matcher call = Pattern.compile("\\b" + Pattern.quote(f.group(2)) + "\\.(\\w+)\\(").matcher(src); call.find(); ) {
          String op = operations.get(call.group(1));
          if (op != null) out.add(prefix + ":" + op);
        }
      }
    }
    return out;
  }

  /** SDK method name to operation name, for the methods that take an operation's request. */
  static Map<String, String> operationsOf(Class<?> client) {
    Map<String, String> ops = new HashMap<>();
    for (Method m : client.getMethods()) {
      if (m.getParameterCount() == 1 && AwsRequest.class.isAssignableFrom(m.getParameterTypes()[0])) {
        String request = m.getParameterTypes()[0].getSimpleName();
        ops.put(m.getName(), request.substring(0, request.length() - "Request".length()));
      }
    }
    return ops;
  }

  static List<String> policyActions(JsonNode policy) {
    List<String> actions = new ArrayList<>();
    for (JsonNode st : policy.get("Statement")) {
      if (!"Allow".equals(st.path("Effect").asText())) continue;
      JsonNode a = st.get("Action");
      if (a == null) continue;
      if (a.isArray()) a.forEach(x -> actions.add(x.asText()));
      else actions.add(a.asText());
    }
    return actions;
  }

  /** IAM action matching: case-insensitive, {@code *} and {@code ?} as wildcards. */
  static boolean matches(String pattern, String action) {
    String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
    return Pattern.compile(regex, Pattern.CASE_INSENSITIVE).matcher(action).matches();
  }

  /** The test tools' virtualenv of test/app-clients (parliament lives there), installed once and cached. */
  static final class AppClientsVenv {
    private static Path python;

    static synchronized Path python() {
      if (python == null) {
        Proc.Result setup = Proc.run(Path.of("."), Map.of(), null, 900, List.of("bash", "test/app-clients/setup.sh")).ok();
        String venv = setup.out().lines().filter(l -> l.startsWith("venv ")).map(l -> l.substring(5)).findFirst().orElseThrow();
        python = Path.of(venv, "bin", "python");
      }
      return python;
    }
  }
}
