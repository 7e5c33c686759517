#!/usr/bin/env python3
"""Splits a sim JVM's JFR CPU samples (jdk.ExecutionSample) by what they were doing, from the whole stack.

Usage: benchmarks/fleet-scale/jfr-split.py RECORDING.jfr [...]   (needs `jfr` of the JDK on PATH or JAVA_HOME)
A sample counts for the first category whose frame pattern appears anywhere in its stack, in the order below
(so Ed25519 inside status signing counts as "Ed25519 sign", not as "JSON")."""
import json, os, subprocess, sys
from collections import Counter

CATEGORIES = [  # (name, substrings of "class.method" of any frame)
    ("Ed25519 sign", ["KeyFiles.sign", "HostKey.sign", "OperatorKey.sign", "Ed25519$Signer", "JdkEd25519.sign",
                      "LibCryptoEd25519.sign", "EdDSASignature.engineSign"]),
    ("Ed25519 verify", ["KeyFiles.verify", "TrustedKeys.verify", "JdkEd25519.verify", "LibCryptoEd25519.verify",
                        "EdDSASignature.engineVerify"]),
    ("Ed25519 other (keys)", ["sun.security.ec.ed.", "KeyFactory", "KeyPairGenerator"]),
    ("JSON (Jackson)", ["com.fasterxml.jackson."]),
    ("Hazelcast (de)serialization", ["com.hazelcast.internal.serialization.", "com.hazelcast.client.impl.protocol.codec."]),
    ("Hazelcast client I/O and other", ["com.hazelcast."]),
    ("our reconciler / store / files", ["io.smcvertx."]),
    ("benchmark harness (FleetScale)", ["FleetScale"]),
]

def frames(ev):
    st = ev["values"].get("stackTrace") or {}
    out = []
    for f in st.get("frames", []):
        m = f.get("method") or {}
        t = (m.get("type") or {}).get("name", "")
        out.append(t.replace("/", ".") + "." + m.get("name", ""))
    return out

def main():
    jfr = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "jfr")
    total = Counter()
    for path in sys.argv[1:]:
        data = json.loads(subprocess.run([jfr, "print", "--json", "--stack-depth", "64", "--events", "jdk.ExecutionSample", path],
                                         check=True, capture_output=True, text=True).stdout)
        for ev in data["recording"]["events"]:
            fs = frames(ev)
            cat = "other (JDK code under none of these)"
            for name, pats in CATEGORIES:
                if any(p in f for f in fs for p in pats):
                    cat = name
                    break
            total[cat] += 1
    n = sum(total.values())
    print(f"{n} CPU samples (jdk.ExecutionSample, Java frames only) in {len(sys.argv) - 1} recording(s)")
    for cat, c in total.most_common():
        print(f"  {cat:40s} {c:6d}  {100.0 * c / n:5.1f}%")

if __name__ == "__main__":
    main()
