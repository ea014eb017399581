"""The layers hold: no import cycle, no import of a higher layer, no function-local import of project code."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts" / "import_graph.py")
import_graph = importlib.util.module_from_spec(_spec)
sys.modules["import_graph"] = import_graph
_spec.loader.exec_module(import_graph)


def test_project_has_no_cycle_violation_or_local_import():
    edges, local = import_graph.graph()
    assert len(edges) > 80
    assert import_graph.cycles(edges) == []
    assert import_graph.violations(edges) == []
    assert local == []


def test_the_checker_sees_cycles_violations_and_local_imports(tmp_path, monkeypatch):
    (tmp_path / "mapping" / "reference").mkdir(parents=True)
    (tmp_path / "connectors").mkdir()
    (tmp_path / "pages").mkdir()
    for init in ("mapping", "mapping/reference", "connectors"):
        (tmp_path / init / "__init__.py").write_text("")
    (tmp_path / "mapping" / "reference" / "a.py").write_text("from mapping.reference import b\n")
    (tmp_path / "mapping" / "reference" / "b.py").write_text("import mapping.reference.a\nimport connectors.c\n")
    (tmp_path / "connectors" / "c.py").write_text("def f():\n    from mapping.reference import a\n")
    edges, local = import_graph.graph(tmp_path)
    # the function-local import closes a cycle too: it is counted, not hidden
    assert import_graph.cycles(edges) == [["connectors.c", "mapping.reference.a", "mapping.reference.b"]]
    assert ("mapping.reference.b", "connectors.c") in import_graph.violations(edges)
    assert local == [("connectors.c", 2, "mapping.reference.a")]


def test_layers_of_the_packages():
    layer = import_graph.layer
    assert layer("mapping.settings") < layer("mapping.reference.schema") < layer("connectors.carteco")
    assert layer("connectors.base") < layer("mapping.build.pipeline") == layer("mapping.dedup.score")
    assert layer("mapping.store") < layer("mapping.search.index") < layer("mapping.screens.query")
    assert layer("mapping.screens.query") < layer("pages.carte")
