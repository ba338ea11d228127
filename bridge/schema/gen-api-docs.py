#!/usr/bin/env python3
# gen-api-docs.py: writes yun.d.ts and the API reference from yun-api.json,
# or with --check fails when the files on disk differ from what it would
# write or a method or event has no example.  With --check-examples NODE
# it has node parse every example (as the body of an async function).
# The schema is the one declaration; these are views of it.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import json
import os
import subprocess
import sys
import tempfile

HEADER = "Generated from bridge/schema/yun-api.json by bridge/schema/gen-api-docs.py: do not edit."


def ts_name(ref):
    return "Yun" + ref


def ts_type(spec, indent):
    if "$ref" in spec:
        return ts_name(spec["$ref"])
    kind = spec.get("type")
    if kind == "string":
        if "enum" in spec:
            return " | ".join(json.dumps(v) for v in spec["enum"])
        return "string"
    if kind in ("integer", "number"):
        return "number"
    if kind == "boolean":
        return "boolean"
    if kind == "array":
        inner = ts_type(spec.get("items", {}), indent)
        return f"({inner})[]" if "|" in inner else f"{inner}[]"
    if kind == "object":
        return ts_members(spec.get("properties", {}), indent, readonly=True)
    return "unknown"


def ts_members(properties, indent, readonly):
    if not properties:
        return "{}"
    pad = "  " * (indent + 1)
    lines = ["{"]
    for name, spec in properties.items():
        if "doc" in spec:
            lines.append(f"{pad}/** {spec['doc']} */")
        optional = "" if spec.get("required", readonly) else "?"
        prefix = "readonly " if readonly else ""
        lines.append(f"{pad}{prefix}{name}{optional}: {ts_type(spec, indent + 1)};")
    lines.append("  " * indent + "}")
    return "\n".join(lines)


def method_signature(name, method, indent):
    args = method.get("args", {})
    result = ts_type(method["result"], indent) if "result" in method else "void"
    if not args:
        return f"{name}(): Promise<{result}>;"
    required = any(spec.get("required") for spec in args.values())
    options = ts_members(args, indent, readonly=False)
    return f"{name}(options{'' if required else '?'}: {options}): Promise<{result}>;"


def jsdoc(text, example, indent):
    """A JSDoc comment: one line, or with the example under @example."""
    pad = "  " * indent
    if not example:
        return [f"{pad}/** {text} */"]
    lines = [f"{pad}/**", f"{pad} * {text}", f"{pad} * @example"]
    lines.extend(f"{pad} * {line}".rstrip() for line in example.split("\n"))
    lines.append(f"{pad} */")
    return lines


def examples(schema):
    """(where, code) for every method and event; code is None when missing."""
    for api, ns in schema["namespaces"].items():
        for name, method in ns["methods"].items():
            yield f"{api}.{name}", method.get("example")
        for name, event in ns.get("events", {}).items():
            yield f"{api} event {name}", event.get("example")


def check_examples(schema, node):
    """Has node parse each example; the failures' messages."""
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for where, code in examples(schema):
            if code is None:
                continue
            path = os.path.join(tmp, "example.mjs")
            with open(path, "w", encoding="utf-8") as f:
                f.write(f"async function example() {{\n{code}\n}}\n")
            run = subprocess.run([node, "--check", path], capture_output=True, text=True)
            if run.returncode != 0:
                failures.append(f"{where}: {run.stderr.strip()}")
    return failures


def namespace_interface(api):
    return "Yun" + api[0].upper() + api[1:]


def write_dts(schema):
    out = [f"// {HEADER}",
           "//",
           "// TypeScript declarations for navigator.yun, the Yun runtime's JavaScript API.",
           "// navigator.yun exists only in the top frame of a page inside an installed app's",
           "// scope. Every method returns a Promise that rejects with a DOMException whose",
           "// name is NotAllowedError, NotFoundError, DataError, InvalidStateError,",
           "// QuotaExceededError, NetworkError, AbortError or NotSupportedError.",
           ""]
    for name, spec in schema["types"].items():
        out.append(f"/** {spec.get('doc', name)} */")
        if spec.get("type") == "object":
            out.append(f"interface {ts_name(name)} {ts_members(spec.get('properties', {}), 0, True)}")
        else:
            out.append(f"type {ts_name(name)} = {ts_type(spec, 0)};")
        out.append("")

    root_methods = []
    for api, ns in schema["namespaces"].items():
        if ns.get("root"):
            root_methods.extend(ns["methods"].items())
            continue
        if ns.get("standard"):
            continue
        out.append(f"/** navigator.yun.{api}: {ns.get('doc', '')} */")
        out.append(f"interface {namespace_interface(api)} {{")
        for name, method in ns["methods"].items():
            out.extend(jsdoc(f"{method.get('doc', '')}{permission_note(method)}",
                             method.get("example"), 1))
            out.append(f"  {method_signature(name, method, 1)}")
        for name, event in ns.get("events", {}).items():
            listener = f"(event: CustomEvent<{ts_type(event['detail'], 1)}>) => void"
            out.extend(jsdoc(f"\"{name}\": {event.get('doc', '')} The event's detail is read-only.",
                             event.get("example"), 1))
            out.append(f"  addEventListener(type: {json.dumps(name)}, listener: {listener}): void;")
            out.append(f"  removeEventListener(type: {json.dumps(name)}, listener: {listener}): void;")
        out.append("}")
        out.append("")

    out.append("interface Yun {")
    for name, method in root_methods:
        out.extend(jsdoc(method.get("doc", ""), method.get("example"), 1))
        out.append(f"  {method_signature(name, method, 1)}")
    for api, ns in schema["namespaces"].items():
        if not ns.get("root") and not ns.get("standard"):
            out.append(f"  readonly {api}: {namespace_interface(api)};")
    out.append("}")
    out.append("")
    out.append("interface Navigator {")
    out.append("  /** Present only in the top frame of an installed app's own pages. */")
    out.append("  readonly yun?: Yun;")
    for api, ns in schema["namespaces"].items():
        if ns.get("standard") == "navigator.contacts":
            select = ns["methods"]["select"]
            result = ts_type(select["result"], 1)
            props = " | ".join(json.dumps(v) for v in select["args"]["properties"]["items"]["enum"])
            out.append(f"  /** {ns.get('doc', '')} */")
            out.append("  readonly contacts?: {")
            out.extend(jsdoc(select.get("doc", ""), select.get("example"), 2))
            out.append(f"    select(properties: ({props})[], options?: {{ multiple?: boolean }}): Promise<{result}>;")
            out.append(f"    getProperties(): Promise<({props})[]>;")
            out.append("  };")
    out.append("}")
    return "\n".join(out) + "\n"


def permission_note(method):
    permission = method.get("permission")
    if not permission:
        return ""
    return f" Needs the \"{permission['name']}\" permission with \"{permission.get('access', 'read')}\" access."


def md_type(spec):
    return "`" + ts_type(spec, 0).replace("\n", " ").replace("  ", " ") + "`"


def write_reference(schema):
    out = [f"<!-- {HEADER} -->", "", "# navigator.yun API reference", "",
           "Every method takes at most one argument, an options object, and returns a",
           "Promise. Arguments are checked in C against this declaration before anything",
           "runs: a member that is not listed, a missing required one, a wrong type or a",
           "value out of range rejects with `DataError` and a message naming the member.",
           "A method that needs a permission rejects with `NotAllowedError` when the app's",
           "manifest does not declare it, or when the user denies it.", ""]
    for api, ns in schema["namespaces"].items():
        title = "navigator.yun" if ns.get("root") else ns.get("standard", f"navigator.yun.{api}")
        out.append(f"## {title}")
        out.append("")
        out.append(ns.get("doc", ""))
        out.append("")
        for name, method in ns["methods"].items():
            # A standard that is one function, navigator.share, is its own call.
            call = title if title == f"navigator.{name}" else f"{title}.{name}"
            out.append(f"### `{call}()`")
            out.append("")
            out.append(method.get("doc", ""))
            out.append("")
            permission = method.get("permission")
            out.append(f"- Permission: {'`' + permission['name'] + '` (' + permission.get('access', 'read') + ')' if permission else 'none'}")
            out.append(f"- Resolves with: {md_type(method['result']) if 'result' in method else 'nothing'}")
            args = method.get("args", {})
            if args:
                out.append("- Options:")
                out.append("")
                out.append("  | member | type | required | meaning |")
                out.append("  |---|---|---|---|")
                for arg, spec in args.items():
                    out.append(f"  | `{arg}` | {md_type(spec)} | {'yes' if spec.get('required') else 'no'} | {spec.get('doc', '')} |")
            else:
                out.append("- Options: none")
            out.append("")
            if method.get("example"):
                out.extend(["Example:", "", "```js", method["example"], "```", ""])
        for name, event in ns.get("events", {}).items():
            out.append(f"### Event `{name}` on `{title}`")
            out.append("")
            out.append(event.get("doc", ""))
            out.append("")
            out.append(f"- Listen with: `{title}.addEventListener({json.dumps(name)}, listener)`; stop with `removeEventListener`.")
            out.append(f"- `event.detail`: {md_type(event['detail'])}")
            out.append("")
            if event.get("example"):
                out.extend(["Example:", "", "```js", event["example"], "```", ""])
    out.append("## Types")
    out.append("")
    for name, spec in schema["types"].items():
        out.append(f"### `{ts_name(name)}`")
        out.append("")
        out.append(spec.get("doc", ""))
        out.append("")
        if spec.get("type") == "object":
            out.append("| member | type | meaning |")
            out.append("|---|---|---|")
            for member, mspec in spec.get("properties", {}).items():
                out.append(f"| `{member}` | {md_type(mspec)} | {mspec.get('doc', '')} |")
        else:
            out.append(f"{md_type(spec)}")
        out.append("")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("schema")
    parser.add_argument("dts")
    parser.add_argument("reference")
    parser.add_argument("--check", action="store_true",
                        help="fail when the files differ from what the schema gives, "
                             "or a method or event has no example")
    parser.add_argument("--check-examples", metavar="NODE",
                        help="fail when node does not parse an example")
    options = parser.parse_args()

    with open(options.schema, encoding="utf-8") as f:
        schema = json.load(f)

    if options.check_examples:
        failures = check_examples(schema, options.check_examples)
        for failure in failures:
            print(failure)
        if failures:
            return 1
        print(f"{sum(1 for _ in examples(schema))} examples parse")
        return 0
    if options.check:
        missing = [where for where, code in examples(schema) if not code]
        if missing:
            print("no example in bridge/schema/yun-api.json for: " + ", ".join(missing))
            return 1
    wanted = {options.dts: write_dts(schema), options.reference: write_reference(schema)}

    stale = []
    for path, text in wanted.items():
        if options.check:
            try:
                with open(path, encoding="utf-8") as f:
                    current = f.read()
            except OSError:
                current = None
            if current != text:
                stale.append(path)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)

    if stale:
        print("out of date with bridge/schema/yun-api.json: " + ", ".join(stale))
        print("regenerate with: ninja -C build update-api-docs")
        return 1
    if options.check:
        print("yun.d.ts and the API reference match the schema")
    return 0


if __name__ == "__main__":
    sys.exit(main())
