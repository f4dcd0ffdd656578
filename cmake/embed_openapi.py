#!/usr/bin/env python3
"""Turns docs/openapi.yaml into a C++ source that embeds it as compact JSON,
so the server serves GET /openapi.json with no file beside the binary.

    embed_openapi.py INPUT.yaml OUTPUT.cpp
"""
import hashlib
import json
import sys

import yaml


def main() -> int:
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        document = yaml.safe_load(f)
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3.1"):
        print(f"{source}: not an OpenAPI 3.1 document", file=sys.stderr)
        return 1
    # Compact, key order kept: the served document reads like the YAML.
    text = json.dumps(document, ensure_ascii=True, separators=(",", ":"))
    delimiter = "OPENAPI"
    if f'){delimiter}"' in text:
        print(f"{source}: contains the raw-string delimiter", file=sys.stderr)
        return 1
    etag = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    # Pieces of at most 8 KiB: adjacent literals concatenate, and no single
    # literal grows past what every compiler accepts.
    pieces = [text[i:i + 8192] for i in range(0, len(text), 8192)]
    literal = "\n".join(f'R"{delimiter}({p}){delimiter}"' for p in pieces)
    with open(target, "w", encoding="utf-8") as out:
        out.write(f"""// Generated from docs/openapi.yaml by cmake/embed_openapi.py at build time.
#include "customers/api/openapi.hpp"

namespace customers::api {{

std::string_view openapi_json() noexcept {{
    static constexpr char text[] =
{literal};
    return {{text, sizeof text - 1}};
}}

std::string_view openapi_etag() noexcept {{
    return R"("{etag}")";
}}

}}  // namespace customers::api
""")
    return 0


if __name__ == "__main__":
    sys.exit(main())
