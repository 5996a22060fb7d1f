"""Turns gitleaks' published rule set (config/gitleaks.toml of a release) into the JSON the threat-model pack reads.

Usage: python3 scripts/import-gitleaks-rules.py <gitleaks.toml> <release tag> <commit> > nag-rules/data/gitleaks-rules.json
"""

import json
import sys
import tomllib


def main() -> None:
    source, tag, commit = sys.argv[1:4]
    with open(source, "rb") as handle:
        config = tomllib.load(handle)
    document = {
        "source": "https://github.com/gitleaks/gitleaks/blob/" + tag + "/config/gitleaks.toml",
        "version": tag,
        "commit": commit,
        "license": "MIT (Copyright (c) 2019 Zachary Rice)",
        "generated": "scripts/import-gitleaks-rules.py: the file's rules and global allowlist, unchanged, as JSON",
        "allowlist": config.get("allowlist", {}),
        "rules": config["rules"],
    }
    json.dump(document, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
