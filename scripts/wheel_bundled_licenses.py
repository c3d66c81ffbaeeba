# SPDX-License-Identifier: Apache-2.0
"""Adds the license terms of the libraries auditwheel copied into a wheel.

auditwheel repair bundles shared libraries (libzstd, libcurl and what they link) and lists
the Debian packages they came from in the wheel's SBOM (<dist-info>/sboms/*.cdx.json). Their
licenses require their terms to travel with them, so this copies each package's
/usr/share/doc/<package>/copyright into <dist-info>/licenses/bundled/<package>.copyright and
rewrites RECORD. Fails if a bundled package has no copyright file.

    python3 scripts/wheel_bundled_licenses.py WHEEL
"""
import base64
import hashlib
import json
import os
import sys
import tempfile
import zipfile


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def main(wheel):
    with zipfile.ZipFile(wheel) as zin:
        names = zin.namelist()
        dist_info = next(n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info"))
        sboms = [n for n in names if n.startswith(f"{dist_info}/sboms/") and n.endswith(".json")]
        packages = set()
        for sbom in sboms:
            for component in json.loads(zin.read(sbom)).get("components", []):
                purl = component.get("purl", "")
                if purl.startswith("pkg:deb/"):
                    packages.add(component["name"])
        added = {}
        for package in sorted(packages):
            path = f"/usr/share/doc/{package}/copyright"
            if not os.path.isfile(path):
                sys.exit(f"no license terms for bundled package {package} ({path} is missing)")
            with open(path, "rb") as f:
                added[f"{dist_info}/licenses/bundled/{package}.copyright"] = f.read()
        record = f"{dist_info}/RECORD"
        fd, tmp = tempfile.mkstemp(suffix=".whl", dir=os.path.dirname(os.path.abspath(wheel)))
        os.close(fd)
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                if info.filename == record:
                    continue
                zout.writestr(info, zin.read(info.filename))
            for name, data in added.items():
                zout.writestr(name, data)
            lines = zin.read(record).decode().splitlines()
            lines = [l for l in lines if l and not l.startswith(f"{record},")]
            lines += [record_line(n, d) for n, d in added.items()] + [f"{record},,"]
            zout.writestr(record, "\n".join(lines) + "\n")
    os.chmod(tmp, os.stat(wheel).st_mode & 0o777)
    os.replace(tmp, wheel)
    print(f"[build-wheel] license terms of {len(added)} bundled packages added: "
          + " ".join(sorted(packages)))


if __name__ == "__main__":
    main(sys.argv[1])
