"""Checks answers against Tencent's published schema (tccli's api.json per service).

Usage: schema_check.py ANSWERS.jsonl [...]   (files written by `cvm-sim --record-answers`)
       schema_check.py --examples            (Tencent's own documented answers, as a check
                                               of this checker)

Each line of an answers file is {"service", "version", "action", "answer"}: one answer cvm-sim
sent. A success is checked against the action's output object, recursively: every field
must be a documented member (no undocumented field), have the member's JSON type (string,
integer, number, boolean, list, object; dates in the documented format), and every member
marked `output_required` must be present (null only where `value_allowed_null` or the member's documentation says
when it is null). An error
is checked against Tencent's error envelope. Prints one PASS/FAIL line per action (with each
distinct problem and how often it was seen); the last line is "N passed, N failed".
"""
import collections
import json
import os
import re
import sys

import tccli

DATE_FORMATS = {
    # `datetime`: "2020-09-22 00:00:00"; `datetime_iso`: "2020-09-22T00:00:00Z" or with an
    # offset; `date`: "2020-09-22" (the shapes of Tencent's own documented answers).
    "datetime": re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"),
    "datetime_iso": re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$"),
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
}

_specs = {}


def spec(service, version):
    """api.json of one service and version, or None when tccli does not publish it."""
    key = (service, version)
    if key not in _specs:
        path = os.path.join(os.path.dirname(tccli.__file__), "services", service,
                            "v" + version.replace("-", ""), "api.json")
        try:
            with open(path, encoding="utf-8") as f:
                _specs[key] = json.load(f)
        except FileNotFoundError:
            _specs[key] = None
    return _specs[key]


def type_problem(value, member, objects):
    """Why `value` is not of the member's scalar type, or None."""
    kind, inner = member["type"], member["member"]
    if kind == "string":
        if not isinstance(value, str):
            return f"is {json_type(value)}, documented string"
        fmt = DATE_FORMATS.get(inner)
        if fmt and not fmt.match(value):
            return f"is {value!r}, not a {inner} ({fmt.pattern})"
        return None
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"is {json_type(value)}, documented integer"
        if inner == "uint64" and value < 0:
            return f"is {value}, documented unsigned"
        return None
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"is {json_type(value)}, documented number"
        return None
    if kind == "bool":
        return None if isinstance(value, bool) else f"is {json_type(value)}, documented boolean"
    return f"has an unknown documented type {kind}"


def json_type(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "list"
    return "object"


def check_object(value, name, objects, path, problems):
    """Appends (path, problem) for everything in `value` that object `name` does not allow."""
    if not isinstance(value, dict):
        problems.append((path, f"is {json_type(value)}, documented object {name}"))
        return
    members = {m["name"]: m for m in objects[name]["members"]}
    for key in value:
        if key not in members:
            problems.append((f"{path}.{key}", "is not documented"))
    for mname, member in members.items():
        here = f"{path}.{mname}"
        # Members without `output_required` are input-only or the envelope's RequestId.
        required = member.get("output_required", mname == "RequestId")
        if mname not in value:
            if required:
                problems.append((here, "is required but missing"))
            continue
        check_value(value[mname], member, objects, here, problems)


def nullable(member):
    """Null is allowed where the schema marks the member `value_allowed_null`, or where its
    documentation says when it is null (`注意：后付费模式本项为null`, `null表示没有绑定…`)."""
    return member.get("value_allowed_null", False) or "null" in member.get("document", "")


def check_value(value, member, objects, path, problems):
    if value is None:
        if not nullable(member):
            problems.append((path, "is null, which the schema does not allow"))
        return
    kind, inner = member["type"], member["member"]
    if kind == "list":
        if not isinstance(value, list):
            problems.append((path, f"is {json_type(value)}, documented list"))
            return
        element = dict(member, type=_element_type(inner, objects))
        for item in value:
            # Elements are reported by the list's path so that one problem is one line.
            if item is None:
                problems.append((f"{path}[]", "has a null element"))
            else:
                check_value(item, element, objects, f"{path}[]", problems)
        return
    if kind == "object":
        check_object(value, inner, objects, path, problems)
        return
    problem = type_problem(value, member, objects)
    if problem:
        problems.append((path, problem))


def _element_type(inner, objects):
    if inner in objects:
        return "object"
    return {"string": "string", "datetime": "string", "datetime_iso": "string", "date": "string",
            "int64": "int", "uint64": "int", "bool": "bool", "float": "float"}.get(inner, inner)


def check_answer(service, version, action, answer):
    """Problems of one answer (a list of (path, problem)); an error envelope or a success."""
    problems = []
    if not isinstance(answer, dict) or set(answer) != {"Response"} or not isinstance(answer["Response"], dict):
        return [("", "is not {\"Response\": {...}}")]
    response = answer["Response"]
    if "Error" in response:
        if set(response) != {"Error", "RequestId"}:
            problems.append(("Response", f"an error carries {sorted(response)}, not Error and RequestId"))
        error = response["Error"]
        if not isinstance(error, dict) or set(error) != {"Code", "Message"} or not all(
                isinstance(error[k], str) and error[k] for k in ("Code", "Message")):
            problems.append(("Response.Error", f"is {error!r}, not {{Code, Message}} strings"))
        if not isinstance(response.get("RequestId"), str):
            problems.append(("Response.RequestId", "is not a string"))
        return problems
    api = spec(service, version)
    if api is None:
        return [("", f"no published schema for {service} {version}")]
    if action not in api["actions"]:
        return [("", f"{action} is not an action of {service} {version}")]
    output = api["actions"][action]["output"]
    check_object(response, output, api["objects"], "Response", problems)
    return problems


def read_answers(paths):
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError as e:
                        yield {"service": "?", "version": "?", "action": f"{path}:{n}", "answer": None,
                               "unreadable": str(e)}


def documented_examples():
    """Tencent's own example answers for cvm and vpc, as records."""
    for service in ("cvm", "vpc"):
        path = os.path.join(os.path.dirname(tccli.__file__), "services", service, "v20170312", "examples.json")
        with open(path, encoding="utf-8") as f:
            for action, cases in json.load(f)["actions"].items():
                for case in cases:
                    try:
                        answer = json.loads(case["output"])
                    except json.JSONDecodeError:
                        continue
                    yield {"service": service, "version": "2017-03-12", "action": action, "answer": answer}


def main(argv):
    records = documented_examples() if argv == ["--examples"] else read_answers(argv)
    by_action = collections.defaultdict(collections.Counter)
    answers = collections.Counter()
    for r in records:
        # An answer refused before routing (signature, envelope) has no action: only the
        # error shape applies to it.
        key = (r.get("service"), r.get("action") or "(unrouted)")
        answers[key] += 1
        if "unreadable" in r:
            by_action[key][("", "unreadable line: " + r["unreadable"])] += 1
            continue
        for problem in check_answer(r.get("service"), r.get("version"), r.get("action"), r.get("answer")):
            by_action[key][problem] += 1
    passed = failed = 0
    for key in sorted(answers, key=lambda k: (str(k[0]), str(k[1]))):
        service, action = key
        problems = by_action.get(key)
        if problems:
            failed += 1
            print(f"FAIL schema {service} {action} ({answers[key]} answers):")
            for (path, problem), n in sorted(problems.items()):
                print(f"    {path} {problem} (×{n})")
        else:
            passed += 1
            print(f"PASS schema {service} {action} ({answers[key]} answers)")
    if not answers:
        failed += 1
        print("FAIL schema: no answers were recorded")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
