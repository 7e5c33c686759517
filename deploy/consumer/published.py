#!/usr/bin/env python3
"""The published shape of every artifact the BOM lists (deploy/consumer/check.sh, step 1b).

usage: published.py STAGING VERSION

STAGING is the file repository the reactor was deployed to. For the BOM and each artifact in its
dependencyManagement this asserts: the jar, the -sources.jar and the -javadoc.jar (with an
index.html) are there, and the POM resolves, as Maven would resolve it through its published
parents, to the project's metadata: a name and a description of its own, the one url, the
Apache-2.0 license, scm, developers and organization. Maven appends a child's artifactId to an
inherited url/scm unless the parent says child.*.inherit.append.path="false"; this resolver does
the same, so a parent that forgot it fails here.
"""
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

M = "{http://maven.apache.org/POM/4.0.0}"
GROUP_DIR = "io/smcvertx"


def fail(msg):
    print(f"published: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def published(stage, version, artifact, suffix):
    """The newest file of ARTIFACT ending in SUFFIX (.pom, .jar, -sources.jar, -javadoc.jar), or None."""
    base = version[: -len("-SNAPSHOT")] if version.endswith("-SNAPSHOT") else version
    d = os.path.join(stage, GROUP_DIR, artifact, version)
    pattern = re.compile(re.escape(artifact) + "-" + re.escape(base)
                         + r"(-SNAPSHOT|-\d{8}\.\d{6}-\d+)?" + re.escape(suffix) + "$")
    files = sorted(f for f in glob.glob(os.path.join(d, "*")) if pattern.match(os.path.basename(f)))
    return files[-1] if files else None


def text(el, path):
    found = el.find(path)
    return found.text.strip() if found is not None and found.text else None


class Pom:
    """One published POM and its parents, resolved the way Maven inherits metadata."""

    def __init__(self, stage, version, artifact):
        self.chain = []
        a, v = artifact, version
        while a is not None:
            path = published(stage, v, a, ".pom")
            if path is None:
                fail(f"{a}:{v}: no POM published (needed by {artifact})")
            root = ET.parse(path).getroot()
            self.chain.append((a, root))
            parent = root.find(M + "parent")
            if parent is None or text(parent, M + "groupId") != "io.smcvertx":
                a = None
            else:
                a, v = text(parent, M + "artifactId"), text(parent, M + "version")
        self.props = {}
        for _, root in reversed(self.chain):  # a child's property overrides its parent's
            props = root.find(M + "properties")
            for p in (props if props is not None else []):
                self.props[p.tag[len(M):]] = (p.text or "").strip()
        self.props["project.version"] = version
        self.props["project.artifactId"] = artifact

    def interpolate(self, value):
        for _ in range(10):
            new = re.sub(r"\$\{([^}]+)\}", lambda m: self.props.get(m.group(1), m.group(0)), value)
            if new == value:
                break
            value = new
        if "${" in value:
            fail(f"{self.chain[0][0]}: unresolved property in {value!r}")
        return value

    def own(self, tag):
        value = text(self.chain[0][1], M + tag)
        return self.interpolate(value) if value else None

    def inherited_url(self, element, child, attribute):
        """ELEMENT/CHILD (e.g. scm/url) from the nearest POM that has it, with Maven's path appending."""
        for depth, (_, root) in enumerate(self.chain):
            el = root.find(M + element) if element else root
            value = text(el, M + child) if el is not None else None
            if value is None:
                continue
            value = self.interpolate(value)
            # the attribute sits on <project> for its url, on <scm> for the scm urls
            if depth > 0 and el.get(attribute, "true") != "false":
                # Maven appends each descendant's artifactId to an inherited url
                value = value.rstrip("/") + "/" + "/".join(a for a, _ in reversed(self.chain[:depth]))
            return value
        return None

    def inherited_list(self, element, item, fields):
        """The first POM's ELEMENT list (lists are inherited whole), each ITEM as a dict of FIELDS."""
        for _, root in self.chain:
            el = root.find(M + element)
            if el is not None:
                items = el.findall(M + item) if item else [el]
                return [{f: self.interpolate(text(i, M + f) or "") for f in fields} for i in items]
        return []


def check(stage, version, artifact, url, jars=True):
    if jars:
        for suffix in (".jar", "-sources.jar", "-javadoc.jar"):
            if published(stage, version, artifact, suffix) is None:
                fail(f"{artifact}: no {artifact}-{version}{suffix} published")
        javadoc = published(stage, version, artifact, "-javadoc.jar")
        with zipfile.ZipFile(javadoc) as z:
            if "index.html" not in z.namelist():
                fail(f"{artifact}: {os.path.basename(javadoc)} has no index.html")
    pom = Pom(stage, version, artifact)
    name, description = pom.own("name"), pom.own("description")
    if not name or not description:
        fail(f"{artifact}: the POM must carry its own <name> and <description> (got {name!r}, {description!r})")
    got = {
        "url": pom.inherited_url(None, "url", "child.project.url.inherit.append.path"),
        "scm.url": pom.inherited_url("scm", "url", "child.scm.url.inherit.append.path"),
        "scm.connection": pom.inherited_url("scm", "connection", "child.scm.connection.inherit.append.path"),
        "scm.developerConnection": pom.inherited_url("scm", "developerConnection",
                                                     "child.scm.developerConnection.inherit.append.path"),
    }
    want = {"url": url, "scm.url": url, "scm.connection": f"scm:git:{url}.git",
            "scm.developerConnection": f"scm:git:{url}.git"}
    for key, value in want.items():
        if got[key] != value:
            fail(f"{artifact}: {key} is {got[key]!r}, expected {value!r}")
    licenses = pom.inherited_list("licenses", "license", ["name", "url"])
    if [l["name"] for l in licenses] != ["Apache-2.0"] or not licenses[0]["url"].startswith("https://"):
        fail(f"{artifact}: licenses {licenses!r}, expected one Apache-2.0 with its url")
    developers = pom.inherited_list("developers", "developer", ["name", "url"])
    if not developers or not all(d["name"] and d["url"] == url for d in developers):
        fail(f"{artifact}: developers {developers!r}, expected a name and the project url")
    organization = pom.inherited_list("organization", None, ["name", "url"])
    if not organization or not organization[0]["name"]:
        fail(f"{artifact}: no organization")
    print(f"published: {artifact}: {'jar, -sources, -javadoc, ' if jars else ''}"
          f"POM {name!r}, url {got['url']}, {licenses[0]['name']}")


def main():
    stage, version = sys.argv[1], sys.argv[2]
    parent = Pom(stage, version, "smc-vertx-parent")
    url = parent.props.get("smcvertx.url")
    if not url or not url.startswith("https://"):
        fail(f"smc-vertx-parent: property smcvertx.url is {url!r}")
    bom_path = published(stage, version, "smc-vertx-bom", ".pom")
    if bom_path is None:
        fail("smc-vertx-bom: not published")
    bom = ET.parse(bom_path).getroot()
    listed = [text(d, M + "artifactId") for d in bom.findall(f"{M}dependencyManagement/{M}dependencies/{M}dependency")
              if text(d, M + "groupId") == "io.smcvertx"]
    if not listed:
        fail("smc-vertx-bom lists no artifact")
    check(stage, version, "smc-vertx-bom", url, jars=False)
    for artifact in listed:
        check(stage, version, artifact, url)
    print(f"published: {len(listed)} BOM artifacts with jar, sources, javadoc and POM metadata")


if __name__ == "__main__":
    main()
