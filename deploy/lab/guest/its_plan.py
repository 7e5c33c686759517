#!/usr/bin/python3
"""Plans the lab's JUnit run in one process (every fork is slow under TCG).

  its_plan.py REPO OUTDIR [--module NAME]... [--select-class FQCN]...

Finds each Maven module (a directory of REPO with a pom.xml), its *IT classes in
target/test-classes (top-level classes only; a module without any is fine), and builds one class
path for all modules: target/classes, target/test-classes, target/lab-lib/*.jar (one copy of each
jar name), the jars first. Writes OUTDIR/jvm.args (the parent pom's smc.jvm.flags, one per line, plus
-Dsmcvertx.lab.classpath=<that class path> for ITs that start a child JVM) and
OUTDIR/junit.args (--class-path, --select-class lines) for java's and the launcher's @argfiles.
Exit code 0 = at least one class selected, 3 = nothing to run or nothing staged.
"""
import argparse
import os
import sys
import xml.etree.ElementTree as ET

POM_NS = {"m": "http://maven.apache.org/POM/4.0.0"}


def modules(repo):
    root = ET.parse(os.path.join(repo, "pom.xml")).getroot()
    declared = [m.text.strip() for m in root.findall("m:modules/m:module", POM_NS)]
    return [m for m in declared if os.path.isfile(os.path.join(repo, m, "pom.xml"))], root


def it_classes(test_classes):
    found = []
    for dirpath, _dirs, files in os.walk(test_classes):
        for f in files:
            if f.endswith("IT.class") and "$" not in f:
                rel = os.path.relpath(os.path.join(dirpath, f[:-len(".class")]), test_classes)
                found.append(rel.replace(os.sep, "."))
    return sorted(found)


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("repo")
    p.add_argument("outdir")
    p.add_argument("--module", action="append", default=[])
    p.add_argument("--select-class", action="append", default=[])
    a = p.parse_args(argv)
    mods, root = modules(a.repo)
    unknown = [m for m in a.module if m not in mods]
    if unknown:
        print("its-plan: no such module: %s (modules: %s)" % (", ".join(unknown), ", ".join(mods)))
        return 3
    cp, jars, selected = [], {}, []
    for m in mods:
        target = os.path.join(a.repo, m, "target")
        for d in ("classes", "test-classes"):
            if os.path.isdir(os.path.join(target, d)):
                cp.append(os.path.join(target, d))
        lib = os.path.join(target, "lab-lib")
        if os.path.isdir(lib):
            for j in sorted(os.listdir(lib)):
                if j.endswith(".jar"):
                    jars.setdefault(j, os.path.join(lib, j))
        its = it_classes(os.path.join(target, "test-classes"))
        chosen = not a.module or m in a.module
        print("its-plan:   %-16s %d IT class(es)%s" % (m, len(its), "" if chosen else " (not selected)"))
        if chosen and not a.select_class:
            selected += its
    if a.select_class:
        selected = a.select_class          # a developer's explicit choice
    # jars first: a library class is then found in a jar's in-memory index, whereas every class
    # directory ahead of it costs a stat over 9p (in the s390x guest a Hazelcast member took over
    # 8 minutes to load its classes behind 14 module directories); no jar holds a project class
    cp = list(jars.values()) + cp
    if not selected:
        print("its-plan: no *IT classes to run (did `mvn verify` run on the host?)")
        return 3
    if not jars:
        print("its-plan: no target/lab-lib jars: run `mvn verify` on the host first")
        return 3
    flags = root.find("m:properties/m:smc.jvm.flags", POM_NS).text.split()
    with open(os.path.join(a.outdir, "jvm.args"), "w") as f:
        f.write("\n".join(flags) + "\n")
        # the tests' classes live in the launcher's own class loader, not on java.class.path:
        # an IT that starts a child JVM takes its class path from here
        f.write("-Dsmcvertx.lab.classpath=%s\n" % os.pathsep.join(cp))
    with open(os.path.join(a.outdir, "junit.args"), "w") as f:
        f.write("--class-path\n%s\n" % os.pathsep.join(cp))
        for c in selected:
            f.write("--select-class\n%s\n" % c)
    print("its-plan: %d class(es) selected, class path of %d entries" % (len(selected), len(cp)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
