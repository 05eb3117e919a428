"""Lints an IAM policy with parliament (its own offline database of actions and condition keys).

    python lint_iam_policy.py deploy/iam-policy.json

Prints one JSON object per finding: {"issue": ..., "detail": ..., "line": ...}. The test decides
which kinds fail the build.
"""
import json
import sys

from parliament import analyze_policy_string


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as f:
        policy = analyze_policy_string(f.read())
    for finding in policy.findings:
        location = finding.location if isinstance(finding.location, dict) else {}
        print(json.dumps({"issue": finding.issue, "detail": str(finding.detail), "line": location.get("line")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
