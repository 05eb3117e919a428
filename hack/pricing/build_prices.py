#!/usr/bin/env python3
"""Writes src/main/resources/pricing/elasticache.json, the operator's price table (see README, "Cost estimate").

Inputs:
  1. AWS ElastiCache pricing page figures for Redis OSS on-demand nodes in us-east-1 (AWS_PAGE_2025 below,
     the table Pricing.java carried until now).
  2. The AWS Price List API's AmazonElastiCache on-demand node prices, as captured by the ec2instances.info
     scraper in github.com/vantage-sh/ec2instances.info, commit 3e75a5dddbf4674d74ebeb06f46e4543c3a08b92
     (2022-02-13), file www/cache/instances.json. Pass its path as the first argument:
       git -C <clone> show 3e75a5dddbf4674d74ebeb06f46e4543c3a08b92:www/cache/instances.json > /tmp/instances.json
       hack/pricing/build_prices.py /tmp/instances.json
     That capture mixes up some figures (a Redis price equal to another engine's or to a reserved rate: e.g.
     cache.m5.large at 0.06 in us-east-2). A figure is kept only when it agrees with its family in the same
     region: AWS prices every size of a node family in proportion to its size, so the price per size unit of
     the kept figures (within 2%) must be the one most figures of that family and region share (Redis and
     Memcached figures counted together, as both engines cost the same per node). Families and regions
     where no such majority exists are left out, as are types the capture has no Redis figure for.
     Two more checks drop a whole family in a region: in us-east-1, a kept figure that differs by more than
     2% from the pricing page's (input 1); elsewhere, a family priced below 0.95 or above 2.2 times its
     us-east-1 price (no region is cheaper than us-east-1; the mixed-up figures are 0.4 to 0.55 times it).
Where both inputs have a figure, the pricing page's (newer) is kept. Nothing is derived: a type or region
with no kept figure has no price, and the operator reports "unknown".
"""
import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "src/main/resources/pricing/elasticache.json"

AWS_PAGE_2025 = {
    "cache.t2.micro": "0.017", "cache.t2.small": "0.034", "cache.t2.medium": "0.068",
    "cache.t3.micro": "0.017", "cache.t3.small": "0.034", "cache.t3.medium": "0.068",
    "cache.t4g.micro": "0.016", "cache.t4g.small": "0.032", "cache.t4g.medium": "0.065",
    "cache.m5.large": "0.156", "cache.m5.xlarge": "0.311", "cache.m5.2xlarge": "0.623",
    "cache.m6g.large": "0.149", "cache.m6g.xlarge": "0.296", "cache.m6g.2xlarge": "0.593",
    "cache.m7g.large": "0.158", "cache.m7g.xlarge": "0.315", "cache.m7g.2xlarge": "0.629",
    "cache.r5.large": "0.216", "cache.r5.xlarge": "0.431", "cache.r5.2xlarge": "0.862",
    "cache.r6g.large": "0.206", "cache.r6g.xlarge": "0.411", "cache.r6g.2xlarge": "0.821",
    "cache.r7g.large": "0.219", "cache.r7g.xlarge": "0.437", "cache.r7g.2xlarge": "0.873",
}

SIZE_UNITS = {"micro": 0.5, "small": 1, "medium": 2, "large": 4, "xlarge": 8}


def units(size: str) -> float:
    if size in SIZE_UNITS:
        return SIZE_UNITS[size]
    return 8 * int(re.fullmatch(r"(\d+)xlarge", size).group(1))


def clusters(values: list[float]) -> list[list[float]]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and abs(v - out[-1][-1]) / out[-1][-1] <= 0.02:
            out[-1].append(v)
        else:
            out.append([v])
    return out


def from_capture(path: str) -> dict[str, dict[str, str]]:
    by_family: dict[tuple[str, str], list[tuple[str, float, float | None, float | None]]] = {}
    for item in json.load(open(path)):
        node_type = item["instance_type"]
        _, family, size = node_type.split(".")
        for region, engines in item["pricing"].items():
            redis = engines.get("Redis", {}).get("ondemand")
            memcached = engines.get("Memcached", {}).get("ondemand")
            by_family.setdefault((family, region), []).append((node_type, units(size), redis, memcached))
    kept: dict[str, dict[str, str]] = {}
    for (family, region), rows in by_family.items():
        per_unit = [p / u for _, u, r, m in rows for p in (r, m) if p]
        if not per_unit:
            continue
        groups = sorted(clusters(per_unit), key=len, reverse=True)
        if len(groups) > 1 and len(groups[0]) == len(groups[1]):
            continue
        lo, hi = min(groups[0]), max(groups[0])
        for node_type, u, redis, _ in rows:
            if redis and lo * 0.999 <= redis / u <= hi * 1.001:
                kept.setdefault(region, {})[node_type] = f"{redis:.3f}".rstrip("0").rstrip(".") if redis >= 1 else f"{redis:.3f}"
    return kept


def per_unit(prices: dict[str, str]) -> dict[str, float]:
    """Family -> price per size unit (the mean over its sizes)."""
    out: dict[str, list[float]] = {}
    for node_type, usd in prices.items():
        _, family, size = node_type.split(".")
        out.setdefault(family, []).append(float(usd) / units(size))
    return {f: sum(v) / len(v) for f, v in out.items()}


def consistent(capture: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    east = capture.get("us-east-1", {})
    bad = {node_type.split(".")[1] for node_type, usd in east.items()
           if node_type in AWS_PAGE_2025 and abs(float(usd) - float(AWS_PAGE_2025[node_type])) / float(AWS_PAGE_2025[node_type]) > 0.02}
    for family in sorted(bad):
        print(f"us-east-1 {family}: capture disagrees with the pricing page, family dropped", file=sys.stderr)
    east = {t: p for t, p in east.items() if t.split(".")[1] not in bad}
    base = per_unit({**east, **AWS_PAGE_2025})
    out = {"us-east-1": east}
    for region, prices in capture.items():
        if region == "us-east-1":
            continue
        fam = per_unit(prices)
        ratios = {f: v / base[f] for f, v in fam.items() if f in base}
        drop = {f for f, r in ratios.items() if not 0.95 <= r <= 2.2}
        for family in sorted(drop):
            print(f"{region} {family}: {ratios[family]:.3f} times its us-east-1 price, family dropped", file=sys.stderr)
        out[region] = {t: p for t, p in prices.items() if t.split(".")[1] not in drop}
    return out


def main() -> None:
    capture = consistent(from_capture(sys.argv[1]))
    nodes: dict[str, dict[str, dict[str, str]]] = {}
    for region, prices in capture.items():
        for node_type, usd in prices.items():
            nodes.setdefault(region, {})[node_type] = {"usd": usd, "source": "priceList2022"}
    for node_type, usd in AWS_PAGE_2025.items():
        old = nodes.get("us-east-1", {}).get(node_type)
        if old and old["usd"] != usd:
            print(f"us-east-1 {node_type}: pricing page {usd}, price list capture {old['usd']}", file=sys.stderr)
        nodes.setdefault("us-east-1", {})[node_type] = {"usd": usd, "source": "awsPricingPage2025"}
    data = json.loads(OUT.read_text()) if OUT.exists() else {}
    data["nodes"] = {r: dict(sorted(nodes[r].items())) for r in sorted(nodes)}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=1) + "\n")
    print(f"{sum(len(v) for v in nodes.values())} node prices in {len(nodes)} regions", file=sys.stderr)


if __name__ == "__main__":
    main()
