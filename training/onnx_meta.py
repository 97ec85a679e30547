"""Keeps the build machine out of ONNX files (issue 16): torch.onnx records, on every node, the Python stack that
made it (`pkg.torch.onnx.stack_trace`: source files by absolute path, with their lines), and older exporters put the
same into doc_strings. None of it is read at run time; it only leaks the machine's directory layout and adds bytes.
The rest of the exporter's metadata (name scopes, class hierarchy, the fx node) stays: it names modules, not files.
"""
from __future__ import annotations

import re
from pathlib import Path

import onnx

STACK_TRACE = "pkg.torch.onnx.stack_trace"
# An absolute POSIX or Windows path, a Python install's package folder, or a Python traceback line.
_MACHINE = re.compile(r'(?:^|[\s"\'(=:])(?:/[\w.+-]+/[\w.+/-]+|[A-Za-z]:\\[\w\\. -]+)|site-packages|File "')


def names_build_machine(text: str) -> bool:
    return bool(_MACHINE.search(text))


def _strip_props(props) -> int:
    drop = [p for p in props if p.key == STACK_TRACE or names_build_machine(p.value)]
    for p in drop:
        props.remove(p)
    return len(drop)


def _strip_graph(g: onnx.GraphProto) -> int:
    n = 0
    for node in g.node:
        n += _strip_props(node.metadata_props)
        if names_build_machine(node.doc_string):
            node.doc_string, n = "", n + 1
        for a in node.attribute:
            for sub in ([a.g] if a.HasField("g") else []) + list(a.graphs):
                n += _strip_graph(sub)
    for v in [*g.input, *g.output, *g.value_info, *g.initializer]:
        n += _strip_props(v.metadata_props)
        if names_build_machine(v.doc_string):
            v.doc_string, n = "", n + 1
    if names_build_machine(g.doc_string):
        g.doc_string, n = "", n + 1
    return n + _strip_props(g.metadata_props)


def strip_build_metadata(model: onnx.ModelProto) -> int:
    """Removes, in place, every metadata entry and doc_string that names a file of the build machine; returns how
    many. Weights, nodes, names and shapes are untouched, so the model computes exactly what it did."""
    n = _strip_graph(model.graph) + _strip_props(model.metadata_props)
    for f in model.functions:
        for node in f.node:
            n += _strip_props(node.metadata_props)
            if names_build_machine(node.doc_string):
                node.doc_string, n = "", n + 1
    if names_build_machine(model.doc_string):
        model.doc_string, n = "", n + 1
    return n


def strip_file(path: Path) -> int:
    """strip_build_metadata on a file, rewritten only when something was removed."""
    model = onnx.load(str(path))
    n = strip_build_metadata(model)
    if n:
        onnx.save(model, str(path))
    return n
